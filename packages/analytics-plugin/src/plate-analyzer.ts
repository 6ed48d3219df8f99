import type { Analyzer, AnalyzerContext, Box, Detection, Frame, FrameOptions } from '@wardwatch/core';
import { Observable, type Observable as ObservableType } from 'rxjs';
import { type AnalyzerErrorHandler, reportAnalyzerError } from './analyzer-errors.js';
import { MotionDetector, type MotionDetectorOptions } from './motion-detector.js';
import { type PlateRead, type PlateReader, type PlateReaderOptions, createPlateReader } from './plate-reader.js';

/** Options of {@link createPlateAnalyzer}; each camera may override the plain options in `analytics.options.plates`. */
export interface PlateAnalyzerOptions {
  /** Analyzer name cameras enable it by. @default 'plates' */
  name?: string;
  /** Frames requested from the recorder (plates need pixels). @default { width: 640, height: 360, fps: 2, format: 'rgb' } */
  frameOptions?: Partial<FrameOptions>;
  /** A reader to share between cameras (or a factory called on first use); one is created from `reader` options otherwise. */
  plateReader?: PlateReader | Promise<PlateReader> | (() => Promise<PlateReader>);
  /** Options for the reader created on first use. */
  reader?: PlateReaderOptions;
  /** Motion gate: OCR runs only on frames with motion (zones and masks apply); `false` reads every frame. @default {} */
  motion?: MotionDetectorOptions | false;
  /** Reads of the same plate (or one character apart) closer than this are one sighting. @default 4000 */
  mergeWindowMs?: number;
  /** Sightings whose best read is under this confidence are dropped. @default 0.6 */
  minConfidence?: number;
  /** Called with every rejected frame or failed read; the analyzer goes on. */
  onError?: AnalyzerErrorHandler;
}

interface Sighting {
  firstAt: number;
  lastAt: number;
  best: PlateRead;
  reads: number;
}

/** Edit distance of two short strings, capped at 2. */
function distance(a: string, b: string): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > 1) return 2;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const tmp = prev[j] as number;
      prev[j] = Math.min((prev[j] as number) + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return Math.min(2, prev[b.length] as number);
}

/** The moving area grown by a margin, when it is small enough to be worth searching alone. */
function roiOf(boxes: readonly Box[]): Box | undefined {
  if (boxes.length === 0) return undefined;
  const x0 = Math.max(0, Math.min(...boxes.map((b) => b.x)) - 0.08);
  const y0 = Math.max(0, Math.min(...boxes.map((b) => b.y)) - 0.08);
  const x1 = Math.min(1, Math.max(...boxes.map((b) => b.x + b.width)) + 0.08);
  const y1 = Math.min(1, Math.max(...boxes.map((b) => b.y + b.height)) + 0.08);
  const box = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  return box.width * box.height < 0.6 ? box : undefined;
}

const compactPlate = (plate: string): string => plate.replace(/[^0-9A-Z]/g, '');

/**
 * Creates the licence-plate analyzer: on frames with motion it reads Vietnamese plates (searching only
 * the moving area when that is small) with
 * PaddleOCR (onnxruntime-node, CPU), rejects text that is not a valid plate, merges repeated reads
 * of the same vehicle within a window and emits one `plate` event per sighting, with confidence,
 * province, kind, box and a JPEG crop.
 */
export function createPlateAnalyzer(options: PlateAnalyzerOptions = {}): Analyzer {
  const name = options.name ?? 'plates';
  let shared: Promise<PlateReader> | undefined;
  const readerOnce = (): Promise<PlateReader> => {
    const given = options.plateReader;
    shared ??= typeof given === 'function' ? given() : Promise.resolve(given ?? createPlateReader(options.reader));
    return shared;
  };
  return {
    name,
    frameOptions: { width: 640, height: 360, fps: 2, format: 'rgb', ...options.frameOptions },
    analyze(frames$: ObservableType<Frame>, context: AnalyzerContext): ObservableType<Detection> {
      return new Observable<Detection>((subscriber) => {
        const o = { ...options, ...(context.options as Partial<PlateAnalyzerOptions>) };
        const cameraId = context.camera.id;
        const windowMs = o.mergeWindowMs ?? 4000;
        const minConfidence = o.minConfidence ?? 0.6;
        const gate = o.motion === false ? undefined : new MotionDetector({ startAfterMs: 0, endAfterMs: 1000, warmupFrames: 1, ...o.motion });
        const open: Sighting[] = [];
        let busy: Promise<void> | undefined;
        let pending: { frame: Frame; roi: Box | undefined } | undefined;
        let failed = false;
        let closed = false;

        const emit = (s: Sighting): void => {
          if (s.best.confidence < minConfidence) return;
          const { best } = s;
          subscriber.next({
            type: 'plate',
            at: s.firstAt,
            cameraId,
            plate: best.plate,
            raw: best.raw,
            confidence: best.confidence,
            ...(best.parsed.province ? { province: best.parsed.province } : {}),
            kind: best.parsed.kind,
            box: best.box,
            ...(best.cropJpeg ? { cropJpeg: Buffer.from(best.cropJpeg).toString('base64') } : {}),
          });
        };
        const flush = (now: number | undefined): void => {
          const due = open.filter((s) => now === undefined || now - s.lastAt > windowMs);
          for (const s of due) open.splice(open.indexOf(s), 1);
          for (const s of due.sort((a, b) => a.firstAt - b.firstAt)) emit(s);
        };
        const add = (at: number, read: PlateRead): void => {
          const key = compactPlate(read.plate);
          const same = open.find((s) => at - s.lastAt <= windowMs && distance(compactPlate(s.best.plate), key) <= 1);
          if (!same) {
            open.push({ firstAt: at, lastAt: at, best: read, reads: 1 });
            return;
          }
          same.lastAt = at;
          same.reads += 1;
          if (read.confidence > same.best.confidence) same.best = read;
        };
        const process = async (frame: Frame, roi: Box | undefined): Promise<void> => {
          try {
            const reader = await readerOnce();
            const reads = await reader.read(frame, roi ? { roi } : {});
            if (closed) return;
            flush(frame.at);
            for (const read of reads) add(frame.at, read);
          } catch (error) {
            const err = reportAnalyzerError(context, name, error, o.onError);
            if (err.code === 'MODEL_NOT_FOUND') failed = true;
          }
        };

        const start = (frame: Frame, roi: Box | undefined): void => {
          busy = process(frame, roi).then(() => {
            const next = pending;
            pending = undefined;
            if (next && !closed && !failed) start(next.frame, next.roi);
            else busy = undefined;
          });
        };
        const idle = async (): Promise<void> => {
          while (busy) await busy;
        };

        const sub = frames$.subscribe({
          next: (frame) => {
            if (failed) return;
            flush(frame.at);
            let roi: Box | undefined;
            if (gate) {
              try {
                const step = gate.step(frame);
                if (!step.moving && !step.active) return;
                roi = roiOf(step.boxes);
              } catch (error) {
                reportAnalyzerError(context, name, error, o.onError);
                return;
              }
            }
            // One OCR at a time per camera: while it runs only the newest frame waits, older ones are dropped.
            if (busy) {
              pending = { frame, roi };
              return;
            }
            start(frame, roi);
          },
          error: (error) => subscriber.error(error),
          complete: () => {
            void idle().then(() => {
              flush(undefined);
              subscriber.complete();
            });
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
