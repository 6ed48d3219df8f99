import type { Box, Frame } from '@wardwatch/core';
import { WardwatchError } from '@wardwatch/core';
import { assertFrame, downsampleGray, toGray } from './frame-utils.js';
import { type Polygon, rasterizeRegions, validatePolygons } from './polygon.js';

/** Options of motion detection. */
export interface MotionDetectorOptions {
  /** Include zones (normalised polygons); motion counts only inside them. Empty means the whole picture. @default [] */
  zones?: readonly Polygon[];
  /** Exclude masks (normalised polygons), e.g. trees, a TV, the OSD clock. @default [] */
  masks?: readonly Polygon[];
  /** 0 (dull) .. 1 (twitchy): scales the per-pixel change threshold. @default 0.5 */
  sensitivity?: number;
  /** Smallest moving region that counts, as a fraction of the analysed area. @default 0.004 */
  minArea?: number;
  /** Motion must last this long before `start` (ms of frame time). @default 400 */
  startAfterMs?: number;
  /** Quiet must last this long before `end` (ms of frame time). @default 2000 */
  endAfterMs?: number;
  /** Background adaptation rate per frame, 0..1. @default 0.04 */
  learningRate?: number;
  /** Frames used to learn the background before anything is reported. @default 3 */
  warmupFrames?: number;
  /** Frames wider than this are box-downsampled before analysis. @default 320 */
  maxWidth?: number;
}

/** The result of one frame. */
export interface MotionStep {
  /** Whether motion is active after this frame (with hysteresis). */
  active: boolean;
  /** Set on the frame where motion starts or ends. */
  changed?: 'start' | 'end';
  /** Whether this frame alone shows qualifying motion. */
  moving: boolean;
  /** Moving regions in normalised coordinates, largest first. */
  boxes: Box[];
  /** Moving fraction of the analysed area, 0..1. */
  score: number;
}

const CELL = 8;

/** Adaptive-background motion detection on gray frames, with zones, masks and start/stop hysteresis. */
export class MotionDetector {
  private readonly zones: readonly Polygon[];
  private readonly masks: readonly Polygon[];
  private readonly sensitivity: number;
  private readonly minArea: number;
  private readonly startAfterMs: number;
  private readonly endAfterMs: number;
  private readonly rate: number;
  private readonly warmup: number;
  private readonly maxWidth: number;
  private size?: { width: number; height: number; factor: number; w: number; h: number };
  private region?: Uint8Array;
  private regionPixels = 0;
  private mean?: Float32Array;
  private variance?: Float32Array;
  private frames = 0;
  private activeState = false;
  private movingSince: number | undefined;
  private lastMovingAt = 0;
  private lastAt = 0;

  constructor(options: MotionDetectorOptions = {}) {
    validatePolygons(options.zones, 'zones');
    validatePolygons(options.masks, 'masks');
    const sensitivity = options.sensitivity ?? 0.5;
    if (!(sensitivity >= 0 && sensitivity <= 1)) throw new WardwatchError('INVALID_CONFIG', 'sensitivity must be between 0 and 1');
    const minArea = options.minArea ?? 0.004;
    if (!(minArea > 0 && minArea < 1)) throw new WardwatchError('INVALID_CONFIG', 'minArea must be a fraction between 0 and 1');
    this.zones = options.zones ?? [];
    this.masks = options.masks ?? [];
    this.sensitivity = sensitivity;
    this.minArea = minArea;
    this.startAfterMs = options.startAfterMs ?? 400;
    this.endAfterMs = options.endAfterMs ?? 2000;
    this.rate = options.learningRate ?? 0.04;
    this.warmup = options.warmupFrames ?? 3;
    this.maxWidth = options.maxWidth ?? 320;
  }

  /** Whether motion is currently active. */
  get active(): boolean {
    return this.activeState;
  }

  /** Time of the last frame analysed (UTC ms), 0 before the first. */
  get lastFrameAt(): number {
    return this.lastAt;
  }

