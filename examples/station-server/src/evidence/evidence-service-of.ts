import { WardwatchError, type EvidenceService } from '@wardwatch/core';
import type { ServerContext } from '../server/server-context.js';

/** The station's evidence service; `STATION_NOT_RUNNING` while there is none (the station is not running). */
export function evidenceServiceOf(ctx: Pick<ServerContext, 'evidence'>): EvidenceService {
  const service = ctx.evidence();
  if (!service) throw new WardwatchError('STATION_NOT_RUNNING', 'Evidence export is unavailable while the station is not running');
  return service;
}
