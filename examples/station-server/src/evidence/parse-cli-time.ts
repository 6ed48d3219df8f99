import { WardwatchError } from '@wardwatch/core';

const WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Parses a command-line time: UTC epoch milliseconds, or ISO-8601 with an explicit zone
 * (`2026-11-20T08:00:00Z`, `2026-11-20 15:00+07:00`). A time without a zone is refused, so an
 * export never silently shifts by the station's UTC offset.
 */
export function parseCliTime(text: string, name: string): number {
  const value = text.trim();
  if (/^\d{10,15}$/.test(value)) return Number(value);
  if (!WITH_ZONE.test(value)) {
    throw new WardwatchError(
      'INVALID_ARGUMENT',
      `--${name} "${text}" is not a time with a zone: use ISO-8601 with Z or an offset (e.g. 2026-11-20T15:00:00+07:00) or epoch milliseconds`,
    );
  }
  const ms = Date.parse(value.replace(' ', 'T'));
  if (!Number.isFinite(ms)) throw new WardwatchError('INVALID_ARGUMENT', `--${name} "${text}" is not a valid date`);
  return ms;
}
