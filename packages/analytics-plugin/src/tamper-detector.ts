import type { Frame, TamperKind } from '@wardwatch/core';
import { WardwatchError } from '@wardwatch/core';
import { assertFrame } from './frame-utils.js';
import { type PictureMetrics, layoutCorrelation, measurePicture } from './picture-metrics.js';

/** Thresholds and timing of tamper and picture-quality detection. */
export interface TamperDetectorOptions {
  /** A condition must hold this long (frame time) before its `start`. @default 1500 */
  confirmMs?: number;
  /** A condition must be gone this long before its `end`. @default 3000 */
  clearMs?: number;
  /** Good frames averaged into the reference picture. @default 5 */
  referenceFrames?: number;
  /** Median brightness (0..1) under which a picture is black (with no detail). @default 0.08 */
  blackBrightness?: number;
  /** Fraction of flat cells from which the lens counts as covered. @default 0.82 */
  coveredFlatRatio?: number;
  /** Median brightness (0..1) under which the picture is low-light. @default 0.12 */
  lowLightBrightness?: number;
  /** Detail ratio against the reference under which the picture is defocused. @default 0.35 */
  defocusRatio?: number;
  /** Layout correlation with the reference under which the scene changed (camera turned). @default 0.5 */
  sceneCorrelation?: number;
  /** After a scene change lasting this long the new view becomes the reference. @default 600000 */
  relearnAfterMs?: number;
}

/** The per-frame verdict of the tamper detector. */
export interface TamperStep {
  /** Kinds whose condition holds on this frame (before hysteresis). */
  conditions: TamperKind[];
  /** Kinds that started on this frame. */
  started: TamperKind[];
  /** Kinds that ended on this frame. */
  ended: TamperKind[];
  /** Picture quality of this frame. */
  quality: { score: number; brightness: number; sharpness: number; noise: number; lowLight: boolean };
}

const KINDS: readonly TamperKind[] = ['black', 'covered', 'scene-change', 'defocus', 'low-light'];
const clamp01 = (v: number): number => Math.max(0, Math.min(1, v));

interface KindState {
  active: boolean;
  since?: number;
  clearSince?: number;
}

/** Tamper (black, covered, defocus, scene change) and low-light detection against a learnt reference view. */
export class TamperDetector {
  private readonly o: Required<TamperDetectorOptions>;
  private reference?: { cellMean: Float32Array; cellEnergy: Float32Array; top: number[] };
  private learning: PictureMetrics[] = [];
  private readonly states = new Map<TamperKind, KindState>(KINDS.map((k) => [k, { active: false }]));
  private size?: { width: number; height: number };
  private lastAt = 0;

