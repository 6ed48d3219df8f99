import { Subject, VirtualTimeScheduler, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { cameraHealth, computeUptime, type CameraStatus, type HealthOptions, type HealthSignal } from '@wardwatch/core';

/** Drives the health machine in virtual time: `at(t, signal)` schedules inputs, `run()` flushes. */
function harness(options: Partial<HealthOptions> = {}) {
  const clock = new VirtualTimeScheduler();
  const signals = new Subject<HealthSignal>();
  const statuses: CameraStatus[] = [];
  const sub = cameraHealth(signals, { clock, ...options }).subscribe((s) => statuses.push(s));
  const at = (t: number, make: (t: number) => HealthSignal): void => {
    clock.schedule(() => signals.next(make(t)), t);
  };
  /** Media progress every `everyMs` in `[from, to)`. */
  const media = (from: number, to: number, everyMs = 500): void => {
    for (let t = from; t < to; t += everyMs) at(t, (now) => ({ type: 'media', at: now }));
  };
  const run = (until?: number): void => {
    if (until !== undefined) clock.schedule(() => undefined, until);
    clock.flush();
  };
  const states = (): string[] => statuses.map((s) => `${s.state}@${s.since}`);
  return { clock, signals, statuses, at, media, run, states, sub };
}

describe('cameraHealth state machine (virtual time)', () => {
  it('starts connecting, goes online on the first media, and offline exactly 3 s after media stops', () => {
    const h = harness();
    h.media(1000, 20_000); // last media at 19_500
    h.run(60_000);
    expect(h.states()).toEqual(['connecting@0', 'online@1000', 'offline@22500']);
    expect(h.statuses[2]!.cause).toBe('no media for 3 s');
    expect(h.statuses[2]!.since - 19_500).toBeLessThanOrEqual(3000);
  });

  it('is driven by the injected scheduler (marble test)', () => {
    const testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    testScheduler.run(({ hot, expectObservable }) => {
      const m: HealthSignal = { type: 'media', at: 0 };
      const signals$ = hot<HealthSignal>('m 499ms m 499ms m', { m });
      const states$ = cameraHealth(signals$, { clock: testScheduler }).pipe(map((s) => s.state));
      expectObservable(states$, '^ 10s !').toBe('(co) 3996ms x', { c: 'connecting', o: 'online', x: 'offline' });
    });
  });

  it('goes offline at once when the media process ends, with its cause', () => {
    const h = harness();
    h.media(0, 5000);
    h.at(5200, (t) => ({ type: 'media-lost', at: t, cause: 'ffmpeg exited with code 1' }));
    h.run(30_000);
    expect(h.states()).toEqual(['connecting@0', 'online@0', 'offline@5200']);
    expect(h.statuses.at(-1)!.cause).toBe('ffmpeg exited with code 1');
  });

  it('honours a custom offlineAfterMs', () => {
    const h = harness({ offlineAfterMs: 1000 });
    h.media(0, 2001, 200); // last at 2000
    h.run(10_000);
    expect(h.states()).toEqual(['connecting@0', 'online@0', 'offline@3000']);
    expect(h.statuses.at(-1)!.cause).toBe('no media for 1 s');
  });

  it('comes back online only after media flowed steadily for recoverAfterMs', () => {
    const h = harness({ recoverAfterMs: 10_000 });
    h.media(0, 5000); // online at 0, last media 4500 → offline at 7500
    h.media(20_000, 60_000); // resumes at 20_000 → online at 30_000
    h.run(60_000);
    expect(h.states()).toEqual(['connecting@0', 'online@0', 'offline@7500', 'online@30000', 'offline@62500']);
  });

  it('stays offline when media resumes for less than recoverAfterMs', () => {
    const h = harness({ recoverAfterMs: 10_000 });
    h.media(0, 5000);
    h.media(20_000, 26_000); // 6 s of media, then silence
    h.run(60_000);
    expect(h.states()).toEqual(['connecting@0', 'online@0', 'offline@7500']);
  });

  it('a link flapping faster than recoverAfterMs produces a single offline event', () => {
    const h = harness();
    // 10 minutes of: 2 s media, 4 s silence (100 flaps)
    for (let cycle = 0; cycle < 100; cycle++) h.media(cycle * 6000, cycle * 6000 + 2000);
    h.run(700_000);
    expect(h.statuses.filter((s) => s.state === 'offline')).toHaveLength(1);
    expect(h.states()).toEqual(['connecting@0', 'online@0', 'offline@4500']);
  });

  it('a slow flapping link produces at most two transitions per recoverAfterMs', () => {
    const h = harness({ recoverAfterMs: 10_000 });
    // 10 minutes of: 12 s media, 4 s silence (37 cycles); each cycle recovers just before dropping
    const cycles = Math.floor(600_000 / 16_000);
    for (let c = 0; c < cycles; c++) h.media(c * 16_000, c * 16_000 + 12_000);
    h.run(700_000);
    const transitions = h.statuses.length - 1;
    expect(transitions).toBeLessThanOrEqual(2 * Math.ceil(600_000 / 10_000) + 1);
    expect(transitions).toBe(2 * cycles); // online/offline once per cycle, never more
    for (let i = 2; i < h.statuses.length; i++) {
      // consecutive online transitions are at least recoverAfterMs + offline delay apart
      if (h.statuses[i]!.state === 'online') expect(h.statuses[i]!.since - h.statuses[i - 1]!.since).toBeGreaterThanOrEqual(10_000);
    }
  });

  it('degrades after consecutive failed probes while media flows, and recovers with hysteresis', () => {
    const h = harness({ recoverAfterMs: 10_000, probeFailuresToDegrade: 2 });
    h.media(0, 60_000);
    h.at(5000, (t) => ({ type: 'probe', at: t, ok: false, cause: 'CAMERA_TIMEOUT' }));
    h.at(10_000, (t) => ({ type: 'probe', at: t, ok: false, cause: 'CAMERA_TIMEOUT' }));
    h.at(15_000, (t) => ({ type: 'probe', at: t, ok: true }));
    h.run(70_000);
    expect(h.states()).toEqual(['connecting@0', 'online@0', 'degraded@10000', 'online@25000', 'offline@62500']);
    expect(h.statuses[2]!.cause).toBe('probe failed: CAMERA_TIMEOUT');
  });

  it('one failed probe does not change the state', () => {
    const h = harness();
    h.media(0, 20_000);
    h.at(5000, (t) => ({ type: 'probe', at: t, ok: false, cause: 'x' }));
    h.at(10_000, (t) => ({ type: 'probe', at: t, ok: true }));
    h.run();
    expect(h.states()).toEqual(['connecting@0', 'online@0', 'offline@22500']);
  });

  it('marks late media degraded when lateAfterMs is set', () => {
    const h = harness({ lateAfterMs: 1500 });
    h.media(0, 1001); // last at 1000
    h.run(10_000);
    expect(h.states()).toEqual(['connecting@0', 'online@0', 'degraded@2500', 'offline@4000']);
    expect(h.statuses[2]!.cause).toMatch(/^media late/);
  });

  it('connect failures go offline once; retries do not flood events', () => {
    const h = harness();
    for (let i = 0; i < 20; i++) {
      h.at(i * 1000, (t) => ({ type: 'connecting', at: t }));
      h.at(i * 1000 + 10, (t) => ({ type: 'connect-failed', at: t, cause: 'CAMERA_UNREACHABLE: refused' }));
    }
    h.run(30_000);
    expect(h.states()).toEqual(['connecting@0', 'offline@10']);
    expect(h.statuses[1]!.cause).toBe('CAMERA_UNREACHABLE: refused');
  });

  it('disabled ignores media until enabled again', () => {
    const h = harness({ enabled: false });
    h.media(0, 3000);
    h.at(4000, (t) => ({ type: 'enabled', at: t, enabled: true }));
    h.media(5000, 6000);
    h.at(7000, (t) => ({ type: 'enabled', at: t, enabled: false }));
    h.run(20_000);
    expect(h.states()).toEqual(['disabled@0', 'connecting@4000', 'online@5000', 'disabled@7000']);
  });

  it('leaves no timer behind after unsubscribe', () => {
    const h = harness();
    h.media(0, 1000);
    h.clock.schedule(() => h.sub.unsubscribe(), 1200);
    h.run();
    expect(h.states()).toEqual(['connecting@0', 'online@0']);
    expect(h.clock.actions.length).toBe(0);
  });
});

describe('computeUptime', () => {
  const s = (state: CameraStatus['state'], since: number): CameraStatus => ({ state, since });

  it('sums time per state inside the range and the up ratio', () => {
    const u = computeUptime([s('online', 1000), s('offline', 5000), s('online', 7000), s('degraded', 9000)], { from: 0, to: 10_000 });
    expect(u.unknownMs).toBe(1000);
    expect(u.byState).toEqual({ connecting: 0, online: 6000, degraded: 1000, offline: 2000, disabled: 0 });
    expect(u.upMs).toBe(7000);
    expect(u.ratio).toBeCloseTo(7000 / 9000);
  });

  it('takes the state at the start of the range from the last earlier transition and ignores later ones', () => {
    const u = computeUptime([s('offline', 12_000), s('online', -5), s('offline', 500)], { from: 0, to: 1000 });
    expect(u.byState.online).toBe(500);
    expect(u.byState.offline).toBe(500);
    expect(u.unknownMs).toBe(0);
    expect(u.ratio).toBe(0.5);
  });

  it('excludes disabled time from the ratio and reports 1 when nothing is known', () => {
    expect(computeUptime([s('disabled', 0)], { from: 0, to: 100 }).ratio).toBe(1);
    expect(computeUptime([], { from: 0, to: 100 }).unknownMs).toBe(100);
  });
});