  /** Analyses one frame; throws `ANALYZER_BAD_FRAME` (state untouched) for a malformed frame or a size change. */
  step(frame: Frame): MotionStep {
    assertFrame(frame, this.size ? { width: this.size.width, height: this.size.height } : undefined);
    if (!this.size) {
      const factor = Math.max(1, Math.ceil(frame.width / this.maxWidth));
      const w = Math.floor(frame.width / factor);
      const h = Math.floor(frame.height / factor);
      this.size = { width: frame.width, height: frame.height, factor, w, h };
      this.region = rasterizeRegions(w, h, this.zones, this.masks);
      this.regionPixels = this.region.reduce((a, b) => a + b, 0);
    }
    const { factor, w, h } = this.size;
    const gray = downsampleGray(toGray(frame), frame.width, frame.height, factor).data;
    this.lastAt = frame.at;
    this.frames += 1;
    if (!this.mean || !this.variance) {
      this.mean = Float32Array.from(gray);
      this.variance = new Float32Array(gray.length).fill(25);
      return this.hysteresis(frame.at, false, [], 0);
    }
    const mean = this.mean;
    const variance = this.variance;
    const region = this.region as Uint8Array;
    const s = this.sensitivity;
    const k2 = (2.5 + (1 - s) * 3) ** 2;
    const minDiff = 6 + (1 - s) * 24;
    const fg = new Uint8Array(gray.length);
    let fgCount = 0;
    let fgRegion = 0;
    for (let i = 0; i < gray.length; i += 1) {
      const d = (gray[i] as number) - (mean[i] as number);
      const d2 = d * d;
      const moving = d2 > k2 * (variance[i] as number) && Math.abs(d) > minDiff;
      if (moving) {
        fg[i] = 1;
        fgCount += 1;
        if (region[i]) fgRegion += 1;
      }
    }
    // A change of most of the picture is light, exposure or a turned camera, not motion: re-learn.
    if (fgCount > 0.7 * gray.length) {
      this.mean = Float32Array.from(gray);
      return this.hysteresis(frame.at, false, [], 0);
    }
    for (let i = 0; i < gray.length; i += 1) {
      const d = (gray[i] as number) - (mean[i] as number);
      const a = fg[i] ? this.rate / 8 : this.rate;
      mean[i] = (mean[i] as number) + a * d;
      variance[i] = Math.max(4, Math.min(400, (variance[i] as number) + a * (d * d - (variance[i] as number))));
    }
    if (this.frames <= this.warmup || this.regionPixels === 0) return this.hysteresis(frame.at, false, [], 0);
    const boxes = this.regions(fg, region, w, h);
    const score = this.regionPixels > 0 ? fgRegion / this.regionPixels : 0;
    return this.hysteresis(frame.at, boxes.length > 0, boxes, score);
  }

  /** Clears the background model and the hysteresis state (e.g. after a stream gap). */
  reset(): void {
    this.mean = undefined;
    this.variance = undefined;
    this.frames = 0;
    this.activeState = false;
    this.movingSince = undefined;
  }

  private regions(fg: Uint8Array, region: Uint8Array, w: number, h: number): Box[] {
    const cw = Math.ceil(w / CELL);
    const ch = Math.ceil(h / CELL);
    const cellFg = new Uint16Array(cw * ch);
    const cellIn = new Uint16Array(cw * ch);
    for (let y = 0; y < h; y += 1) {
      for (let x = 0; x < w; x += 1) {
        const i = y * w + x;
        if (!region[i]) continue;
        const c = Math.floor(y / CELL) * cw + Math.floor(x / CELL);
        cellIn[c] = (cellIn[c] as number) + 1;
        if (fg[i]) cellFg[c] = (cellFg[c] as number) + 1;
      }
    }
    const on = new Uint8Array(cw * ch);
    for (let c = 0; c < on.length; c += 1) {
      const inside = cellIn[c] as number;
      if (inside > 0 && (cellFg[c] as number) >= Math.max(2, inside * 0.15)) on[c] = 1;
    }
    const seen = new Uint8Array(on.length);
    const found: Array<{ box: Box; pixels: number }> = [];
    const stack: number[] = [];
    for (let start = 0; start < on.length; start += 1) {
      if (!on[start] || seen[start]) continue;
      let minX = cw;
      let minY = ch;
      let maxX = -1;
      let maxY = -1;
      let pixels = 0;
      stack.push(start);
      seen[start] = 1;
      while (stack.length > 0) {
        const c = stack.pop() as number;
        const cx = c % cw;
        const cy = Math.floor(c / cw);
        pixels += cellFg[c] as number;
        minX = Math.min(minX, cx);
        maxX = Math.max(maxX, cx);
        minY = Math.min(minY, cy);
        maxY = Math.max(maxY, cy);
        const neighbours = [cx > 0 ? c - 1 : -1, cx < cw - 1 ? c + 1 : -1, cy > 0 ? c - cw : -1, cy < ch - 1 ? c + cw : -1];
        for (const n of neighbours) {
          if (n >= 0 && on[n] && !seen[n]) {
            seen[n] = 1;
            stack.push(n);
          }
        }
      }
      if (pixels / this.regionPixels >= this.minArea) {
        const x0 = (minX * CELL) / w;
        const y0 = (minY * CELL) / h;
        const x1 = Math.min(1, ((maxX + 1) * CELL) / w);
        const y1 = Math.min(1, ((maxY + 1) * CELL) / h);
        found.push({ box: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, pixels });
      }
    }
    return found.sort((a, b) => b.pixels - a.pixels).map((f) => f.box);
  }

  private hysteresis(at: number, moving: boolean, boxes: Box[], score: number): MotionStep {
    let changed: MotionStep['changed'];
    if (moving) {
      this.lastMovingAt = at;
      if (this.movingSince === undefined) this.movingSince = at;
      if (!this.activeState && at - this.movingSince >= this.startAfterMs) {
        this.activeState = true;
        changed = 'start';
      }
    } else {
      this.movingSince = undefined;
      if (this.activeState && at - this.lastMovingAt >= this.endAfterMs) {
        this.activeState = false;
        changed = 'end';
      }
    }
    return { active: this.activeState, moving, boxes, score, ...(changed ? { changed } : {}) };
  }
}
