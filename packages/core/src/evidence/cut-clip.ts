import type { Clock } from '../contracts/clock.js';
import type { Logger } from '../contracts/logger.js';
import type { ClipEvent, ClipResult, Recorder } from '../contracts/recorder.js';
import { WardwatchError, toWardwatchError } from '../errors/wardwatch-error.js';
import { exportCancelled } from './export-cancelled.js';

/** How long a cancelled cut may take to end its process before the export stops waiting, ms. */
export const CUT_GRACE_MS = 15_000;

/**
 * Cuts the clip by stream copy through the recorder (step 2). On abort the recorder stops its process and then
 * errors; the cut waits for that (no process outlives the export), but never longer than {@link CUT_GRACE_MS}
 * of the station clock.
 */
export function cutClip(input: {
  recorder: Pick<Recorder, 'exportClip'>;
  request: { cameraId: string; from: number; to: number };
  clipPath: string;
  signal: AbortSignal;
  clock: Clock;
  logger: Logger;
  evidenceId: string;
  onProgress: (ratio: number) => void;
}): Promise<ClipResult> {
  const { request, signal } = input;
  return new Promise<ClipResult>((resolvePromise, reject) => {
    let done: ClipResult | undefined;
    let grace: { unsubscribe(): void } | undefined;
    const settle = (): void => grace?.unsubscribe();
    const subscription = input.recorder.exportClip({ cameraId: request.cameraId, from: request.from, to: request.to, outPath: input.clipPath, signal }).subscribe({
      next: (event: ClipEvent) => {
        if (event.type === 'progress') input.onProgress(event.ratio);
        else done = event.result;
      },
      error: (error: unknown) => {
        settle();
        reject(signal.aborted ? exportCancelled() : toWardwatchError(error, 'FFMPEG_FAILED'));
      },
      complete: () => {
        settle();
        if (signal.aborted) reject(exportCancelled());
        else if (done) resolvePromise(done);
        else reject(new WardwatchError('INTERNAL', 'The recorder finished the clip without a result'));
      },
    });
    signal.addEventListener(
      'abort',
      () => {
        grace = input.clock.schedule(() => {
          input.logger.warn({ evidenceId: input.evidenceId }, 'the recorder did not end the cancelled clip in time');
          subscription.unsubscribe();
          reject(exportCancelled());
        }, CUT_GRACE_MS);
      },
      { once: true },
    );
  });
}
