import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { CameraState, CameraStatus } from '../model/camera-status.js';
import type { HealthSignal } from './health-signal.js';

/** Tuning of the health state machine; every duration is in ms of the injected clock. */
export interface HealthOptions {
  /** The clock timers run on (a `TestScheduler`/`VirtualTimeScheduler` in tests). */
  clock: SchedulerLike;
  /** No media for this long makes the camera `offline`. @default 3000 */
  offlineAfterMs?: number;
  /**
   * After an outage or degradation, media must flow (and probes succeed) without interruption for this
   * long before the camera is `online` again; the hysteresis that keeps a flapping link quiet. @default 10000
   */
  recoverAfterMs?: number;
  /** Consecutive failed probes while media flows that make the camera `degraded`. @default 2 */
  probeFailuresToDegrade?: number;
  /** Media later than this (but not yet `offlineAfterMs`) makes the camera `degraded`; off when 0. @default 0 */
  lateAfterMs?: number;
  /** Whether the camera starts enabled. @default true */
  enabled?: boolean;
}

/** The resolved defaults of {@link HealthOptions}. */
export const HEALTH_DEFAULTS = {
  offlineAfterMs: 3000,
  recoverAfterMs: 10_000,
  probeFailuresToDegrade: 2,
  lateAfterMs: 0,
} as const;

/**
 * The per-camera health state machine: turns liveness signals into status transitions.
 *
 * Rules (all times on `options.clock`):
 * - starts `connecting` (or `disabled`); the first media makes it `online` at once;
 * - no media for `offlineAfterMs`, a `media-lost` or a `connect-failed` makes it `offline` at once;
 * - `probeFailuresToDegrade` failed probes in a row, or media later than `lateAfterMs`, while media
 *   still flows make it `degraded` at once;
 * - from `offline` or `degraded` it is `online` again only after every condition (media flowing,
 *   probes ok, media on time) has held without interruption for `recoverAfterMs` (from `offline`
 *   with media flowing but probes failing it becomes `degraded` after the same wait);
 * - `enabled: false` makes it `disabled` until enabled again (then `connecting`).
 *
 * Hence a link that flaps faster than `recoverAfterMs` stays `offline` (one event), and any link
 * produces at most two transitions per `recoverAfterMs`. Only state changes are emitted; the first
 * emission is the initial state.
 */
export function cameraHealth(signals$: Observable<HealthSignal>, options: HealthOptions): Observable<CameraStatus> {
  const clock = options.clock;
  const offlineAfterMs = options.offlineAfterMs ?? HEALTH_DEFAULTS.offlineAfterMs;
  const recoverAfterMs = options.recoverAfterMs ?? HEALTH_DEFAULTS.recoverAfterMs;
  const probeFailuresToDegrade = options.probeFailuresToDegrade ?? HEALTH_DEFAULTS.probeFailuresToDegrade;
  const lateAfterMs = options.lateAfterMs ?? HEALTH_DEFAULTS.lateAfterMs;

  return new Observable<CameraStatus>((subscriber) => {
    let status: CameraStatus = { state: options.enabled === false ? 'disabled' : 'connecting', since: clock.now() };
    let lastMediaAt: number | undefined;
    let probeFailures = 0;
    let lastProbeCause: string | undefined;
    /** Since when media flows, probes are ok and media is on time; undefined while any is bad. */
    let goodSince: number | undefined;
    /** Since when media flows without interruption (probes ignored). */
    let flowingSince: number | undefined;
    let watchdog: Subscription | undefined;
    let lateTimer: Subscription | undefined;
    let recoverTimer: Subscription | undefined;

    const set = (state: CameraState, cause?: string): void => {
      if (status.state === state) return;
      status = { state, since: clock.now(), ...(cause === undefined ? {} : { cause }) };
      subscriber.next(status);
    };

    const clearTimers = (): void => {
      watchdog?.unsubscribe();
      lateTimer?.unsubscribe();
      recoverTimer?.unsubscribe();
      watchdog = lateTimer = recoverTimer = undefined;
    };

    const mediaStopped = (cause: string): void => {
      clearTimers();
      lastMediaAt = undefined;
      goodSince = undefined;
      flowingSince = undefined;
      set('offline', cause);
    };

    const probesBad = (): boolean => probeFailures >= probeFailuresToDegrade;

    /** Decides the state after any input while media flows. */
    const evaluate = (): void => {
      if (status.state === 'disabled' || lastMediaAt === undefined) return;
      const now = clock.now();
      const late = lateAfterMs > 0 && now - lastMediaAt >= lateAfterMs;
      const bad = probesBad() || late;
      const badCause = late ? `media late (${now - lastMediaAt} ms)` : `probe failed: ${lastProbeCause ?? 'unknown'}`;
      if (bad) {
        goodSince = undefined;
        recoverTimer?.unsubscribe();
        recoverTimer = undefined;
        if (status.state === 'online' || status.state === 'connecting') set('degraded', badCause);
        else if (status.state === 'offline' && flowingSince !== undefined && now - flowingSince >= recoverAfterMs) set('degraded', badCause);
        else if (status.state === 'offline' && flowingSince !== undefined) scheduleRecover(flowingSince + recoverAfterMs - now);
        return;
      }
      goodSince ??= now;
      if (status.state === 'online') return;
      if (status.state === 'connecting' || now - goodSince >= recoverAfterMs) {
        set('online');
        return;
      }
      scheduleRecover(goodSince + recoverAfterMs - now);
    };

    const scheduleRecover = (delay: number): void => {
      if (recoverTimer) return;
      recoverTimer = clock.schedule(() => {
        recoverTimer = undefined;
        evaluate();
      }, Math.max(0, delay));
    };

    const onMedia = (): void => {
      if (status.state === 'disabled') return;
      const now = clock.now();
      lastMediaAt = now;
      flowingSince ??= now;
      watchdog?.unsubscribe();
      watchdog = clock.schedule(() => {
        watchdog = undefined;
        mediaStopped(`no media for ${formatSeconds(offlineAfterMs)}`);
      }, offlineAfterMs);
      if (lateAfterMs > 0) {
        lateTimer?.unsubscribe();
        lateTimer = clock.schedule(() => {
          lateTimer = undefined;
          evaluate();
        }, lateAfterMs);
      }
      evaluate();
    };

    subscriber.next(status);
    const input = signals$.subscribe({
      next: (signal) => {
        switch (signal.type) {
          case 'media':
            onMedia();
            break;
          case 'media-lost':
            if (status.state !== 'disabled') mediaStopped(signal.cause);
            break;
          case 'connect-failed':
            if (status.state !== 'disabled') mediaStopped(signal.cause);
            break;
          case 'connecting':
            // stays offline during retries so a retry loop does not flood status events
            break;
          case 'probe':
            if (signal.ok) probeFailures = 0;
            else {
              probeFailures++;
              lastProbeCause = signal.cause;
            }
            evaluate();
            break;
          case 'enabled':
            if (!signal.enabled) {
              clearTimers();
              lastMediaAt = goodSince = flowingSince = undefined;
              probeFailures = 0;
              set('disabled', 'disabled by configuration');
            } else if (status.state === 'disabled') {
              set('connecting');
            }
            break;
        }
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });

    return () => {
      input.unsubscribe();
      clearTimers();
    };
  });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
