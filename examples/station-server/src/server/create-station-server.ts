import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { createSessionStore } from '../auth/session-store.js';
import { SERVER_ROUTES } from '../routes/server-routes.js';
import { createFastifyApp } from './create-fastify-app.js';
import { createServerContext } from './create-server-context.js';
import { registerErrorHandler } from './register-error-handler.js';
import { registerOpenApi } from './register-open-api.js';
import { registerServerLifecycle } from './register-server-lifecycle.js';
import { registerStaticFiles } from './register-static-files.js';
import { registerSecurityHooks } from './security-hooks.js';
import type { StationServerOptions } from './station-server-options.js';

export type { StationServerOptions } from './station-server-options.js';

/** Builds the Fastify server of a station: REST API with OpenAPI at `/api/docs`, SSE events, the dashboard. */
export async function createStationServer(options: StationServerOptions): Promise<FastifyInstance> {
  const sessions = options.sessions ?? createSessionStore();
  const app = createFastifyApp(options);
  await app.register(fastifyCookie);
  registerSecurityHooks(app, options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {});
  await registerOpenApi(app);
  registerErrorHandler(app);

  const context = createServerContext(options, sessions, app.log);
  await app.register(
    async (api) => {
      for (const plugin of [...SERVER_ROUTES, ...(options.plugins ?? [])]) await api.register(plugin, { context });
    },
    { prefix: '/api' },
  );
  await registerStaticFiles(app, { webRoot: options.webRoot, recordingsRoot: context.recordingsRoot });
  registerServerLifecycle(app, context, options);
  return app;
}
