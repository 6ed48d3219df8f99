import { WardwatchError } from '@wardwatch/core';
import type { FastifyRequest } from 'fastify';
import type { ServerContext } from '../server/server-context.js';
import { timestamp } from './schemas.js';

/** JSON schema of a camera and time range linked to an incident. */
export const incidentRangeSchema = {
  type: 'object',
  required: ['cameraId', 'from', 'to'],
  additionalProperties: false,
  properties: { cameraId: { type: 'string', minLength: 1, maxLength: 64 }, from: timestamp, to: timestamp },
} as const;

/**
 * Checks the camera of a range linked to an incident: it must exist (`INVALID_ARGUMENT` otherwise; its recordings
 * may outlive it, so stored specs are not required) and the user must be allowed to see it (`NOT_FOUND` otherwise).
 */
export function checkIncidentCamera(ctx: Pick<ServerContext, 'station' | 'cameraFor'>, request: FastifyRequest, cameraId: string): void {
  if (!ctx.station.camera(cameraId)) {
    throw new WardwatchError('INVALID_ARGUMENT', `Invalid request: cameraId: camera ${cameraId} does not exist`, {
      details: { problems: [{ path: 'cameraId', message: 'unknown camera' }] },
    });
  }
  ctx.cameraFor(request, cameraId);
}
