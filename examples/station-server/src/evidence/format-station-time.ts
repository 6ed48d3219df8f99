import { WardwatchError } from '@wardwatch/core';

/** The zone of Vietnamese police stations (UTC+07:00, no daylight saving). */
export const STATION_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'longOffset',
      });
    } catch (error) {
      throw new WardwatchError('INVALID_ARGUMENT', `Unknown time zone "${timeZone}" (use an IANA name such as ${STATION_TIME_ZONE})`, { cause: error });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Formats epoch ms as the station's wall-clock time with milliseconds and the UTC offset,
 * e.g. `2026-11-20 15:00:07.250 (UTC+07:00)`; throws `INVALID_ARGUMENT` for an unknown zone.
 */
export function formatStationTime(ms: number, timeZone: string = STATION_TIME_ZONE): string {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(ms).map((part) => [part.type, part.value]));
  const offset = parts.timeZoneName === 'GMT' ? 'UTC+00:00' : String(parts.timeZoneName).replace('GMT', 'UTC');
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}.${millis} (${offset})`;
}

/** Formats epoch ms as UTC with milliseconds, e.g. `2026-11-20 08:00:07.250 UTC`. */
export function formatUtcTime(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}
