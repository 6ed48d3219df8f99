import { Observable, map } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMemoryStorage,
  createStation,
  definePlugin,
  isWardwatchError,
  parseCameraSpec,
  type Analyzer,
  type CameraSpecInput,
  type Station,
  type StationEvent,
  type StorageAdapter,
} from '@wardwatch/core';
import { createFakeCameraDriver, FAKE_JPEG, type FakeCameraDriver } from '@wardwatch/core/testing';
import { createFakeRecorder, segment, type FakeRecorder } from './helpers/fake-recorder.js';
import { createVirtualClock } from './helpers/virtual-clock.js';

const cam = (id: string, extra: Partial<CameraSpecInput> = {}): CameraSpecInput => ({
  id,
  name: `Camera ${id}`,
  site: { ward: 'Phường Bến Nghé', station: 'CA Bến Nghé' },
  location: { lat: 10.776, lon: 106.701 },
  ownership: 'station',
  driver: 'fake',
  connection: { host: `${id}.local`, username: 'admin', password: 'secret-pw' },
  ...extra,
});

interface Rig {
  station: Station;
  storage: StorageAdapter;
  driver: FakeCameraDriver;
  recorder: FakeRecorder;
  clock: ReturnType<typeof createVirtualClock>['clock'];
  advance: (ms: number, step?: number) => Promise<void>;
  events: StationEvent[];
}

let rigs: Rig[] = [];
afterEach(async () => {
  for (const rig of rigs) if (rig.station.running) await rig.station.stop();
  rigs = [];
});

function rig(options: { analyzers?: Analyzer[]; plugins?: Parameters<typeof createStation>[0]['plugins']; ptz?: boolean; storage?: StorageAdapter } = {}): Rig {
  const { clock, advance } = createVirtualClock();
  const storage = options.storage ?? createMemoryStorage();
  const driver = createFakeCameraDriver({ ptz: options.ptz ?? false });
  const recorder = createFakeRecorder(clock);
  const station = createStation({
    storage,
    drivers: [driver],
    recorder,
    clock,
    // exact reconnect delays, so the backoff schedule can be asserted
    health: { retryJitter: 0 },
    ...(options.analyzers ? { analyzers: options.analyzers } : {}),
    ...(options.plugins ? { plugins: options.plugins } : {}),
  });
  const events: StationEvent[] = [];
  station.events$.subscribe((e) => events.push(e));
  const r = { station, storage, driver, recorder, clock, advance, events };
  rigs.push(r);
  return r;
}

async function storedEvents(storage: StorageAdapter, type?: StationEvent['type']) {
  return (await storage.events.query({ limit: 1000, ...(type ? { types: [type] } : {}) })).items;
}

