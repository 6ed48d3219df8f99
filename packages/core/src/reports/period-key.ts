import { WardwatchError } from '../errors/wardwatch-error.js';

/** Report periods: calendar day, ISO week (Monday first), month, quarter or year. */
export type ReportPeriod = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** Parses a UTC offset like `+07:00`, `-05:30` or `Z` into minutes. */
export function parseUtcOffset(offset: string): number {
  if (offset === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (!m || Number(m[2]) > 14 || Number(m[3]) > 59) {
    throw new WardwatchError('INVALID_ARGUMENT', `Invalid UTC offset "${offset}": expected ±HH:MM, e.g. +07:00`);
  }
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/**
 * The period an instant falls in, in local time at `offsetMinutes` east of UTC: a sortable key
 * (`2026-11-23`, `2026-W48`, `2026-11`, `2026-Q4`, `2026`) and the period's UTC `[from, to)`.
 */
export function periodOf(at: number, period: ReportPeriod, offsetMinutes: number): { key: string; from: number; to: number } {
  const shift = offsetMinutes * 60_000;
  const local = new Date(at + shift);
  const y = local.getUTCFullYear();
  const mo = local.getUTCMonth();
  const d = local.getUTCDate();
  const pad = (n: number): string => String(n).padStart(2, '0');
  let start: number;
  let end: number;
  let key: string;
  switch (period) {
    case 'day':
      start = Date.UTC(y, mo, d);
      end = Date.UTC(y, mo, d + 1);
      key = `${y}-${pad(mo + 1)}-${pad(d)}`;
      break;
    case 'week': {
      const dow = (local.getUTCDay() + 6) % 7; // Monday = 0
      start = Date.UTC(y, mo, d - dow);
      end = start + 7 * 86_400_000;
      const thursday = new Date(start + 3 * 86_400_000);
      const isoYear = thursday.getUTCFullYear();
      const week = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * 86_400_000)) + 1;
      key = `${isoYear}-W${pad(week)}`;
      break;
    }
    case 'month':
      start = Date.UTC(y, mo, 1);
      end = Date.UTC(y, mo + 1, 1);
      key = `${y}-${pad(mo + 1)}`;
      break;
    case 'quarter': {
      const q = Math.floor(mo / 3);
      start = Date.UTC(y, q * 3, 1);
      end = Date.UTC(y, q * 3 + 3, 1);
      key = `${y}-Q${q + 1}`;
      break;
    }
    case 'year':
      start = Date.UTC(y, 0, 1);
      end = Date.UTC(y + 1, 0, 1);
      key = `${y}`;
      break;
    default:
      throw new WardwatchError('INVALID_ARGUMENT', `Invalid report period "${String(period)}": expected day, week, month, quarter or year`);
  }
  return { key, from: start - shift, to: end - shift };
}
