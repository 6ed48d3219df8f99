import { readFileSync } from 'node:fs';
import { WardwatchError, toWardwatchError } from '@wardwatch/core';
import sharp from 'sharp';
import { assertOptionalPeers } from './assert-optional-peers.js';
import { type OrientedBox, type PixelMoments, boundsOf, orientedBoxOf, warpStrip } from './oriented-box.js';

/** A text line found by the OCR engine, in source-image pixels. */
export interface OcrEngineLine {
  text: string;
  /** Mean probability of the recognised characters, 0..1. */
  confidence: number;
  /** Probability of the least certain character, 0..1. */
  weakest: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The line as a rotated rectangle (tilt included), in source-image pixels. */
  box: OrientedBox;
}

/** Options of the PaddleOCR engine. */
export interface OcrEngineOptions {
  detectionPath: string;
  recognitionPath: string;
  dictionaryPath: string;
  /** Intra-op threads per inference. */
  threads: number;
  /** Longest side the detector sees (multiple of 32). */
  maxSide: number;
}

interface OrtTensor {
  data: Float32Array;
  dims: readonly number[];
}
interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
  release?(): Promise<void>;
}
interface Ort {
  InferenceSession: { create(path: string, options: object): Promise<OrtSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown;
}

/** Pixel probability above which the detector marks text. */
const DET_THRESHOLD = 0.3;
/** Mean probability a text region needs. */
const BOX_THRESHOLD = 0.5;
/** PaddleOCR's DB unclip ratio: how far a shrunk text kernel is grown back. */
const UNCLIP_RATIO = 1.6;
const REC_HEIGHT = 48;
const REC_MAX_WIDTH = 960;

/** Interleaved RGB bytes → planar B, G, R floats in 0..1 (the PP-OCR input the models were exported with). */
function toPlanarBgr(rgb: Uint8Array, pixels: number): Float32Array {
  const out = new Float32Array(3 * pixels);
  for (let i = 0, j = 0; i < pixels; i += 1, j += 3) {
    out[i] = (rgb[j + 2] as number) / 255;
    out[pixels + i] = (rgb[j + 1] as number) / 255;
    out[2 * pixels + i] = (rgb[j] as number) / 255;
  }
  return out;
}

interface Region {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  score: number;
  /** Moments of the region's pixels, in detector pixels. */
  m: PixelMoments;
}

/** Lines tilted less than this are cut out axis-aligned; more, rotated upright first. */
const UPRIGHT_RADIANS = (3 * Math.PI) / 180;

/** Connected text regions of the probability map (4-neighbour), with their mean probability. */
function regions(prob: Float32Array, w: number, h: number): Region[] {
  const label = new Int32Array(w * h).fill(-1);
  const stack = new Int32Array(w * h);
  const out: Region[] = [];
  for (let start = 0; start < w * h; start += 1) {
    if (label[start] !== -1 || (prob[start] as number) <= DET_THRESHOLD) continue;
    let top = 0;
    stack[top++] = start;
    label[start] = out.length;
    let x0 = w;
    let y0 = h;
    let x1 = -1;
    let y1 = -1;
    let sum = 0;
    let n = 0;
    const m: PixelMoments = { n: 0, sx: 0, sy: 0, sxx: 0, syy: 0, sxy: 0 };
    while (top > 0) {
      const p = stack[--top] as number;
      const x = p % w;
      const y = (p - x) / w;
      sum += prob[p] as number;
      n += 1;
      const px = x + 0.5;
      const py = y + 0.5;
      m.sx += px;
      m.sy += py;
      m.sxx += px * px;
      m.syy += py * py;
      m.sxy += px * py;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      const next = [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1];
      for (const q of next) {
        if (q >= 0 && label[q] === -1 && (prob[q] as number) > DET_THRESHOLD) {
          label[q] = out.length;
          stack[top++] = q;
        }
      }
    }
    const score = sum / n;
    m.n = n;
    if (score >= BOX_THRESHOLD && x1 - x0 >= 2 && y1 - y0 >= 2) out.push({ x0, y0, x1: x1 + 1, y1: y1 + 1, score, m });
  }
  return out;
}

/** Grows a shrunk text kernel back to the text box (DB post-processing: offset = area × ratio / perimeter). */
function unclip(r: Region, w: number, h: number): Region {
  const bw = r.x1 - r.x0;
  const bh = r.y1 - r.y0;
  const d = (bw * bh * UNCLIP_RATIO) / (2 * (bw + bh));
  return { x0: Math.max(0, r.x0 - d), y0: Math.max(0, r.y0 - d), x1: Math.min(w, r.x1 + d), y1: Math.min(h, r.y1 + d), score: r.score, m: r.m };
}

/** Joins regions on the same line that nearly touch (a plate split at its dash or dot). */
function joinLines(list: Region[]): Region[] {
  const out = [...list].sort((a, b) => a.x0 - b.x0);
  let merged = true;
  while (merged) {
    merged = false;
    for (let i = 0; i < out.length && !merged; i += 1) {
      for (let j = i + 1; j < out.length && !merged; j += 1) {
        const a = out[i] as Region;
        const b = out[j] as Region;
        const ha = a.y1 - a.y0;
        const hb = b.y1 - b.y0;
        const overlap = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
        const gap = Math.max(a.x0, b.x0) - Math.min(a.x1, b.x1);
        if (overlap > 0.6 * Math.min(ha, hb) && gap < 0.6 * Math.max(ha, hb)) {
          const m: PixelMoments = { n: a.m.n + b.m.n, sx: a.m.sx + b.m.sx, sy: a.m.sy + b.m.sy, sxx: a.m.sxx + b.m.sxx, syy: a.m.syy + b.m.syy, sxy: a.m.sxy + b.m.sxy };
          out[i] = { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1), score: (a.score + b.score) / 2, m };
          out.splice(j, 1);
          merged = true;
        }
      }
    }
  }
  return out;
}

