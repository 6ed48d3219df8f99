import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { toApiError } from './http-error.js';
import type { StationServerOptions } from './station-server-options.js';

/** The bare Fastify instance of the server: logger, HTTPS, proxy trust, 1 MiB bodies, the API's error body before routing. */
export function createFastifyApp(options: Pick<StationServerOptions, 'logger' | 'https' | 'trustProxy'>): FastifyInstance {
  return Fastify({
    logger: options.logger ?? false,
    ...(options.https ? { https: { cert: options.https.cert, key: options.https.key } } : {}),
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
    // Errors Fastify meets before routing (a malformed URL, a bad content length) get the API's error body too.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      const { status, body } = toApiError(error);
      request.log.info({ code: body.error.code, status }, 'request refused');
      return reply.code(status).type('application/json').send(body);
    },
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array' } },
  }) as unknown as FastifyInstance;
}
