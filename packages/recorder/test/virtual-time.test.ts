import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EMPTY, VirtualTimeScheduler } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createRecorderContext, createMemoryStorage, parseCameraSpec, silentLogger, type CameraSession, type RecorderSignal, type Segment, type StationEvent } from '@wardwatch/core';
import { startCameraRecording, type CameraRecording } from '../src/camera-recording.js';
import { createRecorder, segmentRelativePath } from '../src/index.js';
import { createSegmentFinisher } from '../src/segment-finisher.js';
import { createTicker } from '../src/ticker.js';
import { createFakeRunner, type FakeProcess } from './fake-runner.js';
import { tempDir, waitFor } from './helpers.js';

const T0 = Date.UTC(2026, 0, 10, 8, 0, 0);
const caps = { path: '/fake/ffmpeg', version: 'fake', rtspTimeoutOption: 'timeout' as const };
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A virtual clock starting at T0 that the test advances action by action. */
function virtualClock() {
  const clock = new VirtualTimeScheduler();
  clock.frame = T0;
  /** Runs every action due up to `time` and leaves the clock there. */
  const runUntil = (time: number): void => {
    clock.maxFrames = time;
    clock.flush();
    clock.frame = Math.max(clock.frame, time);
  };
  /** Runs the next scheduled action (jumping the clock to it); returns its time. */
  const next = (): number => {
    const due = clock.actions[0];
    if (!due) throw new Error('nothing scheduled');
    const at = due.delay;
    runUntil(at);
    return at;
  };
  return { clock, runUntil, next };
}

function record(runner: ReturnType<typeof createFakeRunner>, clock: VirtualTimeScheduler, root: string, extra: Partial<Parameters<typeof startCameraRecording>[0]> = {}) {
  const signals: Array<{ at: number; signal: RecorderSignal }> = [];
  const finisher = createSegmentFinisher();
  const recording: CameraRecording = startCameraRecording({
    cameraId: 'cam-v',
    inputUri: 'rtsp://127.0.0.1:554/fake',
    streamPolicy: { cameraHost: '127.0.0.1' },
    root,
    ffmpegPath: '/fake/ffmpeg',
    ffprobePath: '/fake/ffprobe',
    capabilities: caps,
    runner,
    ticker: createTicker(clock),
    finisher,
    clock,
    logger: silentLogger,
    segmentSeconds: 10,
    transport: 'tcp',
    socketTimeoutMs: 5000,
    stallTimeoutMs: 8000,
    connectTimeoutMs: 15_000,
    graceMs: 1000,
    backoff: { initialMs: 1000, factor: 2, maxMs: 8000, jitter: 0 },
    includeAudio: false,
    gapToleranceMs: 1000,
    orphanSink: () => undefined,
    ...extra,
  });
  const sub = recording.signals$.subscribe((signal) => signals.push({ at: clock.now(), signal }));
  cleanups.push(async () => {
    sub.unsubscribe();
    await recording.stop();
    await finisher.close();
  });
  return { recording, signals };
}

