import type { Subject, Subscription } from 'rxjs';
import type { CameraSession } from '../contracts/camera-driver.js';
import type { Clock } from '../contracts/clock.js';
import { toWardwatchError } from '../errors/wardwatch-error.js';
import type { HealthSignal } from '../health/health-signal.js';
import { redactUrlsIn } from '../util/redact-url.js';

/**
 * Probes a session every `intervalMs` of the clock, the first at once, one probe in flight at most; results feed
 * health (and count as media when the camera is not recorded). Unsubscribing stops the schedule.
 */
export function probeSession(session: CameraSession, options: { clock: Clock; intervalMs: number; probeOnly: boolean; health: Subject<HealthSignal> }): Subscription {
  const { clock, health } = options;
  let probing = false;
  let stopped = false;
  const probe = (): void => {
    if (probing || stopped) return;
    probing = true;
    session
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
        if (stopped) return;
        health.next({ type: 'probe', at: clock.now(), ok, ...(cause === undefined ? {} : { cause: redactUrlsIn(cause) }) });
        if (options.probeOnly && ok) health.next({ type: 'media', at: clock.now() });
      });
  };
  const schedule = clock.schedule(function (this: { schedule(state?: undefined, delay?: number): unknown }) {
    probe();
    this.schedule(undefined, options.intervalMs);
  }, 0);
  schedule.add(() => {
    stopped = true;
  });
  return schedule;
}