describe('station cameras', () => {
  it('validates, persists and announces added cameras; rejects bad specs, unknown drivers and duplicates', async () => {
    const { station, storage, events } = rig();
    const handle = await station.addCamera(cam('cam-1'));
    expect(handle.id).toBe('cam-1');
    expect(handle.spec.recording.retentionDays).toBe(30); // defaults applied
    expect(await storage.cameras.get('cam-1')).toMatchObject({ id: 'cam-1', driver: 'fake' });
    expect(events.map((e) => e.type)).toEqual(['camera.added']);

    const bad = await station.addCamera({ ...cam('cam-2'), location: { lat: 200, lon: 0 }, name: '' }).catch((e: unknown) => e);
    expect(isWardwatchError(bad, 'INVALID_CONFIG')).toBe(true);
    expect((bad as Error).message).toMatch(/location\.lat/);
    expect((bad as Error).message).toMatch(/name/);

    const noDriver = await station.addCamera(cam('cam-3', { driver: 'hikvision' })).catch((e: unknown) => e);
    expect(isWardwatchError(noDriver, 'DRIVER_NOT_FOUND')).toBe(true);
    const dup = await station.addCamera(cam('cam-1')).catch((e: unknown) => e);
    expect(isWardwatchError(dup, 'ALREADY_EXISTS')).toBe(true);
    expect((await storage.cameras.list()).map((c) => c.id)).toEqual(['cam-1']);
  });

  it('start() loads stored cameras, connects them, records, indexes segments and emits + persists events', async () => {
    const storage = createMemoryStorage();
    const { parseCameraSpec } = await import('@wardwatch/core');
    await storage.cameras.put(parseCameraSpec(cam('cam-1')));
    const r = rig({ storage });
    const { station, driver, recorder, advance, events } = r;
    await station.start();
    await advance(100);
    expect(station.camera('cam-1')).toBeDefined();
    expect(driver.camera('cam-1.local').openSessions).toBe(1);
    expect(recorder.recording()).toEqual(['cam-1']);
    expect(recorder.recordCalls[0]!.session.streams.main.uri).toContain('cam-1.local');

    const media = recorder.startMedia('cam-1');
    await advance(1000);
    const handle = station.camera('cam-1')!;
    expect(handle.status.state).toBe('online');
    expect(handle.device?.model).toBe('Fake');
    expect(handle.clockOffsetMs).toBe(0);
    let stats: unknown;
    handle.stats$.subscribe((s) => (stats = s)).unsubscribe();
    expect(stats).toMatchObject({ fps: 25, width: 1920, height: 1080 });

    const seg = segment('cam-1', r.clock.now() - 60_000, r.clock.now());
    recorder.signal('cam-1', { type: 'segment', segment: seg });
    recorder.signal('cam-1', { type: 'gap', from: 1, to: 2, cause: 'rtsp://admin:secret-pw@cam-1.local/main dropped' });
    driver.camera('cam-1.local').emit({ type: 'motion', phase: 'start', at: r.clock.now() });
    driver.camera('cam-1.local').emit({ type: 'tamper', kind: 'covered', phase: 'start', at: r.clock.now() });
    driver.camera('cam-1.local').emit({ type: 'analytics', kind: 'intrusion', phase: 'start', at: r.clock.now(), source: 'VideoSource_1' });
    await advance(500);

    expect(await storage.segments.query('cam-1', { from: 0, to: r.clock.now() + 1 })).toEqual([seg]);
    const closed = events.find((e) => e.type === 'segment.closed');
    expect(closed).toMatchObject({ cameraId: 'cam-1', segment: seg });
    const gap = events.find((e) => e.type === 'recording.gap');
    expect(gap).toMatchObject({ cameraId: 'cam-1', from: 1, to: 2 });
    expect(JSON.stringify(gap)).not.toContain('secret-pw');
    expect(events.find((e) => e.type === 'motion')).toMatchObject({ cameraId: 'cam-1', phase: 'start', source: 'camera' });
    expect(events.find((e) => e.type === 'tamper')).toMatchObject({ kind: 'covered', source: 'camera' });
    expect(events.find((e) => e.type === 'camera.analytics')).toMatchObject({ cameraId: 'cam-1', kind: 'intrusion', phase: 'start', source: 'camera' });

    // persisted in batches (flush interval 200 ms of virtual time)
    const persisted = await storedEvents(storage);
    expect(persisted.map((e) => e.type)).toEqual(events.map((e) => e.type));
    expect(persisted.map((e) => e.type)).toEqual(expect.arrayContaining(['camera.status', 'segment.closed', 'recording.gap', 'motion', 'tamper']));
    media.unsubscribe();
  });

  it('marks a camera offline within 3 s of its media stopping, then online after steady media, and computes uptime', async () => {
    const { station, recorder, advance, events, clock } = rig();
    await station.addCamera(cam('cam-1'));
    await station.start();
    const t0 = clock.now();
    let media = recorder.startMedia('cam-1', 200);
    await advance(5000);
    expect(station.camera('cam-1')!.status.state).toBe('online');
    media.unsubscribe();
    const stoppedAt = clock.now();
    await advance(4000);
    const offline = events.find((e) => e.type === 'camera.status' && e.status.state === 'offline');
    expect(offline).toBeDefined();
    expect(offline!.at - stoppedAt).toBeLessThanOrEqual(3000);
    expect(station.camera('cam-1')!.status.cause).toBe('no media for 3 s');

    media = recorder.startMedia('cam-1', 200);
    await advance(5000);
    expect(station.camera('cam-1')!.status.state).toBe('offline'); // hysteresis: not yet
    await advance(6000);
    expect(station.camera('cam-1')!.status.state).toBe('online');
    media.unsubscribe();

    const statuses = events.filter((e) => e.type === 'camera.status').map((e) => (e.type === 'camera.status' ? `${e.previous}>${e.status.state}` : ''));
    expect(statuses).toEqual(['connecting>online', 'online>offline', 'offline>online']);
    const uptime = await station.uptime('cam-1', { from: t0, to: clock.now() });
    expect(uptime.byState.offline).toBeGreaterThan(7000);
    expect(uptime.byState.online).toBeGreaterThan(7000);
    expect(uptime.ratio).toBeGreaterThan(0.4);
    expect(uptime.ratio).toBeLessThan(0.7);
  });

  it('recorder disconnects make the camera offline at once with the cause', async () => {
    const { station, recorder, advance } = rig();
    await station.addCamera(cam('cam-1'));
    await station.start();
    const media = recorder.startMedia('cam-1', 200);
    await advance(1000);
    media.unsubscribe();
    recorder.signal('cam-1', { type: 'disconnected', at: 0, cause: 'ffmpeg exited: 401 Unauthorized' });
    await advance(10);
    expect(station.camera('cam-1')!.status).toMatchObject({ state: 'offline', cause: 'ffmpeg exited: 401 Unauthorized' });
  });

  it('retries unreachable cameras with backoff forever, showing the cause, and connects when they come back', async () => {
    const { station, driver, advance, recorder } = rig();
    const control = driver.camera('cam-1.local');
    control.reachable = false;
    await station.addCamera(cam('cam-1'));
    await station.start();
    await advance(100);
    expect(station.camera('cam-1')!.status.state).toBe('offline');
    expect(station.camera('cam-1')!.status.cause).toMatch(/^CAMERA_UNREACHABLE/);
    // attempts at 0, +1 s, +2 s, +4 s, +8 s, +16 s, +30 s (capped)
    await advance(1000 + 2000 + 4000 + 8000 + 16_000 - 50);
    expect(control.connectAttempts).toBe(6);
    await advance(30_000);
    expect(control.connectAttempts).toBe(7);
    control.reachable = true;
    await advance(30_000);
    expect(control.connectAttempts).toBe(8);
    expect(control.openSessions).toBe(1);
    const media = recorder.startMedia('cam-1', 200);
    await advance(11_000);
    expect(station.camera('cam-1')!.status.state).toBe('online');
    media.unsubscribe();
  });

  it('backs off much longer after an authentication failure', async () => {
    const { station, driver, advance } = rig();
    const control = driver.camera('cam-1.local');
    control.authFails = true;
    await station.addCamera(cam('cam-1'));
    await station.start();
    await advance(60_000, 1000);
    expect(control.connectAttempts).toBe(1);
    expect(station.camera('cam-1')!.status.cause).toMatch(/^CAMERA_AUTH_FAILED/);
    expect(station.camera('cam-1')!.status.cause).not.toContain('secret-pw');
    await advance(250_000, 1000);
    expect(control.connectAttempts).toBe(2);
  });

  it('without a recorder, health follows the driver probes', async () => {
    const { clock, advance } = createVirtualClock();
    const driver = createFakeCameraDriver();
    const station = createStation({ storage: createMemoryStorage(), drivers: [driver], clock });
    await station.addCamera(cam('cam-1'));
    await station.start();
    await advance(200);
    expect(station.camera('cam-1')!.status.state).toBe('online');
    driver.camera('cam-1.local').reachable = false;
    await advance(20_000);
    expect(station.camera('cam-1')!.status.state).toBe('offline');
    await station.stop();
    expect(clock.actions).toHaveLength(0);
  });

  it('exposes snapshot, ptz (when supported) and device info on the handle', async () => {
    const { station, advance } = rig({ ptz: true });
    await station.addCamera(cam('cam-1'));
    await station.start();
    await advance(100);
    const handle = station.camera('cam-1')!;
    expect(await handle.snapshot()).toEqual(FAKE_JPEG);
    expect(handle.ptz).toBeDefined();
    await handle.ptz!.absoluteMove({ pan: 0.5 });
    expect(await handle.ptz!.position()).toMatchObject({ pan: 0.5 });

    const plain = rig();
    await plain.station.addCamera(cam('cam-2'));
    await plain.station.start();
    await plain.advance(100);
    expect(plain.station.camera('cam-2')!.ptz).toBeUndefined();
  });

  it('updateCamera reconnects with the new spec; removeCamera disconnects and deletes it', async () => {
    const { station, storage, driver, recorder, advance, events } = rig();
    const seen: string[][] = [];
    station.cameras$.pipe(map((list) => list.map((c) => c.id))).subscribe((ids) => seen.push(ids));
    await station.addCamera(cam('cam-1'));
    await station.start();
    await advance(100);
    const updated = await station.updateCamera('cam-1', { name: 'Ngã tư Lê Lợi', connection: { host: 'cam-1b.local' } });
    await advance(100);
    expect(updated.spec.name).toBe('Ngã tư Lê Lợi');
    expect(driver.camera('cam-1.local').openSessions).toBe(0);
    expect(driver.camera('cam-1b.local').openSessions).toBe(1);
    expect(recorder.recordCalls.at(-1)!.spec.connection.host).toBe('cam-1b.local');
    expect((await storage.cameras.get('cam-1'))!.name).toBe('Ngã tư Lê Lợi');
    const badUpdate = await station.updateCamera('cam-1', { location: { lat: 999, lon: 0 } }).catch((e: unknown) => e);
    expect(isWardwatchError(badUpdate, 'INVALID_CONFIG')).toBe(true);

    await station.removeCamera('cam-1');
    expect(station.camera('cam-1')).toBeUndefined();
    expect(driver.openSessions).toBe(0);
    expect(recorder.recording()).toEqual([]);
    expect(await storage.cameras.get('cam-1')).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['camera.added', 'camera.updated', 'camera.removed']));
    expect(seen.at(-1)).toEqual([]);
    expect(seen).toContainEqual(['cam-1']);
    const missing = await station.removeCamera('cam-1').catch((e: unknown) => e);
    expect(isWardwatchError(missing, 'NOT_FOUND')).toBe(true);
  });

  it('runs analyzers named by the spec on recorder frames; a failing analyzer becomes an event, not a crash', async () => {
    const counting: Analyzer = {
      name: 'counter',
      frameOptions: { fps: 2 },
      analyze: (frames$, ctx) =>
        frames$.pipe(map((f) => ({ type: 'motion' as const, at: f.at, cameraId: ctx.camera.id, phase: 'start' as const, source: 'analyzer' as const, score: (ctx.options.scale as number) ?? 1 }))),
    };
    const broken: Analyzer = {
      name: 'broken',
      analyze: (frames$) => new Observable((s) => frames$.subscribe(() => s.error(new Error('model crashed')))),
    };
    const { station, recorder, advance, events, storage } = rig({ analyzers: [counting, broken] });
    await station.addCamera(cam('cam-1', { analytics: { analyzers: ['counter', 'broken', 'missing'], options: { counter: { scale: 7 } } } }));
    await station.start();
    await advance(100);
    expect(recorder.frameSubscribers('cam-1')).toBe(2);
    recorder.frame('cam-1', {});
    recorder.frame('cam-1', {});
    await advance(300);
    const detections = events.filter((e) => e.type === 'motion');
    expect(detections).toHaveLength(2);
    expect(detections[0]).toMatchObject({ source: 'analyzer', score: 7 });
    const errors = events.filter((e) => e.type === 'analyzer.error');
    expect(errors.map((e) => (e.type === 'analyzer.error' ? `${e.analyzer}:${e.code}` : ''))).toEqual(['missing:NOT_FOUND', 'broken:INTERNAL']);
    expect(station.running).toBe(true);
    expect(recorder.frameSubscribers('cam-1')).toBe(1); // the counter still runs
    expect((await storedEvents(storage, 'analyzer.error')).length).toBe(2);
  });

  it('disabled cameras are not connected and report disabled', async () => {
    const { station, driver, advance } = rig();
    await station.addCamera(cam('cam-1', { enabled: false }));
    await station.start();
    await advance(1000);
    expect(station.camera('cam-1')!.status.state).toBe('disabled');
    expect(driver.camera('cam-1.local').connectAttempts).toBe(0);
  });
});

