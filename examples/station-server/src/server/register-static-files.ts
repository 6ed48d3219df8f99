import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import { WardwatchError } from '@wardwatch/core';
import type { FastifyInstance } from 'fastify';
import { sendApiError } from './send-api-error.js';

/**
 * The dashboard (`webRoot`, when built) with `index.html` for its client-side routes, `sendFile` for recordings,
 * and the API's `NOT_FOUND` body for any other unknown route.
 */
export async function registerStaticFiles(app: FastifyInstance, roots: { webRoot: string | undefined; recordingsRoot: string | undefined }): Promise<void> {
  const webRoot = roots.webRoot && existsSync(roots.webRoot) ? resolve(roots.webRoot) : undefined;
  if (webRoot) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: true, index: ['index.html'] });
  } else {
    // sendFile is still needed for recordings.
    await app.register(fastifyStatic, { root: roots.recordingsRoot ?? process.cwd(), serve: false });
  }
  app.setNotFoundHandler((request, reply) => {
    if (webRoot && request.method === 'GET' && !request.url.startsWith('/api/')) return reply.sendFile('index.html', webRoot);
    return sendApiError(reply.code(404), new WardwatchError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`));
  });
}