describe('recording loop in virtual time (fake process runner)', () => {
  it('reconnects with exponential backoff (capped) and reports one outage', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const { clock, next } = virtualClock();
    const spawnedAt: number[] = [];
    const runner = createFakeRunner((proc) => {
      spawnedAt.push(clock.now());
      // the camera refuses every connection at once
      queueMicrotask(() => proc.exit(1, null, ['[tcp @ 0x1] Connection to tcp://127.0.0.1:554 failed: Connection refused']));
    });
    const { signals } = record(runner, clock, dir);
    for (let attempt = 1; attempt <= 6; attempt++) {
      await waitFor(() => runner.spawned.length === attempt && clock.actions.length > 0, 10_000, `attempt ${attempt} and its backoff`);
      if (attempt < 6) next();
    }
    const delays = spawnedAt.slice(1).map((t, i) => t - spawnedAt[i]!);
    expect(spawnedAt[0]).toBe(T0);
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000]);
    // never connected: one `disconnected` (the first failure), no `connected`, no gap yet (media never came back)
    expect(signals.map((s) => s.signal.type)).toEqual(['disconnected']);
    expect(signals[0]!.signal).toMatchObject({ type: 'disconnected', cause: 'connection-refused' });
  });

  it('abandons a connection without media after connectTimeoutMs, on the injected clock', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const { clock, next } = virtualClock();
    const runner = createFakeRunner();
    record(runner, clock, dir);
    await waitFor(() => runner.spawned.length === 1 && clock.actions.length > 0, 10_000, 'first spawn');
    const proc = runner.spawned[0]!;
    let killedAt: number | undefined;
    let wakeUps = 0;
    for (let i = 0; i < 400 && killedAt === undefined; i++) {
      next();
      wakeUps++;
      if (proc.kills.length > 0) killedAt = clock.now();
    }
    expect(proc.kills).toEqual(['SIGTERM']);
    // a camera without media keeps the shared timer at its slow period (once a second): killed after 15 s, at
    // the latest one tick later, after about 16 wake-ups (not 300)
    expect(killedAt! - T0).toBeGreaterThan(15_000);
    expect(killedAt! - T0).toBeLessThanOrEqual(16_000);
    expect(wakeUps).toBeLessThanOrEqual(17);
  });

  it('stop() while a run is being set up starts no process and does not hang', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const { clock } = virtualClock();
    const runner = createFakeRunner();
    const { recording } = record(runner, clock, dir);
    // the run is still making its directory and report pipe when stop() comes
    const stopped = await Promise.race([recording.stop().then(() => 'stopped'), new Promise((r) => setTimeout(() => r('hung'), 5000))]);
    expect(stopped).toBe('stopped');
    await new Promise((r) => setTimeout(r, 100));
    expect(runner.spawned).toHaveLength(0);
    expect(readdirSync(join(dir, 'cam-v', '.incoming')).filter((n) => n.endsWith('.pipe'))).toEqual([]);
  });

  it('gives a run after the clock stepped back an hour a new, higher id: no journal or segment name reused', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const { clock, next } = virtualClock();
    let offset = 0;
    // the wall clock as the recorder reads it; the scheduler's own time runs on unchanged
    const stepped = Object.assign(Object.create(clock) as VirtualTimeScheduler, { now: () => clock.now() + offset });
    // a file an earlier recovery held back, from a run that started (by the clock) after this test's first run
    const incoming = join(dir, 'cam-v', '.incoming');
    mkdirSync(incoming, { recursive: true });
    writeFileSync(join(incoming, `${T0 + 500}-000007.mp4.placed.json`), '{}');
    const runner = createFakeRunner((proc) => queueMicrotask(() => proc.exit(1, null, ['Connection refused'])));
    record(runner, stepped, dir);
    await waitFor(() => runner.spawned.length === 1 && clock.actions.length > 0, 10_000, 'first run and its backoff');
    offset = -3_600_000; // NTP steps the clock back an hour between the runs
    next();
    await waitFor(() => runner.spawned.length === 2 && clock.actions.length > 0, 10_000, 'second run and its backoff');
    offset = 0;
    next();
    await waitFor(() => runner.spawned.length === 3, 10_000, 'third run');
    const runIds = runner.spawned.map((p) => {
      const pattern = p.args.find((a) => a.endsWith('-%06d.mp4'));
      return Number(/(\d+)-%06d\.mp4$/.exec(pattern ?? '')?.[1]);
    });
    expect(runIds[0]).toBe(T0 + 501); // above the held file's run
    expect(runIds[1]).toBe(T0 + 502); // the clock said an hour earlier
    expect(runIds[2]).toBe(T0 + 1000 + 2000); // the clock is ahead again: its time
    for (let i = 1; i < runIds.length; i++) expect(runIds[i]).toBeGreaterThan(runIds[i - 1]!);
  });

  it('removes the run journal once a run has ended and its segments are finished', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const { clock, runUntil } = virtualClock();
    const runner = createFakeRunner();
    const { signals } = record(runner, clock, dir);
    await waitFor(() => runner.spawned.length === 1, 10_000, 'first spawn');
    const proc = runner.spawned[0]!;
    for (let s = 1; s <= 3; s++) {
      runUntil(T0 + s * 1000 - 50);
      proc.progress(s * 10, s * 1_000_000);
      runUntil(T0 + s * 1000);
    }
    const incoming = join(dir, 'cam-v', '.incoming');
    const journals = () => readdirSync(incoming).filter((n) => n.endsWith('.json'));
    await waitFor(() => journals().length === 1, 5000, 'the journal of the settled run');
    proc.exit(0); // a clean end (the stream ended): nothing left to recover
    await waitFor(() => signals.some((x) => x.signal.type === 'disconnected'), 5000, 'disconnected');
    expect(journals()).toEqual([]);
    expect(readdirSync(incoming).filter((n) => n.endsWith('.pipe'))).toEqual([]);
  });

  it('reports the hole before a run that ends before its time anchor settled', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const { clock, runUntil } = virtualClock();
    const runner = createFakeRunner();
    // footage on disk ended a minute before this recording started
    const { signals } = record(runner, clock, dir, { previousEnd: T0 - 60_000 });
    await waitFor(() => runner.spawned.length === 1, 10_000, 'first spawn');
    const proc = runner.spawned[0]!;
    // one progress block (1 s of media, read on the tick at T0 + 2 s: the first frame came at T0 + 1 s), then the
    // connection drops before the anchor could settle
    runUntil(T0 + 1450);
    proc.progress(10, 1_000_000);
    runUntil(T0 + 2000);
    await waitFor(() => signals.some((x) => x.signal.type === 'connected'), 5000, 'connected');
    proc.exit(1, null, ['Connection reset by peer']);
    await waitFor(() => signals.some((x) => x.signal.type === 'disconnected'), 5000, 'disconnected');
    const gaps = signals.filter((x) => x.signal.type === 'gap').map((x) => x.signal);
    expect(gaps).toEqual([{ type: 'gap', from: T0 - 60_000, to: T0 + 1000, cause: 'recorder-restart' }]);
  });

  it('restarts a stalled process after stallTimeoutMs, reports the gap, and resets the backoff', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const { clock, next, runUntil } = virtualClock();
    const runner = createFakeRunner();
    const { signals } = record(runner, clock, dir);
    await waitFor(() => runner.spawned.length === 1, 10_000, 'first spawn');
    const proc: FakeProcess = runner.spawned[0]!;
    // 3 s of media: one progress block per second, each read on the tick right after it was written; the anchor
    // settles after three agreeing samples
    const progressAt = (p: FakeProcess, at: number, frame: number, outTimeUs: number): void => {
      runUntil(at - 50);
      p.progress(frame, outTimeUs);
      runUntil(at);
    };
    for (let s = 1; s <= 3; s++) {
      progressAt(proc, T0 + s * 1000, s * 10, s * 1_000_000);
      await waitFor(() => signals.filter((x) => x.signal.type === 'progress').length === s, 5000, `progress ${s}`);
    }
    expect(signals[0]!.signal).toMatchObject({ type: 'connected', at: T0 + 1000 });
    // then nothing: the watchdog kills it once more than 8 s passed since the last frame
    const lastFrameAt = T0 + 3000;
    for (let i = 0; i < 20 && proc.kills.length === 0; i++) next();
    expect(proc.kills).toEqual(['SIGTERM']);
    expect(clock.now() - lastFrameAt).toBeGreaterThan(8000);
    expect(clock.now() - lastFrameAt).toBeLessThanOrEqual(9000);
    const killedAt = clock.now();
    await waitFor(() => signals.some((s) => s.signal.type === 'disconnected') && clock.actions.length > 0, 10_000, 'disconnected');
    expect(signals.find((s) => s.signal.type === 'disconnected')!.signal).toMatchObject({ cause: 'stalled' });
    // it had connected, so the next attempt comes after the initial delay (1 s), not a grown one
    next();
    await waitFor(() => runner.spawned.length === 2, 10_000, 'respawn');
    expect(clock.now() - killedAt).toBe(1000);
    // media again: the outage (from the last media to the new anchor) is one gap with cause `stalled`
    const second = runner.spawned[1]!;
    for (let s = 1; s <= 3; s++) {
      progressAt(second, killedAt + 1000 + s * 1000, s * 10, s * 1_000_000);
      await waitFor(() => signals.filter((x) => x.signal.type === 'progress').length === 3 + s, 5000, `progress ${s} after restart`);
    }
    const gaps = signals.filter((s) => s.signal.type === 'gap').map((s) => s.signal);
    expect(gaps).toEqual([{ type: 'gap', from: lastFrameAt, to: killedAt + 1000, cause: 'stalled' }]);
  });
});