  constructor(options: TamperDetectorOptions = {}) {
    this.o = {
      confirmMs: options.confirmMs ?? 1500,
      clearMs: options.clearMs ?? 3000,
      referenceFrames: options.referenceFrames ?? 5,
      blackBrightness: options.blackBrightness ?? 0.08,
      coveredFlatRatio: options.coveredFlatRatio ?? 0.82,
      lowLightBrightness: options.lowLightBrightness ?? 0.12,
      defocusRatio: options.defocusRatio ?? 0.35,
      sceneCorrelation: options.sceneCorrelation ?? 0.5,
      relearnAfterMs: options.relearnAfterMs ?? 600_000,
    };
    for (const [key, value] of Object.entries(this.o)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new WardwatchError('INVALID_CONFIG', `tamper option ${key} must be a non-negative number`, { details: { key } });
      }
    }
  }

  /** Whether a reference view has been learnt. */
  get hasReference(): boolean {
    return this.reference !== undefined;
  }

  /** Kinds currently active (after hysteresis). */
  get active(): TamperKind[] {
    return KINDS.filter((k) => this.states.get(k)?.active);
  }

  /** Time of the last frame analysed. */
  get lastFrameAt(): number {
    return this.lastAt;
  }

  /** Forgets the reference view (e.g. after the camera was deliberately re-aimed). */
  resetReference(): void {
    this.reference = undefined;
    this.learning = [];
  }

  /** Analyses one frame; throws `ANALYZER_BAD_FRAME` for a malformed frame or a size change. */
  step(frame: Frame): TamperStep {
    assertFrame(frame, this.size);
    this.size ??= { width: frame.width, height: frame.height };
    this.lastAt = frame.at;
    const m = measurePicture(frame);
    const o = this.o;
    const conditions: TamperKind[] = [];
    const black = m.brightness < o.blackBrightness && m.flatRatio >= 0.8 && m.noise < 2.5;
    const covered = !black && m.flatRatio >= o.coveredFlatRatio;
    const lowLight = !black && !covered && m.brightness < o.lowLightBrightness;
    let detail = 1;
    if (black) conditions.push('black');
    if (covered) conditions.push('covered');
    if (!black && !covered) {
      if (lowLight) conditions.push('low-light');
      if (this.reference) {
        const correlation = layoutCorrelation(m.cellMean, this.reference.cellMean);
        detail = this.detailRatio(m);
        if (correlation < o.sceneCorrelation) conditions.push('scene-change');
        else if (!lowLight && detail < o.defocusRatio) conditions.push('defocus');
      } else if (!lowLight) {
        this.learn(m);
      }
    } else {
      detail = 0;
    }
    const started: TamperKind[] = [];
    const ended: TamperKind[] = [];
    for (const kind of KINDS) {
      const state = this.states.get(kind) as KindState;
      const holds = conditions.includes(kind);
      if (holds) {
        state.clearSince = undefined;
        state.since ??= frame.at;
        if (!state.active && frame.at - state.since >= o.confirmMs) {
          state.active = true;
          started.push(kind);
        }
      } else {
        state.since = undefined;
        if (state.active) {
          state.clearSince ??= frame.at;
          if (frame.at - state.clearSince >= o.clearMs) {
            state.active = false;
            state.clearSince = undefined;
            ended.push(kind);
          }
        }
      }
    }
    // A scene change that lasts becomes the new normal view.
    const scene = this.states.get('scene-change') as KindState;
    if (scene.active && scene.since !== undefined && frame.at - scene.since >= o.relearnAfterMs) {
      this.resetReference();
      this.learn(m);
    }
    const brightnessFactor = clamp01((m.brightness - 0.04) / 0.21);
    const noiseFactor = clamp01(1 - (m.noise - 1.5) / 4);
    const sharpnessFactor = clamp01(detail / 0.6);
    return {
      conditions,
      started,
      ended,
      quality: {
        score: black || covered ? 0 : brightnessFactor * noiseFactor * sharpnessFactor,
        brightness: m.brightness,
        sharpness: clamp01(detail),
        noise: m.noise,
        lowLight: lowLight || black,
      },
    };
  }

  private learn(m: PictureMetrics): void {
    this.learning.push(m);
    if (this.learning.length < this.o.referenceFrames) return;
    const n = m.cellMean.length;
    const cellMean = new Float32Array(n);
    const cellEnergy = new Float32Array(n);
    for (const f of this.learning) {
      for (let i = 0; i < n; i += 1) {
        cellMean[i] = (cellMean[i] as number) + (f.cellMean[i] as number) / this.learning.length;
        cellEnergy[i] = (cellEnergy[i] as number) + (f.cellEnergy[i] as number) / this.learning.length;
      }
    }
    // The quarter of cells with the most detail carry the focus measure.
    const top = Array.from(cellEnergy.keys())
      .sort((a, b) => (cellEnergy[b] as number) - (cellEnergy[a] as number))
      .slice(0, Math.max(1, Math.floor(n / 4)));
    this.reference = { cellMean, cellEnergy, top };
    this.learning = [];
  }

  private detailRatio(m: PictureMetrics): number {
    const ref = this.reference;
    if (!ref) return 1;
    const ratios = ref.top.map((i) => (m.cellEnergy[i] as number) / Math.max(1, ref.cellEnergy[i] as number)).sort((a, b) => a - b);
    return ratios[Math.floor(ratios.length / 2)] as number;
  }
}
