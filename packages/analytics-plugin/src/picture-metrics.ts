import type { Frame } from '@wardwatch/core';
import { downsampleGray, toGray } from './frame-utils.js';

/** Cells across and down the picture used by the picture metrics. */
export const METRIC_GRID = { cols: 16, rows: 9 } as const;

/** Measurements of one picture, on a gray plane at most 320 pixels wide. */
export interface PictureMetrics {
  /** Median cell brightness, 0..1. */
  brightness: number;
  /** Fraction of cells that are flat (no detail beyond the noise). */
  flatRatio: number;
  /** Estimated sensor noise sigma, in 8-bit levels. */
  noise: number;
  /** Mean squared gradient per cell (8-bit levels² per pixel); blur lowers it. */
  cellEnergy: Float32Array;
  /** Mean brightness per cell (8-bit levels). */
  cellMean: Float32Array;
}

/** Immerkær's fast noise estimate: sigma from the response to a Laplacian-difference kernel. */
function noiseSigma(g: Uint8Array, w: number, h: number): number {
  let sum = 0;
  for (let y = 1; y < h - 1; y += 1) {
    for (let x = 1; x < w - 1; x += 1) {
      const i = y * w + x;
      const v =
        (g[i - w - 1] as number) - 2 * (g[i - w] as number) + (g[i - w + 1] as number) -
        2 * (g[i - 1] as number) + 4 * (g[i] as number) - 2 * (g[i + 1] as number) +
        (g[i + w - 1] as number) - 2 * (g[i + w] as number) + (g[i + w + 1] as number);
      sum += Math.abs(v);
    }
  }
  return (Math.sqrt(Math.PI / 2) * sum) / (6 * (w - 2) * (h - 2));
}

/** Computes brightness, flatness, noise and per-cell detail of a frame. */
export function measurePicture(frame: Frame): PictureMetrics {
  const factor = Math.max(1, Math.ceil(frame.width / 320));
  const { data: g, width: w, height: h } = downsampleGray(toGray(frame), frame.width, frame.height, factor);
  const { cols, rows } = METRIC_GRID;
  const n = cols * rows;
  const sum = new Float64Array(n);
  const sum2 = new Float64Array(n);
  const energy = new Float64Array(n);
  const count = new Float64Array(n);
  for (let y = 0; y < h - 1; y += 1) {
    const cy = Math.min(rows - 1, Math.floor((y * rows) / h));
    for (let x = 0; x < w - 1; x += 1) {
      const cx = Math.min(cols - 1, Math.floor((x * cols) / w));
      const c = cy * cols + cx;
      const i = y * w + x;
      const v = g[i] as number;
      sum[c] = (sum[c] as number) + v;
      sum2[c] = (sum2[c] as number) + v * v;
      const gx = (g[i + 1] as number) - v;
      const gy = (g[i + w] as number) - v;
      energy[c] = (energy[c] as number) + gx * gx + gy * gy;
      count[c] = (count[c] as number) + 1;
    }
  }
  const noise = noiseSigma(g, w, h);
  const cellMean = new Float32Array(n);
  const cellEnergy = new Float32Array(n);
  let flat = 0;
  // Noise alone gives a cell this standard deviation and this gradient energy.
  const flatStd = 3 + 1.5 * noise;
  for (let c = 0; c < n; c += 1) {
    const k = Math.max(1, count[c] as number);
    const mean = (sum[c] as number) / k;
    const std = Math.sqrt(Math.max(0, (sum2[c] as number) / k - mean * mean));
    cellMean[c] = mean;
    cellEnergy[c] = (energy[c] as number) / k;
    if (std < flatStd) flat += 1;
  }
  const sorted = Array.from(cellMean).sort((a, b) => a - b);
  return { brightness: (sorted[Math.floor(n / 2)] as number) / 255, flatRatio: flat / n, noise, cellEnergy, cellMean };
}

/** Normalised cross-correlation of two cell-mean vectors (-1..1); 0 when either is flat. */
export function layoutCorrelation(a: Float32Array, b: Float32Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i += 1) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i += 1) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa < 1e-6 || sbb < 1e-6) return 0;
  return sab / Math.sqrt(saa * sbb);
}
