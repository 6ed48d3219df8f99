import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../auth/session-cookie.js';

/** The OpenAPI description of the routes (session cookie security) and its UI at `/api/docs`. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'WardWatch station API',
        description: 'Cameras, live view, recordings, events, incidents, exports, reports and health of a ward police station.',
        version: '0.1.0',
      },
      tags: ['auth', 'cameras', 'recordings', 'events', 'incidents', 'exports', 'evidence', 'holds', 'reports', 'health', 'users', 'audit'].map((name) => ({ name })),
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
      security: [{ session: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
}
