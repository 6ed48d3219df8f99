import type { FastifyInstance } from 'fastify';
import type { ServerContext } from './server-context.js';
import type { StationServerOptions } from './station-server-options.js';

/**
 * While the server runs, open live views are re-checked every `liveRevalidateMs`: a session that ended (logout,
 * expiry, user removed) or a camera reassigned cuts them. Closing the server stops that, clears the live relay's
 * play policy and closes the export jobs.
 */
export function registerServerLifecycle(app: FastifyInstance, context: ServerContext, options: Pick<StationServerOptions, 'live' | 'exports' | 'liveRevalidateMs'>): void {
  const revalidation = options.live ? setInterval(() => context.revalidateLive(), options.liveRevalidateMs ?? 5000) : undefined;
  revalidation?.unref();
  app.addHook('onClose', async () => {
    if (revalidation) clearInterval(revalidation);
    options.live?.setPlayPolicy(undefined);
    await options.exports?.close();
  });
}
