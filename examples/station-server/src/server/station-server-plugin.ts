import type { FastifyPluginAsync } from 'fastify';
import type { ServerContext } from './server-context.js';

/**
 * A route module of the station server: a Fastify plugin mounted under `/api` in its own encapsulated scope,
 * given the {@link ServerContext} (auth preHandlers, audit writer, station). The server's own routes and an
 * integrator's extra ones (`createStationServer({ plugins })`) are both this.
 */
export type StationServerPlugin<Context = ServerContext> = FastifyPluginAsync<{ context: Context }>;
