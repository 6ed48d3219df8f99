import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statfsSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Subscription } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashFile, type RecorderSignal, type Segment, type StationEvent } from '@wardwatch/core';
import type { Simulator } from '@wardwatch/simulator';
import { createRecorder, type WardwatchRecorder } from '../src/create-recorder.js';
import { segmentRelativePath } from '../src/segment-path.js';
import { makeContext, makeSession, makeSpec, tempDir, waitFor } from './helpers.js';
import { startLightSimulator } from './sim-cameras.js';

const MB = 1024 * 1024;
const SIZE = 16 * MB;
const tmp = tempDir('ww-diskfull-');
const mnt = join(tmp.dir, 'mnt');
mkdirSync(mnt);
// the test mounts its own small filesystem (CI runs as root); only where mounting is not permitted is it skipped
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE}`, 'tmpfs', mnt]).status === 0;
if (!mounted) console.warn('disk-full.test: SKIPPED — mounting a tmpfs is not permitted here (run as root)');

const usedRatio = (): number => {
  const s = statfsSync(mnt);
  return 1 - s.bavail / s.blocks;
};
/** Grows or shrinks the ballast file so the disk is `ratio` used. */
function ballastTo(ratio: number): void {
  const path = join(mnt, 'ballast');
  const current = existsSync(path) ? statSync(path).size : 0;
  const s = statfsSync(mnt);
  const want = Math.max(0, current + Math.round((ratio - (1 - s.bavail / s.blocks)) * s.blocks * s.bsize));
  writeFileSync(path, Buffer.alloc(want, 1));
}
/** Fills every free byte with a second ballast file. */
function fillUp(): void {
  const fd = openSync(join(mnt, 'filler'), 'a');
  const chunk = Buffer.alloc(64 * 1024, 2);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(!mounted)('disk full for real (a 16 MB tmpfs the test mounts)', () => {
  const ctx = makeContext();
  let sim: Simulator;
  let recorder: WardwatchRecorder;
  const signals: Array<{ at: number; signal: RecorderSignal }> = [];
  const subs: Subscription[] = [];
  const old: Segment[] = [];
  const T0 = Date.UTC(2026, 0, 5, 3);
  const storageLow = (): Array<Extract<StationEvent, { type: 'storage.low' }>> => ctx.events.filter((e): e is Extract<StationEvent, { type: 'storage.low' }> => e.type === 'storage.low');
  const purged = (): number => ctx.events.filter((e) => e.type === 'storage.purged').length;
  const segmentsSince = (at: number): number => signals.filter((s) => s.signal.type === 'segment' && s.at >= at).length;

  beforeAll(async () => {
    // six old 1 MB segments of another camera, indexed; the first two held by an evidence export
    for (let i = 0; i < 6; i++) {
      const path = segmentRelativePath('cam-old', T0 + i * 60_000);
      mkdirSync(dirname(join(mnt, path)), { recursive: true });
      const data = randomBytes(MB);
      writeFileSync(join(mnt, path), data);
      old.push({ cameraId: 'cam-old', start: T0 + i * 60_000, end: T0 + (i + 1) * 60_000, path, codec: 'h264', ...(await hashFile(join(mnt, path))) });
    }
    await ctx.storage.segments.addMany(old);
    await ctx.storage.holds.put({ id: 'h1', cameraId: 'cam-old', from: old[0]!.start, to: old[1]!.end, owner: { kind: 'evidence', id: 'ev-1' }, reason: 'export', createdBy: 'officer', createdAt: Date.now() });
    sim = await startLightSimulator(['cam-d']);
    // the retention timer never fires during the test: every disk check comes from a written segment
    recorder = createRecorder({ root: mnt, segmentSeconds: 1, retention: { intervalMs: 3_600_000 } });
    await recorder.start(ctx);
    const cam = sim.camera('cam-d');
    subs.push(
      recorder.record(makeSpec('cam-d'), makeSession(cam.rtspUrl.main, cam.rtspUrl.sub)).subscribe((signal) => {
        signals.push({ at: Date.now(), signal });
        if (signal.type === 'segment') void ctx.storage.segments.add(signal.segment);
      }),
    );
    await waitFor(() => segmentsSince(0) >= 2, 30_000, 'first segments');
  }, 60_000);

  afterAll(async () => {
    for (const s of subs) s.unsubscribe();
    await recorder?.stop();
    await sim?.stop();
    if (mounted) execFileSync('umount', [mnt]);
    tmp.cleanup();
  }, 60_000);

  it('warns at 80 % within seconds, from the segments written, and deletes nothing', async () => {
    ballastTo(0.82);
    const at = Date.now();
    await waitFor(() => storageLow().length > 0, 10_000, 'storage.low warn');
    expect(Date.now() - at).toBeLessThan(5_000);
    expect(storageLow().map((e) => e.action)).toEqual(['warn']);
    expect(purged()).toBe(0);
  }, 20_000);

  it('above 90 %: announces, then purges the oldest unheld footage, never the held', async () => {
    ballastTo(0.93);
    await waitFor(() => purged() > 0, 10_000, 'a purge');
    const actions = storageLow().map((e) => e.action);
    expect(actions.indexOf('purge')).toBeGreaterThan(actions.indexOf('warn'));
    const left = await ctx.storage.segments.query('cam-old', { from: 0, to: T0 + 3_600_000 });
    for (const held of old.slice(0, 2)) {
      expect(left.map((s) => s.start)).toContain(held.start);
      expect(existsSync(join(mnt, held.path))).toBe(true);
    }
    expect(left.some((s) => s.start === old[2]!.start)).toBe(false); // the oldest unheld went first
    expect(existsSync(join(mnt, old[2]!.path))).toBe(false);
  }, 20_000);

  it('truly full: recording stops with the coded cause disk-full, and resumes by itself once space returns', async () => {
    // something else keeps the disk full (what retention frees is taken at once) until recording stops for it
    const full = Date.now();
    await waitFor(() => {
      fillUp();
      return signals.some((s) => s.at >= full && s.signal.type === 'disconnected' && s.signal.cause === 'disk-full');
    }, 30_000, 'disconnected: disk-full');
    const restartsWhileFull = signals.filter((s) => s.at >= full && s.signal.type === 'connected').length;
    rmSync(join(mnt, 'filler'), { force: true });
    rmSync(join(mnt, 'ballast'), { force: true });
    const freed = Date.now();
    await waitFor(() => segmentsSince(freed) >= 2, 60_000, 'recording again');
    expect(usedRatio()).toBeLessThan(0.8);
    // backoff, not a crash loop: a handful of restarts while the disk was full
    expect(restartsWhileFull).toBeLessThan(10);
    // the lost time is a gap with its cause
    expect(signals.some((s) => s.signal.type === 'gap' && s.signal.cause === 'disk-full')).toBe(true);
  }, 120_000);

  it('the index never points at a missing or partial file', async () => {
    for (const s of subs.splice(0)) s.unsubscribe();
    await recorder.stop();
    const all = [...(await ctx.storage.segments.query('cam-d', { from: 0, to: Date.now() + 60_000 })), ...(await ctx.storage.segments.query('cam-old', { from: 0, to: T0 + 3_600_000 }))];
    expect(all.length).toBeGreaterThan(4);
    for (const s of all) {
      expect(existsSync(join(mnt, s.path)), s.path).toBe(true);
      const { sha256, bytes } = await hashFile(join(mnt, s.path));
      expect({ path: s.path, sha256, bytes }).toEqual({ path: s.path, sha256: s.sha256, bytes: s.bytes });
    }
  }, 60_000);
});
