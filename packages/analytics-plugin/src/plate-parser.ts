import { VN_PLATE_PROVINCES } from './vn-provinces.js';
import {
  BIKE_SERIES_DIGITS,
  CAR_SPECIAL_SERIES,
  ELECTRIC_BIKE_SERIES,
  MILITARY_SERIES,
  MISSION_SERIES,
  SERIES_LETTERS,
  TEMPORARY_MARK,
  TRAILER_SERIES,
} from './vn-plate-rules.js';

/** The kind of a Vietnamese plate, from its layout and series. */
export type PlateKind = 'car' | 'trailer' | 'motorbike' | 'diplomatic' | 'foreign' | 'international-org' | 'military' | 'temporary';

/** How the plate is laid out: one row, the two rows of a motorbike plate, or the two rows of a square car/trailer plate. */
export type PlateLayout = 'one-row' | 'motorbike' | 'square';

/** A Vietnamese plate read from text, in normalised form. */
export interface ParsedPlate {
  /** Normalised text: `30A-123.45`, `30A-1234`, `51R-123.45`, `29-B1 123.45`, `29-HA 002.33`, `29-MĐ1 123.45`, `80-011-NG-01`, `TM-12-34`, `T30-123.45`. */
  plate: string;
  kind: PlateKind;
  /** The two-digit province code (absent on military plates). */
  provinceCode?: string;
  /** The province or city issuing the code (absent on military plates). */
  province?: string;
  /** The series (`A`, `R`, `LD`, `B1`, `HA`, `MĐ1`, `NG`, `TM`...). */
  series: string;
  /** The registration number, digits only. */
  number: string;
  /** One row, or two rows (motorbike and square car/trailer plates). */
  rows: 1 | 2;
  /** Which layout the text was read as. */
  layout: PlateLayout;
  /** A label for special series (`joint-venture`, `electric`, `diplomatic`, ...), when the series is special. */
  special?: string;
  /** How many characters were corrected from look-alikes (`O`→`0`, `8`→`B`...) to fit the layout. */
  corrections: number;
}

/** Options of {@link parseVietnamesePlate}. */
export interface ParsePlateOptions {
  /**
   * `2`: the text is a two-row plate read without its line break (the motorbike layout is preferred);
   * `1`: the text is one line (a one-row plate, or a motorbike plate written on one line; never the square layout).
   * Otherwise inferred from line breaks and separators.
   */
  rows?: 1 | 2;
  /** The layout when the plate's shape tells it (a reader measuring the plate); only that layout is accepted. */
  layout?: PlateLayout;
  /** The most look-alike corrections accepted before the text is rejected. @default 2 */
  maxCorrections?: number;
}

const TO_DIGIT: Readonly<Record<string, string>> = { O: '0', Q: '0', D: '0', U: '0', I: '1', L: '1', J: '1', Z: '2', S: '5', G: '6', T: '7', B: '8' };
const TO_LETTER: Readonly<Record<string, string>> = { '0': 'D', '8': 'B', '5': 'S', '2': 'Z', '6': 'G', '4': 'A', '7': 'T', '1': 'T' };
const ALL_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A break in the text before compact index `at`: a line break, dash, dot or space. */
type Break = '\n' | '-' | '.' | ' ';

/** The text as characters `[A-Z0-9]` and the breaks between them. */
interface Tokens {
  chars: string;
  breaks: Map<number, Break>;
  rowBreaks: number;
}

const STRENGTH: Record<Break, number> = { '\n': 3, '.': 2, '-': 1, ' ': 0 };

/** Upper-cases, removes diacritics (`Đ`→`D`), and records where rows and separators break the characters. */
function tokenize(text: string): Tokens | undefined {
  const plain = text
    .replace(/[đĐÐ]/g, 'D')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();
  const rows = plain
    .split(/[\n\r|/\\]+/)
    .map((row) =>
      row
        .replace(/[\s_\u2013\u2014~]+/g, ' ')
        .replace(/[,:;·•]/g, '.')
        .replace(/[^A-Z0-9 .-]/g, '')
        .trim(),
    )
    .filter((row) => row.replace(/[ .-]/g, '').length > 0);
  if (rows.length === 0 || rows.length > 2) return undefined;
  let chars = '';
  const breaks = new Map<number, Break>();
  const mark = (at: number, b: Break): void => {
    if (at === 0) return;
    const had = breaks.get(at);
    if (had === undefined || STRENGTH[b] > STRENGTH[had]) breaks.set(at, b);
  };
  rows.forEach((row, r) => {
    if (r > 0) mark(chars.length, '\n');
    for (const c of row) {
      if (c === '-' || c === '.' || c === ' ') mark(chars.length, c);
      else chars += c;
    }
  });
  // A separator at the very end means nothing.
  breaks.delete(chars.length);
  return { chars, breaks, rowBreaks: rows.length - 1 };
}

