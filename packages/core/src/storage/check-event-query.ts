import type { EventQuery } from '../contracts/storage-adapter.js';
import { WardwatchError } from '../errors/wardwatch-error.js';
import { checkLimit, checkOptionalString, checkOptionalTime } from './check-query-options.js';
import { parseEventId } from './event-id.js';

/** An {@link EventQuery} checked by {@link checkEventQuery}: defaults applied, `types` as a set. */
export interface CheckedEventQuery {
  limit: number;
  from: number | undefined;
  to: number | undefined;
  cameraId: string | undefined;
  /** Undefined when every type is wanted. */
  types: Set<string> | undefined;
}

/** Checks an event query the same way in every adapter (`INVALID_ARGUMENT`): limit, time bounds, camera, cursor and types. */
export function checkEventQuery(query: EventQuery): CheckedEventQuery {
  const limit = checkLimit(query.limit, 100);
  const from = checkOptionalTime(query.from, 'from');
  const to = checkOptionalTime(query.to, 'to');
  const cameraId = checkOptionalString(query.cameraId, 'cameraId');
  if (query.after !== undefined) parseEventId(query.after);
  if (query.types !== undefined && !Array.isArray(query.types)) throw new WardwatchError('INVALID_ARGUMENT', 'types must be an array of event types');
  return { limit, from, to, cameraId, types: query.types === undefined ? undefined : new Set<string>(query.types) };
}
