import type { Station, UptimeSummary } from '@wardwatch/core';
import type { FastifyRequest } from 'fastify';

/** The last 24 h of a camera; undefined (logged) when the status history cannot be read. */
export async function cameraUptime24h(station: Station, request: FastifyRequest, cameraId: string): Promise<UptimeSummary | undefined> {
  const now = Date.now();
  try {
    return await station.uptime(cameraId, { from: now - 24 * 3600_000, to: now });
  } catch (error) {
    request.log.warn({ err: error, cameraId }, 'uptime not computed');
    return undefined;
  }
}
