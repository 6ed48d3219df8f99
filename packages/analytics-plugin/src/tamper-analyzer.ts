import type { Analyzer, AnalyzerContext, Detection, Frame, FrameOptions } from '@wardwatch/core';
import { Observable, type Observable as ObservableType } from 'rxjs';
import { type AnalyzerErrorHandler, reportAnalyzerError } from './analyzer-errors.js';
import { TamperDetector, type TamperDetectorOptions } from './tamper-detector.js';

/** Options of {@link createTamperAnalyzer}; each camera may override them in `analytics.options.tamper`. */
export interface TamperAnalyzerOptions extends TamperDetectorOptions {
  /** Analyzer name cameras enable it by. @default 'tamper' */
  name?: string;
  /** Frames requested from the recorder. @default { width: 320, height: 180, fps: 2, format: 'gray' } */
  frameOptions?: Partial<FrameOptions>;
  /** A `picture.quality` event summarises each period this long (frame time); 0 disables them. @default 60000 */
  qualityIntervalMs?: number;
  /** Called with every rejected frame; the analyzer goes on. */
  onError?: AnalyzerErrorHandler;
}

/**
 * Creates the tamper and picture-quality analyzer: covered or black lens, defocus, scene change
 * against a learnt reference (camera turned) and low light, as `tamper` start/end events, plus a
 * periodic `picture.quality` score per camera (which cameras need infrared or lighting at night).
 */
export function createTamperAnalyzer(options: TamperAnalyzerOptions = {}): Analyzer {
  const name = options.name ?? 'tamper';
  return {
    name,
    frameOptions: { width: 320, height: 180, fps: 2, format: 'gray', ...options.frameOptions },
    analyze(frames$: ObservableType<Frame>, context: AnalyzerContext): ObservableType<Detection> {
      return new Observable<Detection>((subscriber) => {
        const merged = { ...options, ...(context.options as TamperAnalyzerOptions) };
        const detector = new TamperDetector(merged);
        const interval = merged.qualityIntervalMs ?? 60_000;
        const cameraId = context.camera.id;
        let period: { from: number; n: number; score: number; brightness: number; sharpness: number; noise: number; low: number } | undefined;
        const flush = (at: number): void => {
          if (!period || period.n === 0) return;
          const n = period.n;
          subscriber.next({
            type: 'picture.quality',
            at,
            cameraId,
            score: period.score / n,
            brightness: period.brightness / n,
            sharpness: period.sharpness / n,
            noise: period.noise / n,
            lowLight: period.low / n >= 0.5,
          });
          period = undefined;
        };
        const sub = frames$.subscribe({
          next: (frame) => {
            let step;
            try {
              step = detector.step(frame);
            } catch (error) {
              reportAnalyzerError(context, name, error, options.onError);
              return;
            }
            for (const kind of step.started) {
              subscriber.next({ type: 'tamper', at: frame.at, cameraId, kind, phase: 'start', source: 'analyzer', score: step.quality.score });
            }
            for (const kind of step.ended) {
              subscriber.next({ type: 'tamper', at: frame.at, cameraId, kind, phase: 'end', source: 'analyzer' });
            }
            if (interval > 0) {
              period ??= { from: frame.at, n: 0, score: 0, brightness: 0, sharpness: 0, noise: 0, low: 0 };
              const q = step.quality;
              period.n += 1;
              period.score += q.score;
              period.brightness += q.brightness;
              period.sharpness += q.sharpness;
              period.noise += q.noise;
              period.low += q.lowLight ? 1 : 0;
              if (frame.at - period.from >= interval) flush(frame.at);
            }
          },
          error: (error) => subscriber.error(error),
          complete: () => {
            const at = detector.lastFrameAt;
            for (const kind of detector.active) subscriber.next({ type: 'tamper', at, cameraId, kind, phase: 'end', source: 'analyzer' });
            flush(at);
            subscriber.complete();
          },
        });
        return () => sub.unsubscribe();
      });
    },
  };
}
