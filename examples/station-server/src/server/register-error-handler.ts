import { WardwatchError } from '@wardwatch/core';
import type { FastifyInstance } from 'fastify';
import { toApiError } from './http-error.js';
import { sendApiError } from './send-api-error.js';

/**
 * Answers every route error with the API error body: schema validation failures become one `INVALID_ARGUMENT`
 * listing each problem by path; 5xx are logged as failures, 4xx (Fastify's own included) only as refusals.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const e = error as { validation?: Array<{ instancePath?: string; message?: string; params?: Record<string, unknown> }>; validationContext?: string };
    if (e.validation) {
      const problems = e.validation.map((v) => {
        const missing = v.params && typeof v.params['missingProperty'] === 'string' ? `/${v.params['missingProperty']}` : '';
        const extra = v.params && typeof v.params['additionalProperty'] === 'string' ? `/${v.params['additionalProperty']}` : '';
        const path = `${e.validationContext ?? 'body'}${(v.instancePath ?? '') + missing + extra}`.replace(/\//g, '.');
        return { path, message: v.message ?? 'is invalid' };
      });
      return sendApiError(
        reply,
        new WardwatchError('INVALID_ARGUMENT', `Invalid request: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { details: { problems } }),
      );
    }
    const { status, body } = toApiError(error);
    // Client mistakes (4xx, Fastify's own included) are answered, not logged as server errors.
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.error.code, status }, 'request refused');
    return reply.code(status).type('application/json').send(body);
  });
}
