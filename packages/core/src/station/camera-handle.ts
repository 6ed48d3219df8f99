import { Observable } from 'rxjs';
import type { Recorder } from '../contracts/recorder.js';
import { toWardwatchError, WardwatchError } from '../errors/wardwatch-error.js';
import type { CameraSpec } from '../model/camera-spec.js';
import type { CameraStats, CameraStatus } from '../model/camera-status.js';
import type { StationEvent } from '../model/station-event.js';
import type { Camera } from './camera.js';
import type { CameraRuntimeState } from './camera-runtime-state.js';

/** The live handle of a camera over its runtime's current spec and state (internal). */
export function createCameraHandle(source: {
  spec: () => CameraSpec;
  state: () => CameraRuntimeState;
  status$: Observable<CameraStatus>;
  stats$: Observable<CameraStats>;
  /** Every station event; the handle filters this camera's. */
  stationEvents$: Observable<StationEvent>;
  recorder: Recorder | undefined;
}): Camera {
  const { spec, state, recorder } = source;
  const events$ = new Observable<StationEvent>((subscriber) =>
    source.stationEvents$.subscribe({
      next: (event) => {
        if ((event as { cameraId?: string }).cameraId === spec().id) subscriber.next(event);
      },
      complete: () => subscriber.complete(),
    }),
  );
  return {
    get id() {
      return spec().id;
    },
    get spec() {
      return spec();
    },
    status$: source.status$,
    get status() {
      return state().status;
    },
    stats$: source.stats$,
    events$,
    get ptz() {
      return state().session?.ptz;
    },
    get clockOffsetMs() {
      return state().session?.clockOffsetMs;
    },
    get device() {
      return state().session?.device;
    },
    get session() {
      return state().session;
    },
    async snapshot() {
      const session = state().session;
      const cameraId = spec().id;
      if (session) {
        try {
          return await session.snapshot();
        } catch (error) {
          const err = toWardwatchError(error, 'CAMERA_PROTOCOL_ERROR', { cameraId });
          if (err.code !== 'CAMERA_UNSUPPORTED' || !recorder) throw err;
        }
      }
      if (recorder) return recorder.snapshot(cameraId);
      throw new WardwatchError('CAMERA_UNREACHABLE', `Camera "${cameraId}" is not connected`, { details: { cameraId } });
    },
  };
}
