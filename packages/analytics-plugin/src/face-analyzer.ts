import type { Analyzer, AnalyzerContext, Detection, Frame, FrameOptions } from '@wardwatch/core';
import { Observable, type Observable as ObservableType } from 'rxjs';
import { type AnalyzerErrorHandler, reportAnalyzerError } from './analyzer-errors.js';
import { type FaceEngine, type FaceEngineOptions, createFaceEngine } from './face-engine.js';
import { type FaceWatchlist, faceSimilarity } from './face-watchlist.js';
import { MotionDetector, type MotionDetectorOptions } from './motion-detector.js';

/** Options of {@link createFaceAnalyzer}; each camera may override the plain options in `analytics.options.faces`. */
export interface FaceAnalyzerOptions {
  /** Analyzer name cameras enable it by. @default 'faces' */
  name?: string;
  /** Frames requested from the recorder. @default { width: 640, height: 360, fps: 2, format: 'rgb' } */
  frameOptions?: Partial<FrameOptions>;
  /** An engine to share between cameras; one is created from `engine` options on first use otherwise. */
  faceEngine?: FaceEngine | Promise<FaceEngine>;
  /** Options for the engine created on first use. */
  engine?: FaceEngineOptions;
  /** The watchlist faces are matched against, on cameras that opt in. */
  watchlist?: FaceWatchlist;
  /** Per camera: match faces against the watchlist (opt-in). @default false */
  matchWatchlist?: boolean;
  /** Which faces become events: every face, or only watchlist matches. @default 'all' */
  emit?: 'all' | 'matches';
  /** Faces narrower than this (pixels) are too small to match and are not matched. @default 48 */
  minFaceSize?: number;
  /** The same face (similar descriptor) is reported again only after this long. @default 10000 */
  repeatAfterMs?: number;
  /** Motion gate; `false` analyses every frame. @default {} */
  motion?: MotionDetectorOptions | false;
  /** Called with every rejected frame or failed detection; the analyzer goes on. */
  onError?: AnalyzerErrorHandler;
}

/**
 * Creates the face analyzer: on frames with motion it detects faces and computes a descriptor per
 * face (models shipped in `@vladmandic/human`, TensorFlow.js WASM on CPU), matches them against
 * the watchlist on cameras that opt in, and emits `face` events (box, confidence, match). No
 * descriptor or face image leaves the analyzer.
 */
export function createFaceAnalyzer(options: FaceAnalyzerOptions = {}): Analyzer {
  const name = options.name ?? 'faces';
  let shared: Promise<FaceEngine> | undefined;
  const engineOnce = (): Promise<FaceEngine> => {
    shared ??= Promise.resolve(options.faceEngine ?? createFaceEngine(options.engine));
    return shared;
  };
  return {
    name,
    frameOptions: { width: 640, height: 360, fps: 2, format: 'rgb', ...options.frameOptions },
    analyze(frames$: ObservableType<Frame>, context: AnalyzerContext): ObservableType<Detection> {
      return new Observable<Detection>((subscriber) => {
        const o = { ...options, ...(context.options as Partial<FaceAnalyzerOptions>) };
        const cameraId = context.camera.id;
        const minFace = o.minFaceSize ?? 48;
        const repeatMs = o.repeatAfterMs ?? 10_000;
        const gate = o.motion === false ? undefined : new MotionDetector({ startAfterMs: 0, endAfterMs: 1000, warmupFrames: 1, ...o.motion });
        const recent: Array<{ at: number; embedding: Float32Array }> = [];
        let busy: Promise<void> | undefined;
        let pending: Frame | undefined;
        let failed = false;
        let closed = false;

        const process = async (frame: Frame): Promise<void> => {
          try {
            const engine = await engineOnce();
            const faces = await engine.detect(frame);
            if (closed) return;
            for (let i = recent.length - 1; i >= 0; i -= 1) if (frame.at - (recent[i] as { at: number }).at > repeatMs) recent.splice(i, 1);
            for (const face of faces) {
              if (recent.some((r) => faceSimilarity(r.embedding, face.embedding) >= 0.6)) continue;
              recent.push({ at: frame.at, embedding: face.embedding });
              const match = o.matchWatchlist && o.watchlist && face.sizePx >= minFace ? o.watchlist.match(face.embedding, cameraId) : undefined;
              if (!match && o.emit === 'matches') continue;
              subscriber.next({ type: 'face', at: frame.at, cameraId, box: face.box, confidence: face.confidence, ...(match ? { match } : {}) });
            }
          } catch (error) {
            const err = reportAnalyzerError(context, name, error, o.onError);
            if (err.code === 'MODEL_NOT_FOUND') failed = true;
          }
        };
        const start = (frame: Frame): void => {
          busy = process(frame).then(() => {
            const next = pending;
            pending = undefined;
            if (next && !closed && !failed) start(next);
            else busy = undefined;
          });
        };
        const sub = frames$.subscribe({
          next: (frame) => {
            if (failed) return;
            if (gate) {
              try {
                const step = gate.step(frame);
                if (!step.moving && !step.active) return;
              } catch (error) {
                reportAnalyzerError(context, name, error, o.onError);
                return;
              }
            }
            if (busy) {
              pending = frame;
              return;
            }
            start(frame);
          },
          error: (error) => subscriber.error(error),
          complete: () => {
            const idle = async (): Promise<void> => {
              while (busy) await busy;
            };
            void idle().then(() => subscriber.complete());
          },
        });
        return () => {
          closed = true;
          sub.unsubscribe();
        };
      });
    },
  };
}
