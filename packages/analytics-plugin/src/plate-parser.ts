import { VN_PLATE_PROVINCES } from './vn-provinces.js';

/** The kind of a Vietnamese plate, from its layout and series. */
export type PlateKind = 'car' | 'motorbike' | 'diplomatic' | 'foreign' | 'international-org' | 'military';

/** A Vietnamese plate read from text, in normalised form. */
export interface ParsedPlate {
  /** Normalised text: `30A-123.45`, `30A-1234`, `29-B1 123.45`, `29-HA 002.33`, `80-011-NG-01`, `TM-12-34`. */
  plate: string;
  kind: PlateKind;
  /** The two-digit province code (absent on military plates). */
  provinceCode?: string;
  /** The province or city issuing the code (absent on military plates). */
  province?: string;
  /** The series (`A`, `LD`, `B1`, `HA`, `NG`, `TM`...). */
  series: string;
  /** The registration number, digits only. */
  number: string;
  /** One-row (car) or two-row (motorbike) layout. */
  rows: 1 | 2;
  /** A label for special series (`joint-venture`, `diplomatic`, ...), when the series is special. */
  special?: string;
  /** How many characters were corrected from look-alikes (`O`→`0`, `8`→`B`...) to fit the layout. */
  corrections: number;
}

/** Options of {@link parseVietnamesePlate}. */
export interface ParsePlateOptions {
  /** The plate layout when known (a two-row read of a motorbike plate); otherwise inferred from line breaks and separators. */
  rows?: 1 | 2;
  /** The most look-alike corrections accepted before the text is rejected. @default 2 */
  maxCorrections?: number;
}

/** Series letters used on civil plates (no I, J, O, Q, W). */
const SERIES_LETTERS = new Set('ABCDEFGHKLMNPRSTUVXYZ');

/** Two-letter car series with a special meaning. */
const CAR_SPECIAL_SERIES: Readonly<Record<string, string>> = {
  LD: 'joint-venture',
  KT: 'military-enterprise',
  DA: 'project',
  MK: 'machinery',
  TD: 'test-drive',
  HC: 'restricted-use',
};

/** Series of foreign-mission plates (`80-011-NG-01`). */
const MISSION_SERIES: Readonly<Record<string, PlateKind>> = {
  NG: 'diplomatic',
  NN: 'foreign',
  QT: 'international-org',
  CV: 'foreign',
};

/** Two-letter series of military plates (red plates, no province code). */
const MILITARY_SERIES = new Set([
  'AA', 'AB', 'AC', 'AD', 'AN', 'AP', 'AT', 'AV', 'BB', 'BC', 'BH', 'BK', 'BL', 'BP', 'BS', 'BT', 'BV',
  'HA', 'HB', 'HC', 'HD', 'HE', 'HH', 'HN', 'HQ', 'HT', 'KA', 'KB', 'KC', 'KD', 'KK', 'KN', 'KP', 'KT',
  'KV', 'PA', 'PC', 'PK', 'PM', 'PP', 'PQ', 'PT', 'PX', 'PY', 'QA', 'QB', 'QH', 'TC', 'TH', 'TK', 'TM',
  'TN', 'TT', 'VT',
]);

const TO_DIGIT: Readonly<Record<string, string>> = { O: '0', Q: '0', D: '0', U: '0', I: '1', L: '1', J: '1', Z: '2', S: '5', G: '6', T: '7', B: '8' };
const TO_LETTER: Readonly<Record<string, string>> = { '0': 'D', '8': 'B', '5': 'S', '2': 'Z', '6': 'G', '4': 'A', '7': 'T', '1': 'T' };

/** `D` a digit, `L` a series letter. */
type Slot = 'D' | 'L';

