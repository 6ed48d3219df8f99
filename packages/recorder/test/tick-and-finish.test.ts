import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualTimeScheduler } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { openReportPipe, sweepFallbackPipes } from '../src/report-pipe.js';
import { createSegmentFinisher } from '../src/segment-finisher.js';
import { createTicker } from '../src/ticker.js';
import { tempDir } from './helpers.js';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('shared ticker (virtual time)', () => {
  it('wakes once per period for all tasks, goes fast while a task asks for it, and stops when the last task leaves', () => {
    const clock = new VirtualTimeScheduler();
    const ticker = createTicker(clock, { periodMs: 1000, fastPeriodMs: 50 });
    const seen: Array<[string, number]> = [];
    let fast = false;
    const removeA = ticker.add({ wantsFast: () => false, tick: (now) => seen.push(['a', now]) });
    const removeB = ticker.add({ wantsFast: () => fast, tick: (now) => seen.push(['b', now]) });
    expect(clock.actions).toHaveLength(1); // one timer, whatever the number of tasks
    clock.maxFrames = 2000;
    clock.flush();
    expect(seen).toEqual([['a', 1000], ['b', 1000], ['a', 2000], ['b', 2000]]);

    // a task that wants the fast period gets it from the next tick on, and the slow one again after
    seen.length = 0;
    fast = true;
    clock.maxFrames = 3000;
    clock.flush(); // the 3000 tick sees `fast` and schedules the next one 50 ms later
    clock.maxFrames = 3150;
    clock.flush();
    expect(seen.filter(([t]) => t === 'a').map(([, at]) => at)).toEqual([3000, 3050, 3100, 3150]);
    fast = false;
    clock.maxFrames = 5000;
    clock.flush();
    expect(seen.filter(([t]) => t === 'a').map(([, at]) => at).slice(4)).toEqual([3200, 4200]);

    removeA();
    removeB();
    expect(clock.actions).toHaveLength(0); // no timer left behind
    clock.maxFrames = 10_000;
    clock.flush();
    expect(seen.filter(([, at]) => at > 4200)).toEqual([]);
  });

  it('a task that throws is reported and neither the other tasks nor the timer stop', () => {
    const clock = new VirtualTimeScheduler();
    const errors: unknown[] = [];
    const ticker = createTicker(clock, { periodMs: 1000, onError: (e) => errors.push(e) });
    const seen: number[] = [];
    ticker.add({ wantsFast: () => false, tick: () => { throw new Error('broken task'); } });
    ticker.add({ wantsFast: () => false, tick: (now) => seen.push(now) });
    clock.maxFrames = 3000;
    clock.flush();
    expect(seen).toEqual([1000, 2000, 3000]);
    expect(errors.map((e) => (e as Error).message)).toEqual(['broken task', 'broken task', 'broken task']);
  });

  it('a fast task added while the ticker is slow is served within the fast period, not after the slow one', () => {
    const clock = new VirtualTimeScheduler();
    const ticker = createTicker(clock, { periodMs: 1000, fastPeriodMs: 50 });
    ticker.add({ wantsFast: () => false, tick: () => undefined });
    clock.maxFrames = 100;
    clock.flush();
    clock.frame = 100; // nothing was due: move the clock by hand
    const at: number[] = [];
    ticker.add({ wantsFast: () => true, tick: (now) => at.push(now) });
    clock.maxFrames = 200;
    clock.flush();
    expect(at).toEqual([150, 200]);
    expect(clock.actions).toHaveLength(1);
  });
});

