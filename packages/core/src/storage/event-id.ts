import { WardwatchError } from '../errors/wardwatch-error.js';

const EVENT_ID = /^(\d{15})-(\d{12})$/;
const MAX_EVENT_AT = 999_999_999_999_999;

/**
 * Formats a stored event id from its time and the store's append counter: `<at:15 digits>-<seq:12 digits>`.
 * Ids sort lexicographically in time order, ties in append order, so they are strictly increasing for
 * events appended in time order.
 */
export function formatEventId(at: number, seq: number): string {
  return `${String(at).padStart(15, '0')}-${String(seq).padStart(12, '0')}`;
}

/** Parses an event id or paging cursor made by {@link formatEventId}; malformed ones throw `INVALID_ARGUMENT`. */
export function parseEventId(id: string): { at: number; seq: number } {
  const match = typeof id === 'string' ? EVENT_ID.exec(id) : null;
  if (!match) throw new WardwatchError('INVALID_ARGUMENT', `Not an event id or cursor: ${JSON.stringify(id)}`, { details: { id } });
  return { at: Number(match[1]), seq: Number(match[2]) };
}

/**
 * A string that sorts before every event id at or after time `at` and after every id before it,
 * for range bounds (`from` inclusive, `to` exclusive).
 */
export function eventIdBound(at: number): string {
  if (at > MAX_EVENT_AT) return '\uffff';
  return `${String(Math.max(0, Math.ceil(at))).padStart(15, '0')}-`;
}