/** Coerces `text` to the slot pattern, counting look-alike corrections; undefined when impossible. */
function coerce(text: string, pattern: string): { text: string; corrections: number } | undefined {
  if (text.length !== pattern.length) return undefined;
  let out = '';
  let corrections = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    const slot = pattern[i] as Slot;
    if (slot === 'D') {
      if (c >= '0' && c <= '9') out += c;
      else if (TO_DIGIT[c]) {
        out += TO_DIGIT[c];
        corrections += 1;
      } else return undefined;
    } else if (SERIES_LETTERS.has(c)) out += c;
    else if (TO_LETTER[c]) {
      out += TO_LETTER[c];
      corrections += 1;
    } else return undefined;
  }
  return { text: out, corrections };
}

/** Upper-cases, removes diacritics (`Đ`→`D`) and splits into rows of `[A-Z0-9]` plus `-`/`.` separators. */
function cleanRows(text: string): string[] {
  const plain = text
    .replace(/[đĐ]/g, 'D')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();
  return plain
    .split(/[\n\r|/\\]+/)
    .map((row) =>
      row
        .replace(/[\s_\u2013\u2014~]+/g, ' ')
        .replace(/[,:;·•]/g, '.')
        .replace(/[^A-Z0-9 .-]/g, '')
        .trim(),
    )
    .filter((row) => row.length > 0);
}

const compact = (row: string): string => row.replace(/[ .-]/g, '');

function withProvince(code: string): { provinceCode: string; province: string } | undefined {
  const province = VN_PLATE_PROVINCES[code];
  return province === undefined ? undefined : { provinceCode: code, province };
}

const groupNumber = (n: string): string => (n.length === 5 ? `${n.slice(0, 3)}.${n.slice(3)}` : n);

function validNumber(n: string): boolean {
  return /^\d{4,5}$/.test(n) && !/^0+$/.test(n);
}

function car(code: string, series: string, number: string, corrections: number): ParsedPlate | undefined {
  const p = withProvince(code);
  if (!p || !validNumber(number)) return undefined;
  if (series.length === 2 && CAR_SPECIAL_SERIES[series] === undefined) return undefined;
  const special = series.length === 2 ? CAR_SPECIAL_SERIES[series] : undefined;
  return {
    plate: `${code}${series}-${groupNumber(number)}`,
    kind: 'car',
    ...p,
    series,
    number,
    rows: 1,
    ...(special ? { special } : {}),
    corrections,
  };
}

function motorbike(code: string, series: string, number: string, corrections: number): ParsedPlate | undefined {
  const p = withProvince(code);
  if (!p || !validNumber(number)) return undefined;
  return { plate: `${code}-${series} ${groupNumber(number)}`, kind: 'motorbike', ...p, series, number, rows: 2, corrections };
}

type Candidate = ParsedPlate | undefined;

function tryPatterns(text: string, patterns: ReadonlyArray<[string, (s: string, corrections: number) => Candidate]>, max: number): Candidate {
  let best: Candidate;
  for (const [pattern, build] of patterns) {
    const c = coerce(text, pattern);
    if (!c || c.corrections > max) continue;
    const parsed = build(c.text, c.corrections);
    if (parsed && (best === undefined || parsed.corrections < best.corrections)) best = parsed;
    if (best?.corrections === 0) break;
  }
  return best;
}

const CAR_PATTERNS: ReadonlyArray<[string, (s: string, k: number) => Candidate]> = [
  ['DDLDDDDD', (s, k) => car(s.slice(0, 2), s.slice(2, 3), s.slice(3), k)],
  ['DDLDDDD', (s, k) => car(s.slice(0, 2), s.slice(2, 3), s.slice(3), k)],
  ['DDLLDDDDD', (s, k) => car(s.slice(0, 2), s.slice(2, 4), s.slice(4), k)],
  ['DDLLDDDD', (s, k) => car(s.slice(0, 2), s.slice(2, 4), s.slice(4), k)],
];

const BIKE_PATTERNS: ReadonlyArray<[string, (s: string, k: number) => Candidate]> = [
  ['DDLDDDDDD', (s, k) => motorbike(s.slice(0, 2), s.slice(2, 4), s.slice(4), k)],
  ['DDLDDDDD', (s, k) => motorbike(s.slice(0, 2), s.slice(2, 4), s.slice(4), k)],
  ['DDLLDDDDD', (s, k) => motorbike(s.slice(0, 2), s.slice(2, 4), s.slice(4), k)],
];

