import { BehaviorSubject, Subject, Subscription, type Observable } from 'rxjs';
import type { Analyzer } from '../contracts/analyzer.js';
import type { CameraDriver, CameraSession } from '../contracts/camera-driver.js';
import type { Clock } from '../contracts/clock.js';
import type { Logger } from '../contracts/logger.js';
import type { Recorder } from '../contracts/recorder.js';
import { toWardwatchError } from '../errors/wardwatch-error.js';
import type { HealthSignal } from '../health/health-signal.js';
import type { CameraSpec } from '../model/camera-spec.js';
import type { CameraStats, CameraStatus } from '../model/camera-status.js';
import type { StationEvent } from '../model/station-event.js';
import { backoffDelay } from '../util/backoff-delay.js';
import { redactUrl, redactUrlsIn } from '../util/redact-url.js';
import { createSerialQueue } from '../util/serial-queue.js';
import type { Camera } from './camera.js';
import { createCameraHandle } from './camera-handle.js';
import { initialCameraRuntimeState, reduceCameraRuntime, type CameraRuntimeAction, type CameraRuntimeState } from './camera-runtime-state.js';
import { runSessionPipelines } from './run-session-pipelines.js';
import type { SegmentIndex } from './segment-index.js';
import type { StationHealthOptions } from './station-options.js';
import { watchCameraHealth } from './watch-camera-health.js';

/** Everything a camera runtime needs from its station (internal). */
export interface CameraRuntimeDeps {
  drivers: ReadonlyMap<string, CameraDriver>;
  recorder: Recorder | undefined;
  analyzers: ReadonlyMap<string, Analyzer>;
  /** The station's segment index (the only writer of `storage.segments`). */
  segments: SegmentIndex;
  clock: Clock;
  logger: Logger;
  health: Required<StationHealthOptions>;
  emit(event: StationEvent): void;
  events$: Observable<StationEvent>;
}

/** One camera's long-lived handle plus its (re)startable connection (internal). */
export interface CameraRuntime {
  readonly handle: Camera;
  spec: CameraSpec;
  /** Connects (with retries) and runs recording, events, probes and analyzers. */
  connect(): void;
  /** Stops everything of the current connection and waits for pending segment writes and the session close. */
  disconnect(reason: string): Promise<void>;
  /** Completes the handle's observables. */
  dispose(): void;
  /** Work in flight (pending segment indexing); resolves when it is done. */
  idle(): Promise<void>;
}

/**
 * Creates the runtime of one camera (internal to the station). Every state change from a callback (health,
 * driver, recorder, timers) goes through {@link reduceCameraRuntime} by `dispatch`, which then publishes what
 * changed: `status$` and `camera.status`, `stats$`.
 */
