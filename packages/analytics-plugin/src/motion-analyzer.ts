import type { Analyzer, AnalyzerContext, Detection, Frame, FrameOptions } from '@wardwatch/core';
import { Observable, type Observable as ObservableType } from 'rxjs';
import { type AnalyzerErrorHandler, reportAnalyzerError } from './analyzer-errors.js';
import { MotionDetector, type MotionDetectorOptions } from './motion-detector.js';

/** Options of {@link createMotionAnalyzer}; each camera may override them in `analytics.options.motion`. */
export interface MotionAnalyzerOptions extends MotionDetectorOptions {
  /** Analyzer name cameras enable it by. @default 'motion' */
  name?: string;
  /** Frames requested from the recorder. @default { width: 320, height: 180, fps: 5, format: 'gray' } */
  frameOptions?: Partial<FrameOptions>;
  /** Called with every rejected frame (wrong size, corrupt data); the analyzer goes on. */
  onError?: AnalyzerErrorHandler;
}

/**
 * Creates the motion analyzer: an adaptive background on small gray frames, include zones and
 * exclude masks, start/stop hysteresis; emits `motion` start/end events with moving boxes.
 */
export function createMotionAnalyzer(options: MotionAnalyzerOptions = {}): Analyzer {
  const name = options.name ?? 'motion';
  return {
    name,
    frameOptions: { width: 320, height: 180, fps: 5, format: 'gray', ...options.frameOptions },
    analyze(frames$: ObservableType<Frame>, context: AnalyzerContext): ObservableType<Detection> {
      return new Observable<Detection>((subscriber) => {
        const merged: MotionDetectorOptions = { ...options, ...(context.options as MotionDetectorOptions) };
        const detector = new MotionDetector(merged);
        const cameraId = context.camera.id;
        const sub = frames$.subscribe({
          next: (frame) => {
            let step;
            try {
              step = detector.step(frame);
            } catch (error) {
              reportAnalyzerError(context, name, error, options.onError);
              return;
            }
            if (step.changed === 'start') {
              subscriber.next({ type: 'motion', at: frame.at, cameraId, phase: 'start', source: 'analyzer', boxes: step.boxes, score: step.score });
            } else if (step.changed === 'end') {
              subscriber.next({ type: 'motion', at: frame.at, cameraId, phase: 'end', source: 'analyzer' });
            }
          },
          error: (error) => subscriber.error(error),
          complete: () => {
            if (detector.active) {
              subscriber.next({ type: 'motion', at: detector.lastFrameAt, cameraId, phase: 'end', source: 'analyzer' });
            }
            subscriber.complete();
          },
        });
        return () => sub.unsubscribe();
      });
    },
  };
}