function mission(text: string, max: number): Candidate {
  for (const pattern of ['DDDDDLLDD', 'DDDDDLLDDD']) {
    const c = coerce(text, pattern);
    if (!c || c.corrections > max) continue;
    const code = c.text.slice(0, 2);
    const series = c.text.slice(5, 7);
    const kind = MISSION_SERIES[series];
    const p = withProvince(code);
    const number = c.text.slice(2, 5) + c.text.slice(7);
    if (!kind || !p || /^0+$/.test(c.text.slice(7))) continue;
    return {
      plate: `${code}-${c.text.slice(2, 5)}-${series}-${c.text.slice(7)}`,
      kind,
      ...p,
      series,
      number,
      rows: 1,
      special: kind,
      corrections: c.corrections,
    };
  }
  return undefined;
}

function military(text: string, max: number): Candidate {
  const c = coerce(text, 'LLDDDD');
  if (!c || c.corrections > max || !MILITARY_SERIES.has(c.text.slice(0, 2))) return undefined;
  const number = c.text.slice(2);
  if (/^0+$/.test(number)) return undefined;
  return {
    plate: `${c.text.slice(0, 2)}-${number.slice(0, 2)}-${number.slice(2)}`,
    kind: 'military',
    series: c.text.slice(0, 2),
    number,
    rows: 1,
    special: 'military',
    corrections: c.corrections,
  };
}

/**
 * Parses and normalises a Vietnamese licence plate from OCR or typed text: one-row car plates
 * (`30A-123.45`, older `30A-1234`, special series such as `51LD-123.45`), two-row motorbike plates
 * (`29-B1 123.45`, two-letter series `29-HA 002.33`), foreign-mission plates (`80-011-NG-01`) and
 * military plates (`TM-12-34`). Returns `undefined` for anything that is not a valid plate
 * (unknown province code, impossible layout, all-zero number, too many look-alike corrections).
 */
export function parseVietnamesePlate(text: string, options: ParsePlateOptions = {}): ParsedPlate | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 64) return undefined;
  const max = options.maxCorrections ?? 2;
  const rows = cleanRows(text);
  if (rows.length === 0 || rows.length > 2) return undefined;
  const layout = options.rows ?? (rows.length === 2 ? 2 : 1);
  const joined = compact(rows.join(''));
  if (layout === 2) {
    if (rows.length === 2) {
      const top = compact(rows[0] as string);
      const bottom = compact(rows[1] as string);
      if (top.length < 3 || top.length > 4 || bottom.length < 4 || bottom.length > 5) return undefined;
    }
    return tryPatterns(joined, BIKE_PATTERNS, max);
  }
  const row = rows[0] as string;
  // A separator right after the two-digit code is the motorbike layout read as one line (`29-B1 123.45`).
  const bikeHint = /^[0-9A-Z]{2}[ -]/.test(row) && !/^[A-Z]{2}/.test(row);
  const special = mission(joined, max) ?? military(joined, max);
  if (special) return special;
  // A separator after the series (`30A-`, `51LD-`) is the car layout: no motorbike reading.
  const carHint = !bikeHint && /^[0-9A-Z]{3,4}[ -]/.test(row);
  const order = bikeHint ? [BIKE_PATTERNS, CAR_PATTERNS] : carHint ? [CAR_PATTERNS] : [CAR_PATTERNS, BIKE_PATTERNS];
  for (const patterns of order) {
    const parsed = tryPatterns(joined, patterns, max);
    if (parsed) return parsed;
  }
  return undefined;
}

/** The normalised text of a Vietnamese plate (see {@link parseVietnamesePlate}), or `undefined` when invalid. */
export function normalizeVietnamesePlate(text: string, options?: ParsePlateOptions): string | undefined {
  return parseVietnamesePlate(text, options)?.plate;
}
