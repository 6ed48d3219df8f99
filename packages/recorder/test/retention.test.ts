import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { VirtualTimeScheduler } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCameraSpec, type Segment, type StationEvent } from '@wardwatch/core';
import { createRecorder, segmentRelativePath, type DiskUsage } from '../src/index.js';
import { createRetention } from '../src/retention.js';
import { makeContext, tempDir } from './helpers.js';

const DAY = 86_400_000;
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Writes fake segment files and indexes them: `count` segments of 1 MB, 10 minutes apart, from `start`. */
async function seed(root: string, ctx: ReturnType<typeof makeContext>, cameraId: string, start: number, count: number): Promise<Segment[]> {
  const segments: Segment[] = [];
  for (let i = 0; i < count; i++) {
    const s = start + i * 600_000;
    const path = segmentRelativePath(cameraId, s);
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), Buffer.alloc(16, i));
    segments.push({ cameraId, start: s, end: s + 600_000, path, bytes: 1_000_000, codec: 'h264', sha256: 'a'.repeat(64) });
  }
  await ctx.storage.segments.addMany(segments);
  return segments;
}

function setup(disk: () => DiskUsage, days?: number) {
  const { dir, cleanup } = tempDir('ww-ret-');
  cleanups.push(cleanup);
  const ctx = makeContext();
  const recorder = createRecorder({ root: dir, retention: { diskUsage: async () => disk(), intervalMs: 3_600_000, ...(days ? { days } : {}) } });
  return { dir, ctx, recorder };
}

const types = (events: StationEvent[]) => events.map((e) => (e.type === 'storage.low' ? `storage.low:${e.action}` : e.type));

