import { join } from 'node:path';
import type { Observable } from 'rxjs';
import { backoffDelay, checkStreamUri, createSerialQueue, WardwatchError, type BackoffOptions, type Clock, type Logger, type RecorderSignal, type Segment, type StreamUriPolicy } from '@wardwatch/core';
import type { FfmpegCapabilities } from './ffmpeg-capabilities.js';
import type { ManagedProcess, ProcessRunner } from './process-runner.js';
import { initialRecordingState, reduceRecording, type RecordingAction, type RecordingEffect, type RecordingLimits } from './recording-reducer.js';
import { INCOMING_DIR } from './recover-segments.js';
import { runRecordingProcess, type RunContext } from './run-recording-process.js';
import type { SegmentFinisher } from './segment-finisher.js';
import { resolveInside } from './segment-path.js';
import { createSignalHub } from './signal-hub.js';
import type { Ticker } from './ticker.js';

/** Everything one camera's recording loop needs. */
export interface CameraRecordingConfig {
  cameraId: string;
  /** The stream to record, as the driver reported it; checked against `streamPolicy` before anything opens it. */
  inputUri: string;
  /** Which hosts the stream may come from (see `checkStreamUri`). */
  streamPolicy: StreamUriPolicy;
  root: string;
  ffmpegPath: string;
  ffprobePath: string;
  capabilities: FfmpegCapabilities;
  runner: ProcessRunner;
  /** Drives progress reading and the connect/stall watchdog of every camera (one timer for all). */
  ticker: Ticker;
  /** Moves, journals and hashes closed segments off the main thread. */
  finisher: SegmentFinisher;
  clock: Clock;
  logger: Logger;
  segmentSeconds: number;
  transport: 'tcp' | 'udp';
  socketTimeoutMs: number;
  /** No media progress for this long kills the process and reconnects, ms. */
  stallTimeoutMs: number;
  /** Giving up on a connection attempt that never produced media, ms. */
  connectTimeoutMs: number;
  graceMs: number;
  backoff: BackoffOptions;
  includeAudio: boolean;
  /** Holes smaller than this between runs are not reported as gaps, ms. */
  gapToleranceMs: number;
  /** End of the last footage already recorded (e.g. the latest indexed segment), for the first gap. */
  previousEnd?: number;
  /** RTMP URL of the live relay, resolved at each (re)connect. */
  liveUrl?: () => string | undefined;
  /** Where segments go when nobody is subscribed any more (the last segment after unsubscribe). */
  orphanSink: (segment: Segment) => void;
}

/** A running camera recording: its signals and a graceful stop. */
export interface CameraRecording {
  readonly signals$: Observable<RecorderSignal>;
  /** Stops the process gracefully, waits for its last segment to be delivered, completes `signals$`. */
  stop(): Promise<void>;
  /** Pid of the current ffmpeg process, if any. */
  pid(): number | undefined;
}

/**
 * Starts recording one camera: ffmpeg runs with reconnect (exponential backoff with jitter) until stopped. The
 * recording's state lives in one reducer (`reduceRecording`); this function owns the resources (the process, the
 * backoff timer, the signal hub) and turns the reducer's effects into deeds.
 */
export function startCameraRecording(config: CameraRecordingConfig): CameraRecording {
  const { cameraId, clock } = config;
  // a camera is not a trusted device: a stream that is not RTSP from its own host is refused before any process runs
  checkStreamUri(config.inputUri, config.streamPolicy);
  const logger = config.logger.child({ cameraId });
  const hub = createSignalHub(config.orphanSink);
  const limits: RecordingLimits = { cameraId, gapToleranceMs: config.gapToleranceMs, stallTimeoutMs: config.stallTimeoutMs, connectTimeoutMs: config.connectTimeoutMs };
  let state = initialRecordingState(config.previousEnd);
  let runEffect: ((effect: RecordingEffect) => void) | undefined;
  let current: ManagedProcess | undefined;
  let wake: (() => void) | undefined;

  const dispatch = (action: RecordingAction): void => {
    const transition = reduceRecording(state, action, limits);
    state = transition.state;
    for (const effect of transition.effects) {
      if (effect.type === 'emit') hub.emit(effect.signal);
      else runEffect?.(effect);
    }
  };
  const emitError = (error: WardwatchError): void => hub.emit({ type: 'error', at: clock.now(), error });
  const ctx: RunContext = {
    config,
    logger,
    incoming: join(resolveInside(config.root, cameraId), INCOMING_DIR),
    state: () => state,
    dispatch,
    onRunEffect: (handler) => (runEffect = handler),
    emitError,
    setProcess: (proc) => (current = proc),
    closing: createSerialQueue(),
  };

  /** Waits the reconnect delay on the injected clock; `stop()` cuts it short. */
  const pause = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const sub = clock.schedule(() => {
        wake = undefined;
        resolve();
      }, ms);
      wake = () => {
        sub.unsubscribe();
        wake = undefined;
        resolve();
      };
    });

  async function loop(): Promise<void> {
    while (!state.stopped) {
      try {
        await runRecordingProcess(ctx);
        dispatch({ type: 'run-ended', at: clock.now() });
      } catch (error) {
        const wrapped = error instanceof WardwatchError ? error : new WardwatchError('FFMPEG_FAILED', 'Recording process failed to start', { cause: error, details: { cameraId } });
        logger.error({ err: wrapped }, 'recording run failed');
        emitError(wrapped);
        dispatch({ type: 'run-ended', at: clock.now(), failure: wrapped.message });
      }
      if (state.stopped) break;
      await pause(backoffDelay(state.retryAttempt, config.backoff));
    }
  }

  const done = loop().catch((error: unknown) => logger.error({ err: error }, 'recording loop failed'));

  let stopping: Promise<void> | undefined;
  return {
    signals$: hub.signals$,
    pid: () => current?.pid,
    stop() {
      stopping ??= (async () => {
        dispatch({ type: 'stop-requested' });
        wake?.();
        await current?.stop(config.graceMs);
        await done;
        await ctx.closing.idle();
        hub.complete();
      })();
      return stopping;
    },
  };
}
