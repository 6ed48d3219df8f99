import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Frame } from '@wardwatch/core';
import sharp from 'sharp';
import { rng } from './helpers.js';

/**
 * A deterministic set of rendered Vietnamese plates in street frames: the plate classes of
 * Circular 24/2023/TT-BCA Art. 37 (one-row car plate 520×110 mm, two-row motorbike plate 190×140 mm,
 * square two-row car/trailer plate 330×165 mm) at a given plate height in pixels, with a degradation.
 * Everything is drawn by code (sharp + the DejaVu Sans Bold font of the `dejavu-fonts-ttf` npm package),
 * so CI renders the same pixels; nothing is downloaded.
 */

const require = createRequire(import.meta.url);
/** The DejaVu Sans Bold TTF shipped in the `dejavu-fonts-ttf` npm package. */
const FONT = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans-Bold.ttf');

/** The three plate layouts. */
export type PlateClass = 'car-1row' | 'bike-2row' | 'car-square';
/** What is done to the picture. */
export type Degradation = 'clean' | 'tilt+12' | 'tilt-12' | 'skew' | 'blur' | 'jpeg30' | 'night';

export const PLATE_CLASSES: readonly PlateClass[] = ['car-1row', 'bike-2row', 'car-square'];
export const PLATE_HEIGHTS: readonly number[] = [60, 40, 25];
export const DEGRADATIONS: readonly Degradation[] = ['clean', 'tilt+12', 'tilt-12', 'skew', 'blur', 'jpeg30', 'night'];

/** One plate picture to render and the read expected from it. */
export interface PlateSample {
  id: string;
  plateClass: PlateClass;
  /** The rows as printed on the plate. */
  rows: string[];
  /** The normalised plate a correct read returns. */
  expected: string;
  /** Plate height in pixels in the frame. */
  height: number;
  degradation: Degradation;
  seed: number;
}

/** Plate size in millimetres (width, height), Circular 24/2023/TT-BCA Art. 37. */
const PLATE_MM: Record<PlateClass, [number, number]> = {
  'car-1row': [520, 110],
  'bike-2row': [190, 140],
  'car-square': [330, 165],
};

const LETTERS = [...'ABCDEFGHKLMNPSTUVXYZ'];
const PROVINCES = ['29', '30', '51', '59', '43', '36', '37', '14', '15', '65', '61', '99', '88', '47', '75', '92'];

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
const digits = (r: () => number, n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');

/** A random plate of a class: printed rows and the expected normalised text. */
export function randomPlate(plateClass: PlateClass, seed: number): { rows: string[]; expected: string } {
  const r = rng(seed * 7919 + 17);
  const code = pick(r, PROVINCES);
  let number = digits(r, 5);
  if (/^0+$/.test(number)) number = '00001';
  const grouped = `${number.slice(0, 3)}.${number.slice(3)}`;
  if (plateClass === 'bike-2row') {
    const kind = r();
    // Letter + digit 1–9 (most), two letters (since 2023), electric MĐ + digit.
    const series = kind < 0.6 ? `${pick(r, LETTERS)}${1 + Math.floor(r() * 9)}` : kind < 0.9 ? `${pick(r, LETTERS)}${pick(r, LETTERS)}` : `MĐ${1 + Math.floor(r() * 9)}`;
    return { rows: [`${code}-${series}`, grouped], expected: `${code}-${series} ${grouped}` };
  }
  const series = r() < 0.1 ? 'LD' : pick(r, LETTERS);
  if (plateClass === 'car-square') return { rows: [`${code}${series}`, grouped], expected: `${code}${series}-${grouped}` };
  return { rows: [`${code}${series}-${grouped}`], expected: `${code}${series}-${grouped}` };
}

/** The full set: every class × height × degradation, `perCell` plates each. */
export function plateSet(perCell: number, classes = PLATE_CLASSES, heights = PLATE_HEIGHTS, degradations = DEGRADATIONS): PlateSample[] {
  const out: PlateSample[] = [];
  let seed = 1;
  for (const plateClass of classes) {
    for (const height of heights) {
      for (const degradation of degradations) {
        for (let i = 0; i < perCell; i += 1) {
          const { rows, expected } = randomPlate(plateClass, seed);
          out.push({ id: `${plateClass}/${height}px/${degradation}/${i}`, plateClass, rows, expected, height, degradation, seed });
          seed += 1;
        }
      }
    }
  }
  return out;
}

/** One sample of a given plate (for tests that need a specific text). */
export function plateSample(plateClass: PlateClass, rows: string[], expected: string, height: number, degradation: Degradation = 'clean', seed = 1): PlateSample {
  return { id: `${plateClass}/${height}px/${degradation}/${rows.join('|')}`, plateClass, rows, expected, height, degradation, seed };
}

/** A row of text as a tightly trimmed black-on-transparent image. */
async function textRow(text: string): Promise<{ data: Buffer; width: number; height: number }> {
  const markup = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const { data, info } = await sharp({ text: { text: `<span foreground="black">${markup}</span>`, font: 'DejaVu Sans Bold 96', fontfile: FONT, rgba: true, dpi: 72 } })
    .trim({ threshold: 1 })
    .png()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The plate alone, upright, at `scale` pixels per millimetre (white, black border, rows fitted). */
async function plateImage(sample: PlateSample, pxPerMm: number): Promise<{ data: Buffer; width: number; height: number }> {
  const [wMm, hMm] = PLATE_MM[sample.plateClass];
  // Drawn at 4 px/mm, then downscaled: antialiasing as a camera sees it.
  const hi = 4;
  const W = wMm * hi;
  const H = hMm * hi;
  const border = Math.round(4 * hi);
  const rows = await Promise.all(sample.rows.map(textRow));
  const layers: sharp.OverlayOptions[] = [];
  const n = rows.length;
  const rowH = n === 1 ? 0.72 * H : 0.36 * H;
  for (let i = 0; i < n; i += 1) {
    const row = rows[i] as { data: Buffer; width: number; height: number };
    const maxW = 0.88 * W;
    const scaleH = rowH / row.height;
    const w = Math.min(maxW, row.width * scaleH);
    const h = rowH;
    const resized = await sharp(row.data).resize(Math.round(w), Math.round(h), { fit: 'fill' }).png().toBuffer();
    const top = n === 1 ? (H - h) / 2 : i === 0 ? 0.1 * H : 0.54 * H;
    layers.push({ input: resized, left: Math.round((W - w) / 2), top: Math.round(top) });
  }
  const inner = { create: { width: W - 2 * border, height: H - 2 * border, channels: 4 as const, background: '#f4f4f0' } };
  const hiRes = await sharp({ create: { width: W, height: H, channels: 4, background: '#101010' } })
    .composite([{ input: await sharp(inner).png().toBuffer(), left: border, top: border }, ...layers])
    .png()
    .toBuffer();
  const width = Math.max(4, Math.round(wMm * pxPerMm));
  const height = Math.max(4, Math.round(hMm * pxPerMm));
  const data = await sharp(hiRes).resize(width, height, { fit: 'fill', kernel: 'lanczos3' }).png().toBuffer();
  return { data, width, height };
}

/** A street-grey RGB background with smooth structure and fixed detail. */
function scene(width: number, height: number, seed: number): Buffer {
  const r = rng(seed);
  const out = Buffer.alloc(width * height * 3);
  const phase = r() * 10;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const v = 95 + 30 * Math.sin(x / 23 + phase) * Math.cos(y / 17) + (y > height * 0.8 ? 25 : 0) + r() * 8;
      const i = (y * width + x) * 3;
      out[i] = Math.max(0, Math.min(255, v - 6));
      out[i + 1] = Math.max(0, Math.min(255, v));
      out[i + 2] = Math.max(0, Math.min(255, v + 6));
    }
  }
  return out;
}