/** A text region in detector pixels → its oriented box in source pixels, grown like DB's unclip. */
function orientedInSource(r: Region, rx: number, ry: number): OrientedBox {
  const m = r.m;
  // Scale the moments to source pixels (the detector input was resized with `fit: fill`).
  const scaled: PixelMoments = { n: m.n, sx: m.sx * rx, sy: m.sy * ry, sxx: m.sxx * rx * rx, syy: m.syy * ry * ry, sxy: m.sxy * rx * ry };
  const kernel = orientedBoxOf(scaled);
  const d = (kernel.length * kernel.thickness * UNCLIP_RATIO) / (2 * (kernel.length + kernel.thickness));
  return { ...kernel, length: kernel.length + 2 * d, thickness: kernel.thickness + 2 * d };
}

/** The PaddleOCR (PP-OCR) detection + CTC recognition pipeline on onnxruntime-node, with typed-array pre/post-processing. */
export interface OcrEngine {
  /** Text lines of an interleaved RGB image; `maxSide` overrides the detector size for this call. */
  lines(rgb: Uint8Array, width: number, height: number, options?: { maxSide?: number }): Promise<OcrEngineLine[]>;
  /** Recognises the text inside one oriented box of an interleaved RGB image. */
  recognise(rgb: Uint8Array, width: number, height: number, box: OrientedBox): Promise<{ text: string; confidence: number; weakest: number }>;
  /** Releases both ONNX sessions. */
  close(): Promise<void>;
}

/**
 * Loads the detection and recognition models; `OPTIONAL_DEPENDENCY_MISSING` when `onnxruntime-node` is not installed,
 * `MODEL_NOT_FOUND` when the models cannot be loaded.
 */