describe('recorder start and stop races (fake process runner)', () => {
  const camera = parseCameraSpec({ id: 'cam-s', name: 'cam-s', site: { ward: 'w', station: 's' }, location: { lat: 0, lon: 0 }, ownership: 'station', driver: 'fake', connection: { host: '127.0.0.1' } });
  const session = { streams: { main: { uri: 'rtsp://127.0.0.1:554/fake' } }, events$: EMPTY, snapshot: () => Promise.reject(new Error('none')), probe: async () => ({ ok: true, latencyMs: 0 }), close: async () => undefined } as unknown as CameraSession;

  it('refuses record() until start() has completed, and starts nothing that stop() overtook', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const runner = createFakeRunner();
    const recorder = createRecorder({ root: dir, runner });
    const ctx = createRecorderContext({ storage: createMemoryStorage(), clock: virtualClock().clock, logger: silentLogger, emit: () => undefined });
    const starting = recorder.start(ctx);
    const early: unknown[] = [];
    recorder.record(camera, session).subscribe({ error: (e) => early.push(e) });
    expect(early).toHaveLength(1);
    expect(early[0]).toMatchObject({ code: 'INVALID_STATE' });
    await starting;
    // a recording still being set up when stop() comes never starts its process
    const errors: unknown[] = [];
    recorder.record(camera, session).subscribe({ error: (e) => errors.push(e) });
    await recorder.stop();
    await new Promise((r) => setTimeout(r, 200));
    expect(runner.spawned).toHaveLength(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'INVALID_STATE' });
  });

  it('undoes a failed start() so that it can be tried again', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const recorder = createRecorder({ root: dir, runner: createFakeRunner(), ffmpegPath: join(dir, 'no-such-ffmpeg') });
    const ctx = createRecorderContext({ storage: createMemoryStorage(), clock: virtualClock().clock, logger: silentLogger, emit: () => undefined });
    await expect(recorder.start(ctx)).rejects.toMatchObject({ code: 'FFMPEG_NOT_FOUND' });
    // the second attempt fails for the same reason, not with "already started"
    await expect(recorder.start(ctx)).rejects.toMatchObject({ code: 'FFMPEG_NOT_FOUND' });
    await recorder.stop();
  });
});