describe('station lifecycle', () => {
  it('stop() closes sessions, subscriptions and timers, stops the recorder, runs plugin teardowns and flushes events', async () => {
    let tornDown = 0;
    const plugin = definePlugin({
      name: 'counter-plugin',
      setup: () => () => {
        tornDown++;
      },
    });
    const r = rig({ plugins: [plugin] });
    const { station, storage, driver, recorder, advance, clock, events } = r;
    await station.addCamera(cam('cam-1', { analytics: { analyzers: [], options: {} } }));
    await station.addCamera(cam('cam-2'));
    driver.camera('cam-3.local').reachable = false;
    await station.addCamera(cam('cam-3'));
    await station.start();
    const m1 = recorder.startMedia('cam-1');
    await advance(2000);
    m1.unsubscribe();
    let completed = false;
    station.events$.subscribe({ complete: () => (completed = true) });
    station.emit({ type: 'storage.low', at: clock.now(), path: '/rec', usedRatio: 0.91, freeBytes: 1, action: 'warn', message: 'low' });
    await station.stop();

    expect(driver.openSessions).toBe(0);
    expect(recorder.recording()).toEqual([]);
    expect(recorder.frameSubscribers()).toBe(0);
    expect(recorder.stopped).toBe(true);
    expect(tornDown).toBe(1);
    expect(clock.actions).toHaveLength(0); // no timer left: probes, retries, health, batching
    expect(completed).toBe(true);
    expect(station.running).toBe(false);
    // every event, including the final offline transitions, is persisted; storage is still open (not owned)
    const persisted = await storedEvents(storage);
    expect(persisted.map((e) => e.type)).toEqual(events.map((e) => e.type));
    expect(persisted.some((e) => e.type === 'storage.low')).toBe(true);
    expect(persisted.filter((e) => e.type === 'camera.status' && e.status.cause === 'station stopped').length).toBe(2);

    const after = await station.addCamera(cam('cam-9')).catch((e: unknown) => e);
    expect(isWardwatchError(after, 'STATION_NOT_RUNNING')).toBe(true);
    const restart = await station.start().catch((e: unknown) => e);
    expect(isWardwatchError(restart, 'STATION_NOT_RUNNING')).toBe(true);
    await station.stop(); // idempotent
  });

  it('stop() during a slow connect leaves no session open afterwards', async () => {
    const { clock } = createVirtualClock();
    const fake = createFakeCameraDriver();
    let settled = false;
    const slow = {
      id: 'fake',
      connect: async (s: Parameters<typeof fake.connect>[0]) => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        const session = await fake.connect(s);
        settled = true;
        return session;
      },
    };
    const station = createStation({ storage: createMemoryStorage(), drivers: [slow], clock });
    await station.addCamera(cam('cam-1'));
    await station.start();
    await station.stop();
    expect(settled).toBe(true); // stop waited for the in-flight connect and closed its session
    expect(fake.openSessions).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(fake.camera('cam-1.local').connectAttempts).toBe(1);
    expect(fake.openSessions).toBe(0);
    expect(clock.actions).toHaveLength(0);
  });

  it('a recorder that throws in record() surfaces a recording.error and the camera stays offline', async () => {
    const { station, recorder, advance, events } = rig();
    recorder.record = () => {
      throw new Error('ffmpeg missing');
    };
    await station.addCamera(cam('cam-1'));
    await station.start();
    await advance(200);
    expect(events.find((e) => e.type === 'recording.error')).toMatchObject({ cameraId: 'cam-1', code: 'INTERNAL', message: 'ffmpeg missing' });
    expect(station.camera('cam-1')!.status).toMatchObject({ state: 'offline', cause: 'INTERNAL: ffmpeg missing' });
  });

  it('keeps events buffered while storage fails and writes them all, in order, once it recovers', async () => {
    const storage = createMemoryStorage();
    let failuresLeft = 3;
    const appendMany = storage.events.appendMany.bind(storage.events);
    storage.events.appendMany = async (batch) => {
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new Error('disk busy');
      }
      return appendMany(batch);
    };
    const { clock, advance } = createVirtualClock();
    const station = createStation({ storage, clock, events: { batchSize: 4, flushIntervalMs: 100 } });
    for (let i = 0; i < 10; i++) station.emit({ type: 'hold.released', at: clock.now() + i, holdId: `h${i}`, cameraId: 'c' });
    await advance(1000);
    expect(failuresLeft).toBe(0);
    const stored = await storedEvents(storage);
    expect(stored.map((e) => (e.type === 'hold.released' ? e.holdId : ''))).toEqual(Array.from({ length: 10 }, (_, i) => `h${i}`));
    await station.stop();
  });

  it('stop() reports a storage that cannot take the buffered events', async () => {
    const storage = createMemoryStorage();
    storage.events.appendMany = async () => {
      throw new Error('disk gone');
    };
    const { clock } = createVirtualClock();
    const station = createStation({ storage, clock });
    station.emit({ type: 'hold.released', at: 1, holdId: 'h', cameraId: 'c' });
    const error = await station.stop().catch((e: unknown) => e);
    expect(isWardwatchError(error, 'STORAGE_IO')).toBe(true);
    expect((error as Error).message).toMatch(/could not be persisted \(1 pending/);
    expect(clock.actions).toHaveLength(0);
  });

  it('updates a stored camera before start (validated, persisted, announced) and connects it with the new spec', async () => {
    const storage = createMemoryStorage();
    await storage.cameras.put(parseCameraSpec(cam('cam-1')));
    const { station, events, advance, driver } = rig({ storage });
    await station.updateCamera('cam-1', { name: 'Cổng chợ' });
    expect((await storage.cameras.get('cam-1'))?.name).toBe('Cổng chợ');
    expect(events.map((e) => e.type)).toEqual(['camera.updated']);
    expect(station.camera('cam-1')?.spec.name).toBe('Cổng chợ');
    await expect(station.updateCamera('cam-1', { driver: 'nope' })).rejects.toMatchObject({ code: 'DRIVER_NOT_FOUND' });
    await expect(station.updateCamera('cam-404', { name: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await station.start();
    await advance(100);
    expect(driver.camera('cam-1.local').connectAttempts).toBe(1);
    expect(station.camera('cam-1')?.spec.name).toBe('Cổng chợ');
  });

  it('exposes its services and registries', async () => {
    const { station, driver, recorder, storage, clock } = rig();
    expect(station.drivers.get('fake')).toBe(driver);
    expect(station.recorder).toBe(recorder);
    expect(station.storage).toBe(storage);
    expect(station.clock).toBe(clock);
    await station.start();
    // the recorder reads the station's own index
    const seg = segment('cam-9', 5_000, 6_000);
    await storage.segments.add(seg);
    expect(await recorder.context?.segments.latest('cam-9')).toEqual(seg);
    expect(recorder.context?.clock).toBe(clock);
    const again = await station.start().catch((e: unknown) => e);
    expect(isWardwatchError(again, 'INVALID_STATE')).toBe(true);
  });
});