/** A slot of a layout: `D` digit, `P` digit 1–9, `L` one of the 20 series letters, `A` any letter, or a literal. */
type Slot = 'D' | 'P' | 'L' | 'A' | { literal: string };

interface Coerced {
  text: string;
  corrections: number;
  /** Letters in letter slots that were read as letters (not corrected from digits). */
  lettersRead: number;
}

function coerce(chars: string, slots: readonly Slot[]): Coerced | undefined {
  if (chars.length !== slots.length) return undefined;
  let text = '';
  let corrections = 0;
  let lettersRead = 0;
  for (let i = 0; i < slots.length; i += 1) {
    const c = chars[i] as string;
    const slot = slots[i] as Slot;
    if (typeof slot === 'object') {
      if (c === slot.literal) lettersRead += 1;
      else if (TO_LETTER[c] === slot.literal || (slot.literal === 'D' && c === '0')) corrections += 1;
      else return undefined;
      text += slot.literal;
    } else if (slot === 'D' || slot === 'P') {
      const d = c >= '0' && c <= '9' ? c : TO_DIGIT[c];
      if (d === undefined) return undefined;
      if (slot === 'P' && !BIKE_SERIES_DIGITS.includes(d)) return undefined;
      if (d !== c) corrections += 1;
      text += d;
    } else {
      const set = slot === 'L' ? SERIES_LETTERS : ALL_LETTERS;
      if (set.includes(c)) {
        text += c;
        lettersRead += 1;
      } else if (TO_LETTER[c] !== undefined && set.includes(TO_LETTER[c])) {
        text += TO_LETTER[c];
        corrections += 1;
      } else return undefined;
    }
  }
  return { text, corrections, lettersRead };
}

/** One way of reading the characters: the slots, where breaks may fall, and how to build the plate. */
interface Reading {
  layouts: readonly PlateLayout[];
  slots: readonly Slot[];
  /** Compact indices where a break may fall, with the break kinds allowed there. */
  allowed: ReadonlyMap<number, readonly Break[]>;
  /** Where the row break of a two-row plate is. */
  rowBreakAt?: number;
  /** Breaks that must be present for a reading whose letters were all corrected from digits. */
  confirmBy: readonly number[];
  build(text: string): Omit<ParsedPlate, 'corrections' | 'rows' | 'layout'> | undefined;
}

const digitSlots = (n: number): Slot[] => Array.from({ length: n }, () => 'D' as const);

function withProvince(code: string): { provinceCode: string; province: string } | undefined {
  const province = VN_PLATE_PROVINCES[code];
  return province === undefined ? undefined : { provinceCode: code, province };
}

const groupNumber = (n: string): string => (n.length === 5 ? `${n.slice(0, 3)}.${n.slice(3)}` : n);

/** Five digits 000.01–999.99, or the legacy four (Art. 37 cl. 4): never all zero. */
const validNumber = (n: string): boolean => /^(\d{4}|\d{5})$/.test(n) && !/^0+$/.test(n);

/** Series of car plates: one of the 20 letters, the trailer `R`, or a special two-letter series. */
function carSeries(series: string): { series: string; special?: string; kind: PlateKind } | undefined {
  if (series.length === 1) {
    if (series === TRAILER_SERIES) return { series, kind: 'trailer' };
    return SERIES_LETTERS.includes(series) ? { series, kind: 'car' } : undefined;
  }
  const named = series === 'TD' ? 'TĐ' : series;
  const special = CAR_SPECIAL_SERIES[named];
  return special === undefined ? undefined : { series: named, special, kind: 'car' };
}

function numberBreaks(start: number, length: number): Array<[number, readonly Break[]]> {
  return length === 5 ? [[start + 3, ['.', ' ']]] : [];
}

