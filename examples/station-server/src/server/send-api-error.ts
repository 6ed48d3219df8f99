import type { FastifyReply } from 'fastify';
import { toApiError } from './http-error.js';

/** Sends an error as the standard API error body, with the status of its code. */
export function sendApiError(reply: FastifyReply, error: unknown): FastifyReply {
  const { status, body } = toApiError(error);
  return reply.code(status).type('application/json').send(body);
}