/** The rendered frame of a sample (raw RGB), with where the plate is. */
export async function renderPlateFrame(sample: PlateSample, width = 640, height = 360): Promise<{ frame: Frame; plateBox: { x: number; y: number; width: number; height: number } }> {
  const r = rng(sample.seed * 104729 + 3);
  const [, hMm] = PLATE_MM[sample.plateClass];
  const plate = await plateImage(sample, sample.height / hMm);
  let img = sharp(plate.data).ensureAlpha();
  if (sample.degradation === 'tilt+12' || sample.degradation === 'tilt-12') {
    img = sharp(await img.rotate(sample.degradation === 'tilt+12' ? 12 : -12, { background: { r: 0, g: 0, b: 0, alpha: 0 } }).png().toBuffer());
  } else if (sample.degradation === 'skew') {
    // A horizontal shear of about 14° and a slight vertical one: a plate seen from the side and above.
    img = sharp(await img.affine([[1, 0.25], [0.06, 1]], { background: { r: 0, g: 0, b: 0, alpha: 0 }, interpolator: 'bicubic' }).png().toBuffer());
  }
  const placed = await img.png().toBuffer({ resolveWithObject: true });
  const pw = placed.info.width;
  const ph = placed.info.height;
  // A vehicle body behind the plate, then the plate, somewhere in the middle of the picture.
  const left = Math.round(width * 0.15 + r() * Math.max(1, width * 0.7 - pw));
  const top = Math.round(height * 0.35 + r() * Math.max(1, height * 0.45 - ph));
  const bodyW = Math.min(width, Math.round(pw * 2.6));
  const bodyH = Math.min(height, Math.round(ph * 2.2));
  const bodyColour = pick(r, ['#1e3c78', '#8a1c1c', '#202020', '#c8c8c8', '#5a5a60']);
  const body = await sharp({ create: { width: bodyW, height: bodyH, channels: 4, background: bodyColour } }).png().toBuffer();
  const bodyLeft = Math.max(0, Math.min(width - bodyW, Math.round(left + pw / 2 - bodyW / 2)));
  const bodyTop = Math.max(0, Math.min(height - bodyH, Math.round(top - bodyH * 0.45)));
  const frame = sharp(scene(width, height, sample.seed), { raw: { width, height, channels: 3 } }).composite([
    { input: body, left: bodyLeft, top: bodyTop },
    { input: placed.data, left: Math.min(left, width - pw), top: Math.min(top, height - ph) },
  ]);
  let raw = await frame.removeAlpha().raw().toBuffer();
  if (sample.degradation === 'blur') {
    raw = await sharp(raw, { raw: { width, height, channels: 3 } }).blur(Math.max(0.8, sample.height / 40)).raw().toBuffer();
  } else if (sample.degradation === 'night') {
    const n = rng(sample.seed * 31 + 7);
    for (let i = 0; i < raw.length; i += 1) raw[i] = Math.max(0, Math.min(255, Math.round((raw[i] as number) * 0.32 + (n() - 0.5) * 14)));
  } else if (sample.degradation === 'jpeg30') {
    const jpeg = await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 30 }).toBuffer();
    raw = await sharp(jpeg).removeAlpha().raw().toBuffer();
  }
  const plateBox = { x: Math.min(left, width - pw) / width, y: Math.min(top, height - ph) / height, width: pw / width, height: ph / height };
  return { frame: { cameraId: 'plates', at: sample.seed, width, height, format: 'rgb', data: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) }, plateBox };
}

/** The frame encoded as PNG (to look at a sample). */
export async function framePng(frame: Frame): Promise<Buffer> {
  return sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } }).png().toBuffer();
}
