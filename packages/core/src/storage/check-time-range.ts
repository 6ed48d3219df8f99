import { WardwatchError } from '../errors/wardwatch-error.js';
import type { TimeRange } from '../model/segment.js';

/**
 * Checks that `range` is a half-open `[from, to)` range of finite numbers with `to >= from`,
 * throwing `INVALID_ARGUMENT` otherwise. An empty range (`to === from`) is allowed and matches nothing.
 */
export function checkTimeRange(range: TimeRange, what = 'range'): TimeRange {
  if (range === null || typeof range !== 'object' || !Number.isFinite(range.from) || !Number.isFinite(range.to)) {
    throw new WardwatchError('INVALID_ARGUMENT', `The ${what} must be { from, to } in finite UTC epoch milliseconds`, { details: { range } });
  }
  if (range.to < range.from) {
    throw new WardwatchError('INVALID_ARGUMENT', `The ${what} ends (${range.to}) before it starts (${range.from})`, { details: { range } });
  }
  return range;
}

/** True when the half-open span `[start, end)` overlaps the half-open `range`; a zero-length span counts as the instant `start`. */
export function overlapsRange(start: number, end: number, range: TimeRange): boolean {
  if (end <= start) return start >= range.from && start < range.to;
  return start < range.to && end > range.from;
}
