import type { SightingQuery } from '../contracts/storage-adapter.js';
import { WardwatchError } from '../errors/wardwatch-error.js';
import type { Sighting } from '../model/sighting.js';
import { checkLimit, checkOptionalString, checkOptionalTime } from '../storage/check-query-options.js';
import { eventIdBound, parseEventId } from '../storage/event-id.js';
import { compactPlate, parsePlatePattern, type PlatePattern } from './plate-pattern.js';

/** A validated {@link SightingQuery}, what adapters plan their scans from. */
export interface CheckedSightingQuery {
  limit: number;
  /** Exclusive cursor (an id). */
  after?: string;
  /** Inclusive lower id bound from `from` (`''` without one). */
  low: string;
  /** Exclusive upper id bound from `to` (`'\uffff'` without one). */
  high: string;
  plate?: PlatePattern;
  entryId?: string;
  kind?: 'plate' | 'face';
  cameras?: ReadonlySet<string>;
}

/** Validates a sighting query (`INVALID_ARGUMENT`, or `PLATE_PATTERN_INVALID` for the plate) and resolves its bounds. */
export function checkSightingQuery(query: SightingQuery = {}): CheckedSightingQuery {
  const limit = checkLimit(query.limit, 100);
  const from = checkOptionalTime(query.from, 'from');
  const to = checkOptionalTime(query.to, 'to');
  const after = checkOptionalString(query.after, 'after');
  if (after !== undefined) parseEventId(after);
  const entryId = checkOptionalString(query.entryId, 'entryId');
  if (query.kind !== undefined && query.kind !== 'plate' && query.kind !== 'face') {
    throw new WardwatchError('INVALID_ARGUMENT', `kind must be "plate" or "face", got ${String(query.kind)}`, { details: { kind: query.kind } });
  }
  let cameras: Set<string> | undefined;
  if (query.cameraIds !== undefined) {
    if (!Array.isArray(query.cameraIds) || query.cameraIds.length === 0 || query.cameraIds.some((c) => typeof c !== 'string' || c.length === 0)) {
      throw new WardwatchError('INVALID_ARGUMENT', 'cameraIds must be a non-empty array of camera ids', { details: { cameraIds: query.cameraIds } });
    }
    cameras = new Set(query.cameraIds);
  }
  const plate = query.plate === undefined ? undefined : parsePlatePattern(query.plate);
  return {
    limit,
    ...(after === undefined ? {} : { after }),
    low: from === undefined ? '' : eventIdBound(from),
    high: to === undefined ? '\uffff' : eventIdBound(to),
    ...(plate === undefined ? {} : { plate }),
    ...(entryId === undefined ? {} : { entryId }),
    ...(query.kind === undefined ? {} : { kind: query.kind }),
    ...(cameras === undefined ? {} : { cameras }),
  };
}

/** Whether an id lies inside the query's time bounds and after its cursor. */
export function sightingIdInRange(id: string, q: CheckedSightingQuery): boolean {
  return id >= q.low && id < q.high && (q.after === undefined || id > q.after);
}

/** Whether a stored sighting passes every filter of a checked query. */
export function sightingMatches(sighting: Sighting, q: CheckedSightingQuery): boolean {
  return (
    sightingIdInRange(sighting.id, q) &&
    (q.kind === undefined || sighting.kind === q.kind) &&
    (q.cameras === undefined || q.cameras.has(sighting.cameraId)) &&
    (q.entryId === undefined || sighting.entryId === q.entryId) &&
    (q.plate === undefined || (sighting.plate !== undefined && q.plate.test(compactPlate(sighting.plate))))
  );
}