describe('retention', () => {
  it('checks the disk when a segment is written: at most once a second (virtual time), and not while a pass runs', async () => {
    const clock = new VirtualTimeScheduler();
    const ctx = { ...makeContext(), clock };
    let checks = 0;
    const retention = createRetention({ root: '/nonexistent', context: ctx, retentionDays: async () => undefined, diskUsage: async () => (checks++, { totalBytes: 100, freeBytes: 15 }) });
    retention.checkDisk();
    retention.checkDisk(); // while the first runs: nothing more
    await retention.idle();
    expect(checks).toBe(1);
    expect(types(ctx.events)).toEqual(['storage.low:warn']); // 85 % used: warned at once, no timer needed
    clock.schedule(() => undefined, 999);
    clock.flush();
    retention.checkDisk(); // 999 ms after the first: too soon
    await retention.idle();
    expect(checks).toBe(1);
    clock.schedule(() => undefined, 1);
    clock.flush();
    retention.checkDisk();
    await retention.idle();
    expect(checks).toBe(2);
  });


  it('purges segments older than the retention days, except held ones', async () => {
    const { dir, ctx, recorder } = setup(() => ({ totalBytes: 100e9, freeBytes: 90e9 }), 7);
    const now = Date.now();
    const old = await seed(dir, ctx, 'cam-a', now - 10 * DAY, 4);
    const fresh = await seed(dir, ctx, 'cam-a', now - DAY, 2);
    await ctx.storage.holds.put({
      id: 'h1', cameraId: 'cam-a', from: old[1]!.start + 1000, to: old[1]!.start + 2000,
      owner: { kind: 'incident', id: 'inc-1' }, reason: 'theft', createdBy: 'officer', createdAt: now,
    });
    await recorder.start(ctx);
    await recorder.enforceRetention();
    await recorder.stop();
    const left = await ctx.storage.segments.query('cam-a', { from: 0, to: now + DAY });
    expect(left.map((s) => s.start)).toEqual([old[1]!.start, ...fresh.map((s) => s.start)]);
    expect(existsSync(join(dir, old[0]!.path))).toBe(false);
    expect(existsSync(join(dir, old[1]!.path))).toBe(true);
    const purged = ctx.events.filter((e) => e.type === 'storage.purged');
    expect(purged).toHaveLength(1);
    expect(purged[0]).toMatchObject({ cameraId: 'cam-a', segments: 3, bytes: 3_000_000, reason: 'retention-days' });
  });

  it('warns at the warn watermark without deleting anything', async () => {
    const { dir, ctx, recorder } = setup(() => ({ totalBytes: 100e6, freeBytes: 15e6 }));
    await seed(dir, ctx, 'cam-a', Date.now() - DAY, 5);
    await recorder.start(ctx);
    await recorder.enforceRetention();
    await recorder.stop();
    expect(types(ctx.events)).toEqual(['storage.low:warn']);
    expect(await ctx.storage.segments.query('cam-a', { from: 0, to: Date.now() })).toHaveLength(5);
  });

  it('above the purge watermark, announces then deletes the oldest unheld segments down to the target', async () => {
    let free = 5e6; // 95 % used of 100 MB
    const { dir, ctx, recorder } = setup(() => ({ totalBytes: 100e6, freeBytes: free }));
    const start = Date.now() - 2 * DAY;
    const a = await seed(dir, ctx, 'cam-a', start, 8);
    const b = await seed(dir, ctx, 'cam-b', start + 300_000, 8);
    await ctx.storage.holds.put({
      id: 'h2', cameraId: 'cam-a', from: a[0]!.start, to: a[2]!.end,
      owner: { kind: 'evidence', id: 'ev-1' }, reason: 'export', createdBy: 'officer', createdAt: Date.now(),
    });
    await recorder.start(ctx);
    await recorder.enforceRetention();
    await recorder.stop();
    const t = types(ctx.events);
    expect(t[0]).toBe('storage.low:purge');
    expect(t.slice(1).every((x) => x === 'storage.purged')).toBe(true);
    // (95 % - 85 %) of 100 MB = 10 MB = ten 1 MB segments, oldest unheld first across cameras
    const purgedCount = ctx.events.filter((e) => e.type === 'storage.purged').reduce((n, e) => n + (e.type === 'storage.purged' ? e.segments : 0), 0);
    expect(purgedCount).toBe(10);
    const leftA = await ctx.storage.segments.query('cam-a', { from: 0, to: Date.now() });
    for (const held of a.slice(0, 3)) expect(leftA.map((s) => s.start)).toContain(held.start);
    for (const held of a.slice(0, 3)) expect(existsSync(join(dir, held.path))).toBe(true);
    const leftB = await ctx.storage.segments.query('cam-b', { from: 0, to: Date.now() });
    expect(leftA.length + leftB.length).toBe(16 - 10);
    // b[0] is older than a[3] (interleaved by 5 minutes); the survivors are the newest
    expect(leftB.map((s) => s.start)).toEqual(b.slice(5).map((s) => s.start).filter((s) => leftB.some((x) => x.start === s)));
    free = 50e6;
  });

  it('raises an alarm instead of deleting when only held segments remain', async () => {
    const { dir, ctx, recorder } = setup(() => ({ totalBytes: 100e6, freeBytes: 2e6 }));
    const segs = await seed(dir, ctx, 'cam-a', Date.now() - DAY, 3);
    await ctx.storage.holds.put({
      id: 'h3', cameraId: 'cam-a', from: segs[0]!.start, to: segs[2]!.end,
      owner: { kind: 'incident', id: 'inc-9' }, reason: 'assault', createdBy: 'officer', createdAt: Date.now(),
    });
    await recorder.start(ctx);
    await recorder.enforceRetention();
    await recorder.stop();
    expect(types(ctx.events)).toEqual(['storage.low:purge', 'storage.low:alarm']);
    expect(await ctx.storage.segments.query('cam-a', { from: 0, to: Date.now() })).toHaveLength(3);
    for (const s of segs) expect(existsSync(join(dir, s.path))).toBe(true);
  });

  it('a pass ends after the segment in hand once retention is stopped (a shutdown does not wait for a big purge)', async () => {
    const { dir, cleanup } = tempDir('ww-ret-');
    cleanups.push(cleanup);
    const ctx = makeContext();
    const old = await seed(dir, ctx, 'cam-a', Date.now() - 10 * DAY, 6);
    // the disk is above the purge watermark too: a stopped pass must not go on to it
    const retention = createRetention({ root: dir, context: ctx, days: 7, batchSize: 2, diskUsage: async () => ({ totalBytes: 100e6, freeBytes: 5e6 }), retentionDays: async () => undefined });
    const covering = ctx.storage.holds.covering.bind(ctx.storage.holds);
    let checked = 0;
    let second: Promise<void> | undefined;
    ctx.storage.holds.covering = async (cameraId, range) => {
      if (++checked === 3) {
        // stopped while the third segment is in hand, and started again at once: the old pass does not go on, and
        // a pass asked for now runs after it (not handed the old one)
        retention.stop();
        retention.start();
        second = retention.runOnce();
      }
      return covering(cameraId, range);
    };
    await retention.runOnce();
    const left = await ctx.storage.segments.query('cam-a', { from: 0, to: Date.now() });
    expect(left.map((s) => s.start)).toEqual(old.slice(3).map((s) => s.start));
    expect(checked).toBe(3);
    expect(types(ctx.events)).toEqual(['storage.purged', 'storage.purged']);
    await second;
    retention.stop();
    expect(await ctx.storage.segments.query('cam-a', { from: 0, to: Date.now() })).toEqual([]);
  });

  it('never deletes through an index path outside the camera, and re-indexes a file that could not be deleted', async () => {
    const { dir, ctx, recorder } = setup(() => ({ totalBytes: 100e9, freeBytes: 90e9 }), 7);
    const now = Date.now();
    const [victim] = await seed(dir, ctx, 'cam-b', now - DAY, 1); // recent footage of another camera
    const [old] = await seed(dir, ctx, 'cam-a', now - 10 * DAY, 1);
    // an index entry of cam-a that points into cam-b's directory, and one whose "file" cannot be unlinked
    const tricky = { ...old!, start: old!.start + 1, path: `cam-a/../${victim!.path}` };
    const stuck = { ...old!, start: old!.start + 2, path: segmentRelativePath('cam-a', old!.start + 2) };
    mkdirSync(join(dir, stuck.path)); // a directory where the file should be: unlink fails (EISDIR)
    await ctx.storage.segments.addMany([tricky, stuck]);
    await recorder.start(ctx);
    await recorder.enforceRetention();
    await recorder.stop();
    expect(existsSync(join(dir, victim!.path))).toBe(true);
    const left = await ctx.storage.segments.query('cam-a', { from: 0, to: now });
    // the normal old one went; the tricky entry was refused; the stuck one is indexed again
    expect(left.map((s) => s.start).sort()).toEqual([tricky.start, stuck.start]);
    expect(existsSync(join(dir, old!.path))).toBe(false);
    const purged = ctx.events.filter((e) => e.type === 'storage.purged');
    expect(purged.reduce((n, e) => n + (e.type === 'storage.purged' ? e.segments : 0), 0)).toBe(1);
  });

  it('keeps the retention of a camera that is not being recorded, from its stored spec', async () => {
    const { dir, ctx, recorder } = setup(() => ({ totalBytes: 100e9, freeBytes: 90e9 }), 7);
    const now = Date.now();
    await ctx.storage.cameras.put(parseCameraSpec({ id: 'cam-long', name: 'evidence camera', site: { ward: 'w', station: 's' }, location: { lat: 0, lon: 0 }, ownership: 'station', driver: 'onvif', connection: { host: '127.0.0.1' }, recording: { retentionDays: 365 } }));
    const kept = await seed(dir, ctx, 'cam-long', now - 100 * DAY, 2);
    await recorder.start(ctx);
    await recorder.enforceRetention();
    await recorder.stop();
    expect((await ctx.storage.segments.query('cam-long', { from: 0, to: now })).length).toBe(2);
    for (const s of kept) expect(existsSync(join(dir, s.path))).toBe(true);
  });

  it('refuses retention settings that would purge everything, busy-loop or never purge', () => {
    const bad = [{ days: 0 }, { intervalMs: 0 }, { batchSize: 0 }, { targetRatio: 0.95 }, { warnRatio: 0.95 }, { purgeRatio: 1.2 }];
    for (const retention of bad) expect(() => createRecorder({ root: '/tmp/x', retention }), JSON.stringify(retention)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