describe('retention schedule in virtual time', () => {
  it('runs a pass every intervalMs of the injected clock, never before, and stops with the recorder', async () => {
    const { dir, cleanup } = tempDir('ww-ret-v-');
    cleanups.push(cleanup);
    const { clock, runUntil } = virtualClock();
    const storage = createMemoryStorage();
    const events: StationEvent[] = [];
    const DAY = 86_400_000;
    // one 1-minute segment per day, 10 to 1 days old; retention 3 days
    const segments: Segment[] = [];
    for (let age = 10; age >= 1; age--) {
      const start = T0 - age * DAY;
      const path = segmentRelativePath('cam-r', start);
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), 'x');
      segments.push({ cameraId: 'cam-r', start, end: start + 60_000, path, bytes: 1, codec: 'h264', sha256: 'b'.repeat(64) });
    }
    await storage.segments.addMany(segments);
    const recorder = createRecorder({ root: dir, runner: createFakeRunner(), retention: { days: 3, intervalMs: 3_600_000, diskUsage: async () => ({ totalBytes: 100, freeBytes: 90 }) } });
    await recorder.start(createRecorderContext({ storage, clock, logger: silentLogger, emit: (e) => events.push(e) }));
    cleanups.push(() => recorder.stop());
    const count = async () => (await storage.segments.query('cam-r', { from: 0, to: T0 + DAY })).length;

    runUntil(T0 + 3_600_000 - 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(await count()).toBe(10); // not yet: the first pass is due after one interval
    runUntil(T0 + 3_600_000);
    // now T0 + 1 h: everything that ended more than 3 days ago goes (ages 10 to 3); ages 2 and 1 stay
    await waitFor(async () => (await count()) === 2, 5000, 'first pass');
    // the index entries go before the files; the pass announces its purge once the files are deleted too
    await recorder.enforceRetention(); // waits for the pass the tick started
    expect(events.filter((e) => e.type === 'storage.purged')).toHaveLength(1);

    // one day later in virtual time (24 more passes) the 2-day-old one has gone too, in its own pass
    for (let h = 2; h <= 25; h++) {
      runUntil(T0 + h * 3_600_000);
      await new Promise((r) => setTimeout(r, 5));
      await recorder.enforceRetention(); // waits for the pass the tick started
    }
    expect(await count()).toBe(1);
    expect(events.filter((e) => e.type === 'storage.purged')).toHaveLength(2);
    // emptied day/hour directories are gone; the camera directory stays
    expect(readdirSync(join(dir, 'cam-r')).filter((d) => !d.startsWith('.'))).toEqual([new Date(T0 - DAY).toISOString().slice(0, 10)]);

    await recorder.stop();
    expect(clock.actions).toHaveLength(0); // no timer left behind
    expect(existsSync(join(dir, 'cam-r'))).toBe(true);
  });
});
