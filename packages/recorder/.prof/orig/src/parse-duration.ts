import { WardwatchError } from '@wardwatch/core';

/** Parses `500ms`, `10s`, `2m`, `1h` or a bare number of seconds into milliseconds; `INVALID_ARGUMENT` otherwise. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new WardwatchError('INVALID_ARGUMENT', `not a duration: ${JSON.stringify(text)} (use e.g. 500ms, 10s, 2m, 1h)`);
  const value = Number.parseFloat(m[1]!);
  const unit = m[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return Math.round(value * factor);
}
