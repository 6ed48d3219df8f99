import { Subscription } from 'rxjs';
import type { Analyzer } from '../contracts/analyzer.js';
import type { Clock } from '../contracts/clock.js';
import type { Logger } from '../contracts/logger.js';
import type { Recorder } from '../contracts/recorder.js';
import { toWardwatchError, WardwatchError } from '../errors/wardwatch-error.js';
import type { CameraSpec } from '../model/camera-spec.js';
import type { StationEvent } from '../model/station-event.js';
import { redactUrlsIn } from '../util/redact-url.js';

/**
 * Runs the analyzers a camera's spec names on the recorder's frames, emitting their detections. A failing
 * analyzer (missing, no recorder, throwing, erroring) is logged and emitted as `analyzer.error`; it never stops
 * the camera. Unsubscribing stops every analyzer.
 */
export function runAnalyzers(spec: CameraSpec, deps: { analyzers: ReadonlyMap<string, Analyzer>; recorder: Recorder | undefined; clock: Clock; logger: Logger; emit: (event: StationEvent) => void }): Subscription {
  const { clock, logger, emit, recorder } = deps;
  const cameraId = spec.id;
  const all = new Subscription();
  for (const name of spec.analytics.analyzers) {
    const analyzer = deps.analyzers.get(name);
    const fail = (error: unknown): void => {
      const err = toWardwatchError(error, 'INTERNAL', { cameraId, analyzer: name });
      logger.error({ err, analyzer: name }, 'analyzer failed');
      emit({ type: 'analyzer.error', at: clock.now(), cameraId, analyzer: name, code: err.code, message: redactUrlsIn(err.message) });
    };
    if (!analyzer) {
      fail(new WardwatchError('NOT_FOUND', `Analyzer "${name}" is not registered`));
      continue;
    }
    if (!recorder) {
      fail(new WardwatchError('INVALID_STATE', `Analyzer "${name}" needs a recorder to get frames`));
      continue;
    }
    try {
      const frames$ = recorder.frames(cameraId, analyzer.frameOptions);
      const detections$ = analyzer.analyze(frames$, { camera: spec, options: spec.analytics.options[name] ?? {}, clock, logger: logger.child({ analyzer: name }) });
      all.add(
        detections$.subscribe({
          next: (detection) => {
            try {
              emit(detection);
            } catch (error) {
              fail(error);
            }
          },
          error: fail,
        }),
      );
    } catch (error) {
      fail(error);
    }
  }
  return all;
}
