import { BehaviorSubject, Observable, Subject, Subscription } from 'rxjs';
import type { Analyzer } from '../contracts/analyzer.js';
import type { CameraDriver, CameraSession, DriverEvent } from '../contracts/camera-driver.js';
import type { Clock } from '../contracts/clock.js';
import type { Logger } from '../contracts/logger.js';
import type { Recorder, RecorderSignal } from '../contracts/recorder.js';
import { toWardwatchError, WardwatchError } from '../errors/wardwatch-error.js';
import { cameraHealth } from '../health/camera-health.js';
import type { HealthSignal } from '../health/health-signal.js';
import type { CameraSpec } from '../model/camera-spec.js';
import type { CameraStats, CameraStatus } from '../model/camera-status.js';
import type { StationEvent } from '../model/station-event.js';
import { backoffDelay } from '../util/backoff-delay.js';
import { defined } from '../util/defined.js';
import { redactUrl } from '../util/redact-url.js';
import { createSerialQueue } from '../util/serial-queue.js';
import type { Camera } from './camera.js';
import type { SegmentIndex } from './segment-index.js';
import type { StationHealthOptions } from './station-options.js';

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

/** Strips credentials from error messages before they become a status cause or event. */
function sanitize(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => redactUrl(url));
}

/** Creates the runtime of one camera (internal to the station). */
export function createCameraRuntime(initial: CameraSpec, deps: CameraRuntimeDeps): CameraRuntime {
  const { clock, emit } = deps;
  let spec = initial;
  const logger = deps.logger.child({ cameraId: spec.id });
  const status$ = new BehaviorSubject<CameraStatus>({ state: spec.enabled ? 'connecting' : 'disabled', since: clock.now() });
  const stats$ = new BehaviorSubject<CameraStats>({});
  let session: CameraSession | undefined;
  let connection: Subscription | undefined;
  // segments are indexed one at a time, in the order they closed
  const indexing = createSerialQueue();
  let closeSession: (() => Promise<void>) | undefined;
  let generation = 0;
  /** The connect attempt in flight, awaited by disconnect so no session opens after it. */
  let inflight: Promise<void> | undefined;
  const events$ = new Observable<StationEvent>((subscriber) =>
    deps.events$.subscribe({
      next: (event) => {
        if ((event as { cameraId?: string }).cameraId === spec.id) subscriber.next(event);
      },
      complete: () => subscriber.complete(),
    }),
  );

  const setStatus = (status: CameraStatus): void => {
    const previous = status$.value.state;
    if (previous === status.state) return;
    status$.next(status);
    emit({ type: 'camera.status', at: status.since, cameraId: spec.id, status, previous });
  };

  const handle: Camera = {
    get id() {
      return spec.id;
    },
    get spec() {
      return spec;
    },
    status$: status$.asObservable(),
    get status() {
      return status$.value;
    },
    stats$: stats$.asObservable(),
    events$,
    get ptz() {
      return session?.ptz;
    },
    get clockOffsetMs() {
      return session?.clockOffsetMs;
    },
    get device() {
      return session?.device;
    },
    get session() {
      return session;
    },
    async snapshot() {
      if (session) {
        try {
          return await session.snapshot();
        } catch (error) {
          const err = toWardwatchError(error, 'CAMERA_PROTOCOL_ERROR', { cameraId: spec.id });
          if (err.code !== 'CAMERA_UNSUPPORTED' || !deps.recorder) throw err;
        }
      }
      if (deps.recorder) return deps.recorder.snapshot(spec.id);
      throw new WardwatchError('CAMERA_UNREACHABLE', `Camera "${spec.id}" is not connected`, { details: { cameraId: spec.id } });
    },
  };

  const connect = (): void => {
    if (connection) return;
    const gen = ++generation;
    const sub = new Subscription();
    connection = sub;
    const signals = new Subject<HealthSignal>();
    const probeOnly = !deps.recorder || !spec.recording.enabled;
    const h = deps.health;
    sub.add(
      cameraHealth(signals, {
        clock,
        offlineAfterMs: probeOnly ? Math.max(h.offlineAfterMs, h.probeIntervalMs * 2 + 1000) : h.offlineAfterMs,
        recoverAfterMs: h.recoverAfterMs,
        probeFailuresToDegrade: h.probeFailuresToDegrade,
        lateAfterMs: probeOnly ? 0 : h.lateAfterMs,
        enabled: spec.enabled,
      }).subscribe(setStatus),
    );
    if (!spec.enabled) return;
    const driver = deps.drivers.get(spec.driver);
    if (!driver) {
      const cause = `DRIVER_NOT_FOUND: no registered driver "${spec.driver}"`;
      logger.error({ driver: spec.driver }, 'camera driver not registered');
      signals.next({ type: 'connect-failed', at: clock.now(), cause });
      return;
    }
    const abort = new AbortController();
    sub.add(() => abort.abort());
    let failures = 0;

    const attempt = async (): Promise<void> => {
      if (sub.closed) return;
      signals.next({ type: 'connecting', at: clock.now() });
      let opened: CameraSession;
      try {
        opened = await driver.connect(spec, { signal: abort.signal });
      } catch (error) {
        if (sub.closed) return;
        const err = toWardwatchError(error, 'CAMERA_UNREACHABLE', { cameraId: spec.id });
        failures++;
        const delay = err.retryable ? backoffDelay(failures - 1, { initialMs: h.retryInitialMs, maxMs: h.retryMaxMs, jitter: h.retryJitter }) : h.retryNonRetryableMs;
        const cause = sanitize(`${err.code}: ${err.message}`);
        logger.warn({ code: err.code, retryable: err.retryable, failures, retryInMs: delay }, `connect failed: ${cause}`);
        signals.next({ type: 'connect-failed', at: clock.now(), cause });
        sub.add(clock.schedule(() => void run(), delay));
        return;
      }
      if (sub.closed || gen !== generation) {
        await opened.close().catch((error: unknown) => logger.error({ err: error }, 'closing a late session failed'));
        return;
      }
      failures = 0;
      try {
        attach(opened, sub, signals, probeOnly);
      } catch (error) {
        const err = toWardwatchError(error, 'INTERNAL', { cameraId: spec.id });
        logger.error({ err }, 'starting the camera pipelines failed');
        emit({ type: 'recording.error', at: clock.now(), cameraId: spec.id, code: err.code, message: sanitize(err.message) });
        signals.next({ type: 'media-lost', at: clock.now(), cause: sanitize(`${err.code}: ${err.message}`) });
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

  const attach = (opened: CameraSession, sub: Subscription, signals: Subject<HealthSignal>, probeOnly: boolean): void => {
    session = opened;
    let closed = false;
    closeSession = async () => {
      if (closed) return;
      closed = true;
      if (session === opened) session = undefined;
      await opened.close();
    };
    logger.info({ main: redactUrl(opened.streams.main.uri) }, 'camera connected');
    const cameraId = spec.id;

    sub.add(
      opened.events$.subscribe({
        next: (event: DriverEvent) => {
          if (event.type === 'motion') emit({ type: 'motion', at: event.at, cameraId, phase: event.phase, source: 'camera' });
          else if (event.type === 'tamper') emit({ type: 'tamper', at: event.at, cameraId, kind: event.kind, phase: event.phase, source: 'camera' });
          else if (event.type === 'analytics') emit({ type: 'camera.analytics', at: event.at, cameraId, kind: event.kind, phase: event.phase, source: 'camera' });
          else logger.debug({ input: event.input, active: event.active }, 'camera digital input');
        },
        error: (error: unknown) => logger.error({ err: error }, 'camera event stream failed'),
      }),
    );

    const onSignal = (signal: RecorderSignal): void => {
      switch (signal.type) {
        case 'connected':
          signals.next({ type: 'media', at: signal.at });
          break;
        case 'progress': {
          signals.next({ type: 'media', at: signal.at });
          const { fps, bitrateKbps, width, height } = signal;
          stats$.next({ ...stats$.value, ...defined({ fps, bitrateKbps, width, height }), lastFrameAt: signal.at });
          break;
        }
        case 'segment': {
          const segment = signal.segment;
          signals.next({ type: 'media', at: clock.now() });
          void indexing
            .run(() => deps.segments.index([segment]))
            .catch((error: unknown) => {
                const err = toWardwatchError(error, 'STORAGE_IO', { cameraId });
                logger.error({ err, path: segment.path }, 'indexing a segment failed');
                emit({ type: 'recording.error', at: clock.now(), cameraId, code: err.code, message: `segment ${segment.path} not indexed: ${err.message}` });
            });
          break;
        }
        case 'gap':
          emit({ type: 'recording.gap', at: clock.now(), cameraId, from: signal.from, to: signal.to, cause: sanitize(signal.cause) });
          break;
        case 'disconnected':
          signals.next({ type: 'media-lost', at: signal.at, cause: sanitize(signal.cause) });
          break;
        case 'error':
          logger.warn({ code: signal.error.code }, `recorder: ${sanitize(signal.error.message)}`);
          emit({ type: 'recording.error', at: signal.at, cameraId, code: signal.error.code, message: sanitize(signal.error.message) });
          break;
      }
    };

    if (deps.recorder && spec.recording.enabled) {
      sub.add(
        deps.recorder.record(spec, opened).subscribe({
          next: onSignal,
          error: (error: unknown) => {
            const err = toWardwatchError(error, 'FFMPEG_FAILED', { cameraId });
            logger.error({ err }, 'recording ended with an error');
            emit({ type: 'recording.error', at: clock.now(), cameraId, code: err.code, message: sanitize(err.message) });
            signals.next({ type: 'media-lost', at: clock.now(), cause: sanitize(`${err.code}: ${err.message}`) });
          },
        }),
      );
    }

    // Health probes: one in flight at most, every probeIntervalMs, the first at once.
    let probing = false;
    const probe = (): void => {
      if (probing || sub.closed) return;
      probing = true;
      opened
        .probe()
        .then(
          (result) => ({ ok: result.ok, cause: result.cause }),
          (error: unknown) => {
            const err = toWardwatchError(error, 'CAMERA_UNREACHABLE');
            return { ok: false, cause: `${err.code}: ${err.message}` };
          },
        )
        .then(({ ok, cause }) => {
          probing = false;
          if (sub.closed) return;
          signals.next({ type: 'probe', at: clock.now(), ok, ...(cause === undefined ? {} : { cause: sanitize(cause) }) });
          if (probeOnly && ok) signals.next({ type: 'media', at: clock.now() });
        });
    };
    sub.add(
      clock.schedule(function (this: { schedule(state?: undefined, delay?: number): unknown }) {
        probe();
        this.schedule(undefined, deps.health.probeIntervalMs);
      }, 0),
    );

    // Analyzers named by the spec, fed by the recorder's frames.
    for (const name of spec.analytics.analyzers) {
      const analyzer = deps.analyzers.get(name);
      const fail = (error: unknown): void => {
        const err = toWardwatchError(error, 'INTERNAL', { cameraId, analyzer: name });
        logger.error({ err, analyzer: name }, 'analyzer failed');
        emit({ type: 'analyzer.error', at: clock.now(), cameraId, analyzer: name, code: err.code, message: sanitize(err.message) });
      };
      if (!analyzer) {
        fail(new WardwatchError('NOT_FOUND', `Analyzer "${name}" is not registered`));
        continue;
      }
      if (!deps.recorder) {
        fail(new WardwatchError('INVALID_STATE', `Analyzer "${name}" needs a recorder to get frames`));
        continue;
      }
      try {
        const frames$ = deps.recorder.frames(cameraId, analyzer.frameOptions);
        const detections$ = analyzer.analyze(frames$, { camera: spec, options: spec.analytics.options[name] ?? {}, clock, logger: logger.child({ analyzer: name }) });
        sub.add(
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
  };

  const disconnect = async (reason: string): Promise<void> => {
    const sub = connection;
    connection = undefined;
    generation++;
    sub?.unsubscribe();
    await inflight;
    const close = closeSession;
    closeSession = undefined;
    session = undefined;
    try {
      await close?.();
    } catch (error) {
      logger.error({ err: error }, 'closing the camera session failed');
    }
    await indexing.idle();
    const state = status$.value.state;
    if (state !== 'offline' && state !== 'disabled') setStatus({ state: 'offline', cause: reason, since: clock.now() });
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
