import { WardwatchError } from '../errors/wardwatch-error.js';

/** The largest page size a query accepts. */
export const MAX_PAGE_LIMIT = 10_000;

/** Checks a page size or result limit: an integer from 1 to `max`, else `INVALID_ARGUMENT`; `undefined` gives `fallback`. */
export function checkLimit(limit: number | undefined, fallback: number, max: number = MAX_PAGE_LIMIT): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new WardwatchError('INVALID_ARGUMENT', `limit must be an integer from 1 to ${max}, got ${String(limit)}`, { details: { limit } });
  }
  return limit;
}

/** Checks an optional time bound: a finite number or `undefined`, else `INVALID_ARGUMENT`. */
export function checkOptionalTime(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new WardwatchError('INVALID_ARGUMENT', `${name} must be a finite UTC epoch millisecond time, got ${String(value)}`, { details: { [name]: value } });
  }
  return value;
}

/** Checks an optional non-empty string filter (camera id, status, cursor...), else `INVALID_ARGUMENT`. */
export function checkOptionalString(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) {
    throw new WardwatchError('INVALID_ARGUMENT', `${name} must be a non-empty string`, { details: { [name]: value } });
  }
  return value;
}
