import type { Subject } from 'rxjs';
import type { Clock } from '../contracts/clock.js';
import type { Logger } from '../contracts/logger.js';
import type { RecorderSignal } from '../contracts/recorder.js';
import { toWardwatchError } from '../errors/wardwatch-error.js';
import type { HealthSignal } from '../health/health-signal.js';
import type { StationEvent } from '../model/station-event.js';
import { redactUrlsIn } from '../util/redact-url.js';
import type { SerialQueue } from '../util/serial-queue.js';
import type { CameraRuntimeAction } from './camera-runtime-state.js';
import type { SegmentIndex } from './segment-index.js';

/** What turning recorder signals into health, stats, the index and events needs (internal). */
export interface RecorderSignalTargets {
  cameraId: string;
  clock: Clock;
  logger: Logger;
  emit: (event: StationEvent) => void;
  health: Subject<HealthSignal>;
  dispatch: (action: CameraRuntimeAction) => void;
  segments: SegmentIndex;
  /** Segments are indexed one at a time, in the order they closed. */
  indexing: SerialQueue;
}

/** Returns the handler of one camera's recorder signals: media feeds health, segments go to the index, gaps and errors become events. */
export function handleRecorderSignal(targets: RecorderSignalTargets): (signal: RecorderSignal) => void {
  const { cameraId, clock, logger, emit, health, dispatch } = targets;
  const index = (signal: Extract<RecorderSignal, { type: 'segment' }>): void => {
    const segment = signal.segment;
    health.next({ type: 'media', at: clock.now() });
    void targets.indexing
      .run(() => targets.segments.index([segment]))
      .catch((error: unknown) => {
        const err = toWardwatchError(error, 'STORAGE_IO', { cameraId });
        logger.error({ err, path: segment.path }, 'indexing a segment failed');
        emit({ type: 'recording.error', at: clock.now(), cameraId, code: err.code, message: `segment ${segment.path} not indexed: ${err.message}` });
      });
  };
  return (signal) => {
    switch (signal.type) {
      case 'connected':
        health.next({ type: 'media', at: signal.at });
        break;
      case 'progress':
        health.next({ type: 'media', at: signal.at });
        dispatch({ type: 'progress', at: signal.at, fps: signal.fps, bitrateKbps: signal.bitrateKbps, width: signal.width, height: signal.height });
        break;
      case 'segment':
        index(signal);
        break;
      case 'gap':
        emit({ type: 'recording.gap', at: clock.now(), cameraId, from: signal.from, to: signal.to, cause: redactUrlsIn(signal.cause) });
        break;
      case 'disconnected':
        health.next({ type: 'media-lost', at: signal.at, cause: redactUrlsIn(signal.cause) });
        break;
      case 'error':
        logger.warn({ code: signal.error.code }, `recorder: ${redactUrlsIn(signal.error.message)}`);
        emit({ type: 'recording.error', at: signal.at, cameraId, code: signal.error.code, message: redactUrlsIn(signal.error.message) });
        break;
    }
  };
}
