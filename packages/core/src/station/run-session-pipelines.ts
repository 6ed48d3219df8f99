import { Subscription, type Subject } from 'rxjs';
import type { CameraSession } from '../contracts/camera-driver.js';
import type { Logger } from '../contracts/logger.js';
import { toWardwatchError } from '../errors/wardwatch-error.js';
import type { HealthSignal } from '../health/health-signal.js';
import type { CameraSpec } from '../model/camera-spec.js';
import { redactUrlsIn } from '../util/redact-url.js';
import type { SerialQueue } from '../util/serial-queue.js';
import type { CameraRuntimeDeps } from './camera-runtime.js';
import type { CameraRuntimeAction } from './camera-runtime-state.js';
import { forwardDriverEvents } from './forward-driver-events.js';
import { handleRecorderSignal } from './handle-recorder-signal.js';
import { probeSession } from './probe-session.js';
import { runAnalyzers } from './run-analyzers.js';

/**
 * Runs a connected session's pipelines: device events, recording (when the spec records and there is a recorder),
 * health probes and the spec's analyzers. Unsubscribing stops them all.
 */
export function runSessionPipelines(
  session: CameraSession,
  input: {
    spec: CameraSpec;
    deps: CameraRuntimeDeps;
    logger: Logger;
    health: Subject<HealthSignal>;
    dispatch: (action: CameraRuntimeAction) => void;
    indexing: SerialQueue;
    probeOnly: boolean;
  },
): Subscription {
  const { spec, deps, logger, health } = input;
  const { clock, emit, recorder } = deps;
  const cameraId = spec.id;
  const pipelines = new Subscription();
  pipelines.add(forwardDriverEvents(session, cameraId, emit, logger));
  if (recorder && spec.recording.enabled) {
    const onSignal = handleRecorderSignal({ cameraId, clock, logger, emit, health, dispatch: input.dispatch, segments: deps.segments, indexing: input.indexing });
    pipelines.add(
      recorder.record(spec, session).subscribe({
        next: onSignal,
        error: (error: unknown) => {
          const err = toWardwatchError(error, 'FFMPEG_FAILED', { cameraId });
          logger.error({ err }, 'recording ended with an error');
          emit({ type: 'recording.error', at: clock.now(), cameraId, code: err.code, message: redactUrlsIn(err.message) });
          health.next({ type: 'media-lost', at: clock.now(), cause: redactUrlsIn(`${err.code}: ${err.message}`) });
        },
      }),
    );
  }
  pipelines.add(probeSession(session, { clock, intervalMs: deps.health.probeIntervalMs, probeOnly: input.probeOnly, health }));
  pipelines.add(runAnalyzers(spec, { analyzers: deps.analyzers, recorder, clock, logger, emit }));
  return pipelines;
}
