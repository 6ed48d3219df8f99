import { WardwatchError } from '../errors/wardwatch-error.js';
import type { PlatePatternErrorDetails } from '../errors/error-details.js';

/** The most symbols (known characters and wildcards, separators not counted) a plate pattern may have. */
export const PLATE_PATTERN_MAX_SYMBOLS = 12;

/** The fewest known characters (letters and digits) a plate pattern needs: fewer would match a large part of all traffic. */
export const PLATE_PATTERN_MIN_KNOWN = 3;

/** Layout characters of a plate, ignored when plates and patterns are compared. */
const SEPARATORS = new Set(['-', '.', ' ']);

/** A parsed plate pattern (see {@link parsePlatePattern}). */
export interface PlatePattern {
  /** The pattern as given. */
  readonly source: string;
  /** Known characters upper-cased and wildcards, separators removed: `29A-1??.45` → `29A1??45`. */
  readonly compact: string;
  /** True when the pattern has no wildcard: it names one plate. */
  readonly exact: boolean;
  /** The known characters before the first wildcard (the whole compact form when exact). */
  readonly prefix: string;
  /** The known characters after the last wildcard (empty when exact). */
  readonly suffix: string;
  /** Whether a plate in compact form ({@link compactPlate}) matches. */
  test(compact: string): boolean;
}

/**
 * The compact form plates are indexed and compared by: upper-cased letters (`Đ` included) and digits only,
 * so `29a-123.45`, `29A 12345` and `29A-123.45` are the same plate.
 */
export function compactPlate(plate: string): string {
  let out = '';
  for (const ch of plate.toUpperCase()) if ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch === 'Đ') out += ch;
  return out;
}

/** A string's characters in reverse order (the key of the suffix index). */
export function reversePlate(compact: string): string {
  return [...compact].reverse().join('');
}

function fail(pattern: string, rule: PlatePatternErrorDetails['rule'], message: string, position?: number): never {
  throw new WardwatchError('PLATE_PATTERN_INVALID', `Invalid plate pattern ${JSON.stringify(pattern)}: ${message}`, {
    details: { pattern, rule, ...(position === undefined ? {} : { position }) },
  });
}

/**
 * Parses a plate or a partial plate from a witness. The grammar:
 * - letters (`A`–`Z`, `Đ`, either case) and digits are known characters;
 * - `?` stands for exactly one unknown character, `*` for any run of them (also none);
 * - `-`, `.` and spaces are layout and ignored, on plates and patterns alike (`29A-1??.45` ≡ `29A1??45`).
 *
 * Rules, each failing with `PLATE_PATTERN_INVALID` and `details.rule`: `empty` (nothing but separators),
 * `character` (any other character; `details.position` says where), `too-long` (more than
 * {@link PLATE_PATTERN_MAX_SYMBOLS} symbols), `adjacent-stars` (`**`), `too-few-known` (fewer than
 * {@link PLATE_PATTERN_MIN_KNOWN} known characters, which would match too much traffic to be a search).
 */
export function parsePlatePattern(pattern: string): PlatePattern {
  if (typeof pattern !== 'string') fail(String(pattern), 'character', 'must be a string');
  let compact = '';
  let known = 0;
  let position = 0;
  for (const raw of pattern) {
    const ch = raw.toUpperCase();
    if (!SEPARATORS.has(raw)) {
      if ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch === 'Đ') known++;
      else if (raw === '*') {
        if (compact.endsWith('*')) fail(pattern, 'adjacent-stars', '"**" is the same as "*"; write one', position);
      } else if (raw !== '?') {
        fail(pattern, 'character', `${JSON.stringify(raw)} at position ${position} is not a letter, digit, "?", "*", "-", "." or space`, position);
      }
      compact += ch;
    }
    position += raw.length;
  }
  if (compact.length === 0) fail(pattern, 'empty', 'it has no letters, digits or wildcards');
  if ([...compact].length > PLATE_PATTERN_MAX_SYMBOLS) fail(pattern, 'too-long', `more than ${PLATE_PATTERN_MAX_SYMBOLS} letters, digits and wildcards`);
  if (known < PLATE_PATTERN_MIN_KNOWN) fail(pattern, 'too-few-known', `it needs at least ${PLATE_PATTERN_MIN_KNOWN} known letters or digits`);
  const first = compact.search(/[?*]/);
  const exact = first === -1;
  const prefix = exact ? compact : compact.slice(0, first);
  const last = Math.max(compact.lastIndexOf('?'), compact.lastIndexOf('*'));
  const suffix = exact ? '' : compact.slice(last + 1);
  const regex = exact ? undefined : new RegExp(`^${compact.replace(/\?/g, '.').replace(/\*/g, '.*')}$`, 'u');
  return {
    source: pattern,
    compact,
    exact,
    prefix,
    suffix,
    test: regex ? (plate) => regex.test(plate) : (plate) => plate === compact,
  };
}