export function createCameraRuntime(initial: CameraSpec, deps: CameraRuntimeDeps): CameraRuntime {
  const { clock, emit } = deps;
  let spec = initial;
  const logger = deps.logger.child({ cameraId: spec.id });
  let state: CameraRuntimeState = initialCameraRuntimeState(spec.enabled, clock.now());
  const status$ = new BehaviorSubject<CameraStatus>(state.status);
  const stats$ = new BehaviorSubject<CameraStats>(state.stats);
  const indexing = createSerialQueue();
  let connection: Subscription | undefined;
  let closeSession: (() => Promise<void>) | undefined;
  let generation = 0;
  /** The connect attempt in flight, awaited by disconnect so no session opens after it. */
  let inflight: Promise<void> | undefined;

  const dispatch = (action: CameraRuntimeAction): void => {
    const previous = state;
    state = reduceCameraRuntime(previous, action);
    if (state.status !== previous.status) {
      status$.next(state.status);
      emit({ type: 'camera.status', at: state.status.since, cameraId: spec.id, status: state.status, previous: previous.status.state });
    }
    if (state.stats !== previous.stats) stats$.next(state.stats);
  };

  const handle = createCameraHandle({
    spec: () => spec,
    state: () => state,
    status$: status$.asObservable(),
    stats$: stats$.asObservable(),
    stationEvents$: deps.events$,
    recorder: deps.recorder,
  });

  const connect = (): void => {
    if (connection) return;
    const gen = ++generation;
    const sub = new Subscription();
    connection = sub;
    dispatch({ type: 'connection-started' });
    const probeOnly = !deps.recorder || !spec.recording.enabled;
    const health = watchCameraHealth({ clock, health: deps.health, probeOnly, enabled: spec.enabled, owner: sub, onStatus: (status) => dispatch({ type: 'health', status }) });
    if (!spec.enabled) return;
    const driver = deps.drivers.get(spec.driver);
    if (!driver) {
      logger.error({ driver: spec.driver }, 'camera driver not registered');
      health.next({ type: 'connect-failed', at: clock.now(), cause: `DRIVER_NOT_FOUND: no registered driver "${spec.driver}"` });
      return;
    }
    const abort = new AbortController();
    sub.add(() => abort.abort());
    const h = deps.health;

    const retryLater = (error: unknown): void => {
      const err = toWardwatchError(error, 'CAMERA_UNREACHABLE', { cameraId: spec.id });
      dispatch({ type: 'connect-failed' });
      const failures = state.failures;
      const delay = err.retryable ? backoffDelay(failures - 1, { initialMs: h.retryInitialMs, maxMs: h.retryMaxMs, jitter: h.retryJitter }) : h.retryNonRetryableMs;
      const cause = redactUrlsIn(`${err.code}: ${err.message}`);
      logger.warn({ code: err.code, retryable: err.retryable, failures, retryInMs: delay }, `connect failed: ${cause}`);
      health.next({ type: 'connect-failed', at: clock.now(), cause });
      sub.add(clock.schedule(() => void run(), delay));
    };
    const attempt = async (): Promise<void> => {
      if (sub.closed) return;
      health.next({ type: 'connecting', at: clock.now() });
      let opened: CameraSession;
      try {
        opened = await driver.connect(spec, { signal: abort.signal, logger });
      } catch (error) {
        if (!sub.closed) retryLater(error);
        return;
      }
      if (sub.closed || gen !== generation) {
        await opened.close().catch((error: unknown) => logger.error({ err: error }, 'closing a late session failed'));
        return;
      }
      try {
        attach(opened, sub, health, probeOnly);
      } catch (error) {
        const err = toWardwatchError(error, 'INTERNAL', { cameraId: spec.id });
        logger.error({ err }, 'starting the camera pipelines failed');
        emit({ type: 'recording.error', at: clock.now(), cameraId: spec.id, code: err.code, message: redactUrlsIn(err.message) });
        health.next({ type: 'media-lost', at: clock.now(), cause: redactUrlsIn(`${err.code}: ${err.message}`) });
      }
    };
    const run = (): void => {
      const current = attempt().finally(() => {
        if (inflight === current) inflight = undefined;
      });
      inflight = current;
    };
    run();
  };

  /** Runs a connected session's pipelines: device events, recording, probes and analyzers. */
  const attach = (opened: CameraSession, sub: Subscription, health: Subject<HealthSignal>, probeOnly: boolean): void => {
    dispatch({ type: 'session-opened', session: opened });
    let closed = false;
    closeSession = async () => {
      if (closed) return;
      closed = true;
      dispatch({ type: 'session-closed', session: opened });
      await opened.close();
    };
    logger.info({ main: redactUrl(opened.streams.main.uri) }, 'camera connected');
    sub.add(runSessionPipelines(opened, { spec, deps, logger, health, dispatch, indexing, probeOnly }));
  };

  const disconnect = async (reason: string): Promise<void> => {
    const sub = connection;
    connection = undefined;
    generation++;
    sub?.unsubscribe();
    await inflight;
    const close = closeSession;
    closeSession = undefined;
    dispatch({ type: 'session-closed', session: undefined });
    try {
      await close?.();
    } catch (error) {
      logger.error({ err: error }, 'closing the camera session failed');
    }
    await indexing.idle();
    dispatch({ type: 'stopped', cause: reason, at: clock.now() });
  };

  return {
    handle,
    get spec() {
      return spec;
    },
    set spec(next: CameraSpec) {
      spec = next;
    },
    connect,
    disconnect,
    dispose() {
      status$.complete();
      stats$.complete();
    },
    idle: () => indexing.idle(),
  };
}