/** Every reading the circulars allow for a text of `n` characters. */
function readingsFor(n: number): Reading[] {
  const out: Reading[] = [];
  // Cars and trailers: code, series (one letter or a special two-letter series), number (5 or legacy 4).
  for (const s of [1, 2]) {
    for (const k of [5, 4]) {
      if (2 + s + k !== n) continue;
      out.push({
        layouts: ['one-row', 'square'],
        slots: ['D', 'D', ...(Array.from({ length: s }, () => 'A') as Slot[]), ...digitSlots(k)],
        allowed: new Map<number, readonly Break[]>([[2 + s, ['-', ' ', '\n', '.']], ...numberBreaks(2 + s, k)]),
        rowBreakAt: 2 + s,
        confirmBy: k === 5 ? [2 + s, 2 + s + 3] : [2 + s],
        build(text) {
          const p = withProvince(text.slice(0, 2));
          const series = carSeries(text.slice(2, 2 + s));
          const number = text.slice(2 + s);
          if (!p || !series || !validNumber(number)) return undefined;
          return {
            plate: `${text.slice(0, 2)}${series.series}-${groupNumber(number)}`,
            kind: series.kind,
            ...p,
            series: series.series,
            number,
            ...(series.special ? { special: series.special } : {}),
          };
        },
      });
    }
  }
  // Motorbikes: code, series (letter + digit 1–9, two letters, or MĐ + digit 1–9), number (5 or legacy 4).
  const bikeSeries: Array<{ slots: Slot[]; special?: string }> = [
    { slots: ['L', 'P'] },
    { slots: ['L', 'L'] },
    { slots: [{ literal: 'M' }, { literal: 'D' }, 'P'], special: 'electric' },
  ];
  for (const series of bikeSeries) {
    const s = series.slots.length;
    for (const k of [5, 4]) {
      if (2 + s + k !== n) continue;
      out.push({
        layouts: ['motorbike'],
        slots: ['D', 'D', ...series.slots, ...digitSlots(k)],
        allowed: new Map<number, readonly Break[]>([
          [2, ['-', ' ']],
          [2 + s, [' ', '\n', '-', '.']],
          ...numberBreaks(2 + s, k),
        ]),
        rowBreakAt: 2 + s,
        confirmBy: [2, 2 + s],
        build(text) {
          const p = withProvince(text.slice(0, 2));
          const number = text.slice(2 + s);
          if (!p || !validNumber(number)) return undefined;
          const raw = text.slice(2, 2 + s);
          const code = series.special === 'electric' ? `${ELECTRIC_BIKE_SERIES}${raw.slice(2)}` : raw;
          return { plate: `${text.slice(0, 2)}-${code} ${groupNumber(number)}`, kind: 'motorbike', ...p, series: code, number, ...(series.special ? { special: series.special } : {}) };
        },
      });
    }
  }
  // Foreign missions: code, country/organisation code, series, order number (2 or 3 digits).
  for (const k of [2, 3]) {
    if (2 + 3 + 2 + k !== n) continue;
    out.push({
      layouts: ['one-row'],
      slots: ['D', 'D', 'D', 'D', 'D', 'A', 'A', ...digitSlots(k)],
      allowed: new Map<number, readonly Break[]>([
        [2, ['-', ' ']],
        [5, ['-', ' ']],
        [7, ['-', ' ']],
      ]),
      confirmBy: [2, 5, 7],
      build(text) {
        const series = text.slice(5, 7);
        const kind = MISSION_SERIES[series];
        const p = withProvince(text.slice(0, 2));
        const order = text.slice(7);
        if (!kind || !p || /^0+$/.test(order)) return undefined;
        return { plate: `${text.slice(0, 2)}-${text.slice(2, 5)}-${series}-${order}`, kind, ...p, series, number: text.slice(2, 5) + order, special: kind };
      },
    });
  }
  // Military: unit letters, four digits (Ministry of National Defence).
  if (n === 6) {
    out.push({
      layouts: ['one-row'],
      slots: ['A', 'A', 'D', 'D', 'D', 'D'],
      allowed: new Map<number, readonly Break[]>([
        [2, ['-', ' ']],
        [4, ['-', ' ', '.']],
      ]),
      confirmBy: [2, 4],
      build(text) {
        const series = text.slice(0, 2);
        const number = text.slice(2);
        if (!MILITARY_SERIES.has(series) || /^0+$/.test(number)) return undefined;
        return { plate: `${series}-${number.slice(0, 2)}-${number.slice(2)}`, kind: 'military', series, number, special: 'military' };
      },
    });
  }
  // Temporary: T, code, five digits.
  if (n === 8) {
    out.push({
      layouts: ['one-row'],
      slots: [{ literal: TEMPORARY_MARK }, 'D', 'D', ...digitSlots(5)],
      allowed: new Map<number, readonly Break[]>([
        [1, ['-', ' ']],
        [3, ['-', ' ']],
        [6, ['.', ' ']],
      ]),
      confirmBy: [3, 6],
      build(text) {
        const p = withProvince(text.slice(1, 3));
        const number = text.slice(3);
        if (!p || !validNumber(number)) return undefined;
        return { plate: `${TEMPORARY_MARK}${text.slice(1, 3)}-${groupNumber(number)}`, kind: 'temporary', ...p, series: TEMPORARY_MARK, number, special: 'temporary' };
      },
    });
  }
  return out;
}