export async function createOcrEngine(options: OcrEngineOptions): Promise<OcrEngine> {
  let ort: Ort;
  let det: OrtSession;
  let rec: OrtSession;
  let dictionary: string[];
  assertOptionalPeers('Plate reading', ['onnxruntime-node']);
  try {
    ort = (await import('onnxruntime-node')) as unknown as Ort;
    const sessionOptions = { executionProviders: ['cpu'], intraOpNumThreads: options.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
    det = await ort.InferenceSession.create(options.detectionPath, sessionOptions);
    rec = await ort.InferenceSession.create(options.recognitionPath, sessionOptions);
    dictionary = [...readFileSync(options.dictionaryPath, 'utf8').split('\n'), ' '];
  } catch (error) {
    throw toWardwatchError(error, 'MODEL_NOT_FOUND', { detectionPath: options.detectionPath, recognitionPath: options.recognitionPath });
  }
  if (dictionary.length < 10) throw new WardwatchError('MODEL_NOT_FOUND', 'OCR dictionary is empty or not a dictionary');

  /** Cuts the line out (rotated upright when tilted) as a REC_HEIGHT-high strip. */
  const strip = async (rgb: Uint8Array, width: number, height: number, r: Region, box: OrientedBox): Promise<{ data: Uint8Array; width: number }> => {
    if (Math.abs(box.angle) >= UPRIGHT_RADIANS) return warpStrip(rgb, width, height, box, REC_HEIGHT, REC_MAX_WIDTH);
    const left = Math.max(0, Math.min(width - 1, Math.floor(r.x0)));
    const top = Math.max(0, Math.min(height - 1, Math.floor(r.y0)));
    const cw = Math.max(1, Math.min(width - left, Math.ceil(r.x1) - left));
    const ch = Math.max(1, Math.min(height - top, Math.ceil(r.y1) - top));
    const rw = Math.max(8, Math.min(REC_MAX_WIDTH, Math.round((REC_HEIGHT * cw) / ch)));
    const crop = await sharp(rgb, { raw: { width, height, channels: 3 } })
      .extract({ left, top, width: cw, height: ch })
      .resize(rw, REC_HEIGHT, { fit: 'fill' })
      .raw()
      .toBuffer();
    return { data: new Uint8Array(crop.buffer, crop.byteOffset, crop.byteLength), width: rw };
  };

  const recognise = async (rgb: Uint8Array, width: number, height: number, r: Region, box: OrientedBox): Promise<{ text: string; confidence: number; weakest: number }> => {
    const { data: crop, width: rw } = await strip(rgb, width, height, r, box);
    const input = new ort.Tensor('float32', toPlanarBgr(crop, rw * REC_HEIGHT), [1, 3, REC_HEIGHT, rw]);
    const output = (await rec.run({ [rec.inputNames[0] as string]: input }))[rec.outputNames[0] as string] as OrtTensor;
    const [, steps, classes] = output.dims as [number, number, number];
    let text = '';
    let sum = 0;
    let kept = 0;
    let weakest = 1;
    let previous = -1;
    for (let t = 0; t < steps; t += 1) {
      let best = 0;
      let bestP = -Infinity;
      const base = t * classes;
      for (let c = 0; c < classes; c += 1) {
        const p = output.data[base + c] as number;
        if (p > bestP) {
          bestP = p;
          best = c;
        }
      }
      if (best !== 0 && best !== previous) {
        text += dictionary[best - 1] ?? '';
        sum += bestP;
        kept += 1;
        if (bestP < weakest) weakest = bestP;
      }
      previous = best;
    }
    return { text, confidence: kept > 0 ? sum / kept : 0, weakest: kept > 0 ? weakest : 0 };
  };

  return {
    recognise(rgb, width, height, box) {
      const b = boundsOf(box);
      const region: Region = { x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height, score: 1, m: { n: 0, sx: 0, sy: 0, sxx: 0, syy: 0, sxy: 0 } };
      return recognise(rgb, width, height, region, box);
    },
    async lines(rgb, width, height, lineOptions = {}) {
      const scale = Math.min(1, (lineOptions.maxSide ?? options.maxSide) / Math.max(width, height));
      const dw = Math.max(32, Math.ceil((width * scale) / 32) * 32);
      const dh = Math.max(32, Math.ceil((height * scale) / 32) * 32);
      const resized = await sharp(rgb, { raw: { width, height, channels: 3 } }).resize(dw, dh, { fit: 'fill' }).raw().toBuffer();
      const input = new ort.Tensor('float32', toPlanarBgr(resized, dw * dh), [1, 3, dh, dw]);
      const prob = (await det.run({ [det.inputNames[0] as string]: input }))[det.outputNames[0] as string] as OrtTensor;
      const rx = width / dw;
      const ry = height / dh;
      const boxes = joinLines(regions(prob.data, dw, dh).map((r) => unclip(r, dw, dh))).map((r) => ({
        x0: r.x0 * rx,
        y0: r.y0 * ry,
        x1: r.x1 * rx,
        y1: r.y1 * ry,
        score: r.score,
        m: r.m,
        oriented: orientedInSource(r, rx, ry),
      }));
      const out: OcrEngineLine[] = [];
      for (const box of boxes) {
        if (box.y1 - box.y0 < 6 || box.x1 - box.x0 < 6) continue;
        // Regions whose text could not be recognised are kept (empty text): a caller may look at them again, magnified.
        const { text, confidence, weakest } = await recognise(rgb, width, height, box, box.oriented);
        out.push({ text, confidence, weakest, x: box.x0, y: box.y0, width: box.x1 - box.x0, height: box.y1 - box.y0, box: box.oriented });
      }
      return out.sort((a, b) => a.y - b.y || a.x - b.x);
    },
    async close() {
      await det.release?.();
      await rec.release?.();
    },
  };
}
