/** A POSIX TZ string read into offsets and DST rules (`CET-1CEST,M3.5.0,M10.5.0/3`). */
export interface PosixTz {
  /** Standard time minus UTC, ms (`ICT-7` → +7 h). */
  standardOffsetMs: number;
  /** Daylight time minus UTC, ms, when the zone has DST. */
  dst?: { offsetMs: number; start: DstRule; end: DstRule };
}

/** When a DST transition happens: a date rule and the local time of day, ms. */
export type DstRule = ({ kind: 'month'; month: number; week: number; weekday: number } | { kind: 'julian'; day: number; leap: boolean }) & {
  timeMs: number;
};

const NAME = String.raw`(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]+>)`;
const OFFSET = String.raw`([+-]?\d{1,2}(?::\d{2}(?::\d{2})?)?)`;
const TZ_PATTERN = new RegExp(String.raw`^${NAME}${OFFSET}(?:${NAME}${OFFSET}?(?:,([^,]+),([^,]+))?)?$`);

/** `[+-]hh[:mm[:ss]]` to ms, POSIX sign (west of Greenwich positive) preserved. */
function hms(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const [h = 0, m = 0, s = 0] = text.replace(/^[+-]/, '').split(':').map(Number);
  return sign * ((h * 60 + m) * 60 + s) * 1000;
}

function rule(text: string): DstRule | undefined {
  const [date = '', time] = text.split('/');
  const timeMs = time === undefined ? 2 * 3_600_000 : hms(time);
  const month = /^M(\d{1,2})\.(\d)\.(\d)$/.exec(date);
  if (month) return { kind: 'month', month: Number(month[1]), week: Number(month[2]), weekday: Number(month[3]), timeMs };
  const julian = /^(J?)(\d{1,3})$/.exec(date);
  if (julian) return { kind: 'julian', day: Number(julian[2]), leap: julian[1] === '', timeMs };
  return undefined;
}

/** Reads a POSIX TZ string; undefined when it is not one (e.g. a Windows zone name some cameras send). */
export function parsePosixTz(tz: string): PosixTz | undefined {
  const match = TZ_PATTERN.exec(tz.trim());
  if (!match) return undefined;
  // POSIX offsets are west-positive: "CET-1" is UTC+1.
  const standardOffsetMs = 0 - hms(match[1]!);
  const hasDstName = new RegExp(String.raw`^${NAME}${OFFSET}${NAME}`).test(tz.trim());
  if (!hasDstName) return { standardOffsetMs };
  const offsetMs = match[2] === undefined ? standardOffsetMs + 3_600_000 : 0 - hms(match[2]);
  // Without explicit rules POSIX leaves the dates to the implementation; the US rules are the usual default.
  const start = match[3] === undefined ? rule('M3.2.0') : rule(match[3]);
  const end = match[4] === undefined ? rule('M11.1.0') : rule(match[4]);
  if (!start || !end) return { standardOffsetMs };
  return { standardOffsetMs, dst: { offsetMs, start, end } };
}

/** Local midnight (as a UTC-based ms count of the local calendar) of the day a rule names in `year`. */
function ruleDay(r: DstRule, year: number): number {
  if (r.kind === 'julian') {
    const isLeap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    // Jn counts 1..365 and never Feb 29; n counts 0..365 including it.
    const day = r.leap ? r.day : r.day - 1 + (isLeap && r.day >= 60 ? 1 : 0);
    return Date.UTC(year, 0, 1) + day * 86_400_000;
  }
  const first = new Date(Date.UTC(year, r.month - 1, 1));
  let day = 1 + ((r.weekday - first.getUTCDay() + 7) % 7) + (r.week - 1) * 7;
  const daysInMonth = new Date(Date.UTC(year, r.month, 0)).getUTCDate();
  while (day > daysInMonth) day -= 7; // week 5 = the last such weekday
  return Date.UTC(year, r.month - 1, day);
}

/**
 * Converts a wall-clock reading of the zone (its local date and time written as if UTC, ms) to true
 * UTC ms, applying DST when the zone has it. In the repeated hour after DST ends, standard time is assumed.
 */
export function localToUtc(localAsUtcMs: number, tz: PosixTz): number {
  if (!tz.dst) return localAsUtcMs - tz.standardOffsetMs;
  const year = new Date(localAsUtcMs).getUTCFullYear();
  // Transitions in local wall time: the start is written in standard time, the end in daylight time.
  const start = ruleDay(tz.dst.start, year) + tz.dst.start.timeMs;
  const end = ruleDay(tz.dst.end, year) + tz.dst.end.timeMs - (tz.dst.offsetMs - tz.standardOffsetMs);
  const inDst = start < end ? localAsUtcMs >= start && localAsUtcMs < end : localAsUtcMs >= start || localAsUtcMs < end;
  return localAsUtcMs - (inDst ? tz.dst.offsetMs : tz.standardOffsetMs);
}