/** Whether the breaks of the text fit a reading: every break where the layout has one, the row break where the rows meet. */
function breaksFit(tokens: Tokens, reading: Reading, layout: PlateLayout): boolean {
  for (const [at, b] of tokens.breaks) {
    const allowed = reading.allowed.get(at);
    if (!allowed?.includes(b)) return false;
    if (b === '\n' && (layout === 'one-row' || at !== reading.rowBreakAt)) return false;
  }
  if (layout === 'motorbike' && reading.rowBreakAt !== undefined) {
    // On one line, a dash right after the series with none after the code is the car layout (`30ZZ-123.45`).
    if (tokens.breaks.get(reading.rowBreakAt) === '-' && !tokens.breaks.has(2)) return false;
  }
  return true;
}

/**
 * Parses and normalises a Vietnamese licence plate from OCR or typed text, following Circular 24/2023/TT-BCA
 * (and 58/2020/TT-BCA before it; see `vn-plate-rules.ts`): one-row car plates (`30A-123.45`, legacy `30A-1234`,
 * special series such as `51LD-123.45`, trailers `51R-123.45`), square two-row car/trailer plates (`30A` over
 * `123.45`, a car), two-row motorbike plates (`29-B1 123.45`, two-letter series `29-HA 002.33`, electric
 * `29-MĐ1 123.45`), foreign-mission plates (`80-011-NG-01`), military plates (`TM-12-34`) and temporary plates
 * (`T30-123.45`). The rows and separators are layout signals: a break must fall where the layout has one
 * (`29L5 9999` is a motorbike; `37-220.36` is no plate at all), so a dropped character is refused rather than
 * turned into another plate. Returns `undefined` for anything that is not a valid plate.
 */
export function parseVietnamesePlate(text: string, options: ParsePlateOptions = {}): ParsedPlate | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 64) return undefined;
  const max = options.maxCorrections ?? 2;
  const tokens = tokenize(text);
  if (!tokens) return undefined;
  const twoRows = tokens.rowBreaks === 1 || options.rows === 2;
  let layouts: PlateLayout[];
  if (options.layout) layouts = [options.layout];
  else if (options.rows === 2) layouts = ['motorbike', 'square'];
  else if (twoRows) layouts = ['square', 'motorbike'];
  else layouts = ['one-row', 'motorbike'];
  if (options.rows === 1 || (!twoRows && options.layout === undefined)) layouts = layouts.filter((l) => l !== 'square');
  let best: ParsedPlate | undefined;
  for (const layout of layouts) {
    for (const reading of readingsFor(tokens.chars.length)) {
      if (!reading.layouts.includes(layout)) continue;
      if (tokens.rowBreaks === 1 && layout === 'one-row') continue;
      if (!breaksFit(tokens, reading, layout)) continue;
      const c = coerce(tokens.chars, reading.slots);
      if (!c || c.corrections > max) continue;
      // Letters that were all digits in the text make a plate only where written separators confirm the layout
      // (a row break is not one: `92` over `179.90` with a stray `0` read after the code is not `92D-179.90`).
      if (c.lettersRead === 0 && !reading.confirmBy.every((at) => tokens.breaks.has(at) && tokens.breaks.get(at) !== '\n')) continue;
      const built = reading.build(c.text);
      if (!built) continue;
      const parsed: ParsedPlate = { ...built, rows: layout === 'one-row' ? 1 : 2, layout, corrections: c.corrections };
      if (best === undefined || parsed.corrections < best.corrections) best = parsed;
      if (best.corrections === 0) return best;
    }
  }
  return best;
}

/** The normalised text of a Vietnamese plate (see {@link parseVietnamesePlate}), or `undefined` when invalid. */
export function normalizeVietnamesePlate(text: string, options?: ParsePlateOptions): string | undefined {
  return parseVietnamesePlate(text, options)?.plate;
}