describe('report pipe', () => {
  it('hands over what the writer wrote, never blocks, and is removed on close', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const fifo = await openReportPipe(dir, '1700000000000');
    expect(fifo.path).toBe(join(dir, '1700000000000.pipe'));
    expect(statSync(fifo.path).isFIFO()).toBe(true);
    expect(fifo.drain()).toBe(''); // no writer yet: empty, at once
    const writer = openSync(fifo.path, constants.O_WRONLY | constants.O_NONBLOCK);
    expect(fifo.drain()).toBe(''); // a writer but nothing written: empty, at once
    writeSync(writer, 'frame=1\nprogress=continue\n');
    writeSync(writer, 'frame=2\n');
    expect(fifo.drain()).toBe('frame=1\nprogress=continue\nframe=2\n');
    expect(fifo.drain()).toBe('');
    // more than one read's worth is handed over across drains, nothing lost
    const big = 'x'.repeat(50_000);
    writeSync(writer, big);
    writeSync(writer, 'y'.repeat(10_000));
    expect(fifo.drain() + fifo.drain()).toBe(big + 'y'.repeat(10_000));
    writeSync(writer, 'a'.repeat(40_000));
    writeSync(writer, 'b'.repeat(20_000));
    closeSync(writer);
    expect(fifo.drainAll()).toBe('a'.repeat(40_000) + 'b'.repeat(20_000)); // the writer exited: all of it
    expect(fifo.drain()).toBe('');
    fifo.close();
    expect(existsSync(fifo.path)).toBe(false);
    fifo.close(); // twice is harmless
  });

  it('falls back to the temp directory where the directory cannot hold a named pipe', async () => {
    const fifo = await openReportPipe('/proc/self', '42');
    cleanups.push(() => fifo.close());
    expect(fifo.path.startsWith(join(tmpdir(), 'wardwatch-'))).toBe(true);
    expect(statSync(fifo.path).isFIFO()).toBe(true);
  });

  it('gives cameras starting in the same millisecond different fallback pipes', async () => {
    const a = await openReportPipe('/proc/self', '1700000000000');
    cleanups.push(() => a.close());
    const b = await openReportPipe('/proc/self', '1700000000000');
    cleanups.push(() => b.close());
    expect(a.path).not.toBe(b.path);
    expect(statSync(a.path).isFIFO() && statSync(b.path).isFIFO()).toBe(true);
  });

  it('sweeps fallback pipes whose process is gone, and nothing else', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const deadPid = spawnSync('true').pid!;
    const make = (name: string) => execFileSync('mkfifo', [join(dir, name)]);
    make(`wardwatch-${deadPid}-1700000000000.pipe`); // left by a crashed recorder
    make(`wardwatch-${process.pid}-1700000000001.pipe`); // in use by a live one
    make('unrelated.pipe');
    writeFileSync(join(dir, `wardwatch-${deadPid}-1700000000002.pipe`), 'a regular file'); // not a pipe: kept
    const removed = await sweepFallbackPipes(dir);
    expect(removed).toEqual([join(dir, `wardwatch-${deadPid}-1700000000000.pipe`)]);
    expect(readdirSync(dir).sort()).toEqual([`wardwatch-${deadPid}-1700000000002.pipe`, `wardwatch-${process.pid}-1700000000001.pipe`, 'unrelated.pipe'].sort());
  });
});

describe('segment finisher (worker thread)', () => {
  const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

  it('moves a closed segment into place, writes the journal and returns the file SHA-256 and size', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const finisher = createSegmentFinisher();
    cleanups.push(() => finisher.close());
    mkdirSync(join(dir, 'in'));
    const data = Buffer.alloc(700_000 + 123, 7).fill(9, 300_000);
    writeFileSync(join(dir, 'in', 'a.mp4'), data);
    const dest = join(dir, 'cam', '2026-01-01', '08', '1.mp4');
    const result = await finisher.finish({ src: join(dir, 'in', 'a.mp4'), dest, journalPath: join(dir, 'in', 'run.json'), journalText: '{"anchor":5}' });
    expect(result).toEqual({ type: 'done', sha256: sha256(data), bytes: data.length });
    expect(existsSync(join(dir, 'in', 'a.mp4'))).toBe(false);
    expect(readFileSync(dest)).toEqual(data);
    expect(readFileSync(join(dir, 'in', 'run.json'), 'utf8')).toBe('{"anchor":5}');
  });

  it('never overwrites: an existing destination is reported as taken and both files stay as they were', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const finisher = createSegmentFinisher();
    cleanups.push(() => finisher.close());
    writeFileSync(join(dir, 'src.mp4'), 'new');
    writeFileSync(join(dir, 'dest.mp4'), 'old');
    const result = await finisher.finish({ src: join(dir, 'src.mp4'), dest: join(dir, 'dest.mp4'), journalPath: join(dir, 'j.json'), journalText: '{}' });
    expect(result).toEqual({ type: 'taken' });
    expect(readFileSync(join(dir, 'dest.mp4'), 'utf8')).toBe('old');
    expect(readFileSync(join(dir, 'src.mp4'), 'utf8')).toBe('new');
    expect(existsSync(join(dir, 'j.json'))).toBe(false);
  });

  it('reports a missing or empty segment as empty, and an unwritable destination as a coded STORAGE_IO error', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const finisher = createSegmentFinisher();
    cleanups.push(() => finisher.close());
    const job = (src: string, dest: string) => ({ src, dest, journalPath: join(dir, 'j.json'), journalText: '{}' });
    await expect(finisher.finish(job(join(dir, 'none.mp4'), join(dir, 'x.mp4')))).resolves.toEqual({ type: 'empty' });
    writeFileSync(join(dir, 'empty.mp4'), '');
    await expect(finisher.finish(job(join(dir, 'empty.mp4'), join(dir, 'x.mp4')))).resolves.toEqual({ type: 'empty' });
    writeFileSync(join(dir, 'seg.mp4'), 'data');
    writeFileSync(join(dir, 'a-file'), 'not a directory');
    await expect(finisher.finish(job(join(dir, 'seg.mp4'), join(dir, 'a-file', 'sub', 'x.mp4')))).rejects.toMatchObject({ code: 'STORAGE_IO' });
    expect(readFileSync(join(dir, 'seg.mp4'), 'utf8')).toBe('data'); // nothing lost
    // the worker goes on after a failed job
    await expect(finisher.finish(job(join(dir, 'seg.mp4'), join(dir, 'ok', 'x.mp4')))).resolves.toMatchObject({ type: 'done', bytes: 4 });
  });

  it('finishes many jobs in order, and close() rejects what is still queued with CANCELLED', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const finisher = createSegmentFinisher();
    const jobs = Array.from({ length: 20 }, (_, i) => {
      writeFileSync(join(dir, `${i}.in`), `segment ${i}`);
      return finisher.finish({ src: join(dir, `${i}.in`), dest: join(dir, 'out', `${i}.mp4`), journalPath: join(dir, 'j.json'), journalText: String(i) });
    });
    const results = await Promise.all(jobs);
    expect(results.map((r) => (r.type === 'done' ? r.bytes : -1))).toEqual(Array.from({ length: 20 }, (_, i) => `segment ${i}`.length));
    expect(readFileSync(join(dir, 'j.json'), 'utf8')).toBe('19');
    writeFileSync(join(dir, 'late.in'), Buffer.alloc(64 * 1024 * 1024));
    const late = finisher.finish({ src: join(dir, 'late.in'), dest: join(dir, 'out', 'late.mp4'), journalPath: join(dir, 'j.json'), journalText: '{}' });
    const cancelled = expect(late).rejects.toMatchObject({ code: 'CANCELLED' });
    await finisher.close();
    await cancelled;
    // closed for good: a job given afterwards is refused, and no new worker starts
    writeFileSync(join(dir, 'after.in'), 'after close');
    await expect(finisher.finish({ src: join(dir, 'after.in'), dest: join(dir, 'out', 'after.mp4'), journalPath: join(dir, 'j.json'), journalText: '{}' })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(existsSync(join(dir, 'after.in'))).toBe(true);
  });

  it('a journal that cannot be written does not make a segment that is in place look lost', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const finisher = createSegmentFinisher();
    cleanups.push(() => finisher.close());
    writeFileSync(join(dir, 'seg.mp4'), 'segment data');
    const result = await finisher.finish({ src: join(dir, 'seg.mp4'), dest: join(dir, 'out', 'x.mp4'), journalPath: join(dir, 'no-such-dir', 'j.json'), journalText: '{}' });
    expect(result).toEqual({ type: 'done', sha256: sha256(Buffer.from('segment data')), bytes: 12, journalError: 'ENOENT' }); // and the journal failure is reported, to be logged
    expect(readFileSync(join(dir, 'out', 'x.mp4'), 'utf8')).toBe('segment data');
  });
});
