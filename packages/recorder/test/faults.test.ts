import { spawn } from 'node:child_process';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import type { Simulator } from '@wardwatch/simulator';
import type { RecorderSignal, Segment } from '@wardwatch/core';
import { createRecorder } from '../src/index.js';
import { alive, makeContext, makeSession, makeSpec, tempDir, waitFor } from './helpers.js';
import { startLightSimulator } from './sim-cameras.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('faults: reboot, stall, killed processes', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startLightSimulator(['cam-r', 'cam-s', 'cam-k', 'cam-f', 'cam-q']);
  }, 60_000);
  afterAll(async () => {
    await sim?.stop();
  }, 60_000);

  async function recordOne(id: string, options: { root: string }) {
    const ctx = makeContext();
    const recorder = createRecorder({ root: options.root, segmentSeconds: 2, backoff: { initialMs: 300, maxMs: 2000 } });
    await recorder.start(ctx);
    const log: Array<{ at: number; signal: RecorderSignal }> = [];
    const cam = sim.camera(id);
    const sub: Subscription = recorder.record(makeSpec(id), makeSession(cam.rtspUrl.main)).subscribe((signal) => {
      log.push({ at: Date.now(), signal });
      if (signal.type === 'segment') void ctx.storage.segments.add(signal.segment);
    });
    return { ctx, recorder, log, sub, cam };
  }

  it('re-records a camera right after unsubscribing (the previous process finishes first)', async () => {
    const { dir, cleanup } = tempDir();
    const { recorder, log, sub, cam, ctx } = await recordOne('cam-q', { root: dir });
    try {
      await waitFor(() => log.some((t) => t.signal.type === 'connected'), 20_000, 'connected');
      const firstPid = recorder.pids()[0]!;
      sub.unsubscribe();
      const again: RecorderSignal[] = [];
      const sub2 = recorder.record(makeSpec('cam-q'), makeSession(cam.rtspUrl.main)).subscribe({ next: (s) => again.push(s), error: (e) => again.push({ type: 'error', at: 0, error: e }) });
      try {
        await waitFor(() => again.some((s) => s.type === 'connected'), 30_000, 'second recording connected');
        expect(again.filter((s) => s.type === 'error')).toEqual([]);
        expect(alive(firstPid)).toBe(false);
        expect(recorder.pids()).toHaveLength(1);
      } finally {
        sub2.unsubscribe();
      }
      void ctx;
    } finally {
      await recorder.stop();
      cleanup();
    }
  }, 90_000);

  it('turns a camera reboot into one gap of the right length, then records again', async () => {
    const { dir, cleanup } = tempDir();
    const { recorder, log, sub, cam } = await recordOne('cam-r', { root: dir });
    try {
      await waitFor(() => log.filter((t) => t.signal.type === 'segment').length >= 2, 20_000, 'two segments');
      const rebootAt = Date.now();
      await cam.reboot(3000);
      const upAt = Date.now();
      await waitFor(() => log.some((t) => t.signal.type === 'segment' && t.signal.segment.start > upAt), 25_000, 'a segment after the reboot');
      const gaps = log.flatMap((t) => (t.signal.type === 'gap' ? [t.signal] : []));
      expect(gaps).toHaveLength(1);
      const gap = gaps[0]!;
      expect(gap.from).toBeGreaterThanOrEqual(rebootAt - 1500);
      expect(gap.from).toBeLessThanOrEqual(rebootAt + 500);
      expect(gap.to).toBeGreaterThanOrEqual(upAt - 200);
      // reconnect backoff (max 2 s here) plus connect time
      expect(gap.to - gap.from).toBeGreaterThanOrEqual(2500);
      expect(gap.to - gap.from).toBeLessThanOrEqual(3000 + 5000);
      expect(log.filter((t) => t.signal.type === 'disconnected')).toHaveLength(1);
      expect(log.filter((t) => t.signal.type === 'connected')).toHaveLength(2);
      // the segments on both sides of the gap end and start at its edges
      const segments = log.flatMap((t) => (t.signal.type === 'segment' ? [t.signal.segment] : [])).sort((a, b) => a.start - b.start);
      const before = segments.filter((s) => s.end <= gap.from + 200).at(-1)!;
      const after = segments.find((s) => s.start >= gap.to - 200)!;
      expect(Math.abs(before.end - gap.from)).toBeLessThanOrEqual(500);
      expect(Math.abs(after.start - gap.to)).toBeLessThanOrEqual(100);
    } finally {
      sub.unsubscribe();
      await recorder.stop();
      cleanup();
    }
  }, 90_000);

  it('stops reporting progress while the stream stalls (offline within 3 s) and reports the stall as a gap', async () => {
    const { dir, cleanup } = tempDir();
    const { recorder, log, sub, cam } = await recordOne('cam-s', { root: dir });
    try {
      await waitFor(() => log.filter((t) => t.signal.type === 'segment').length >= 1, 20_000, 'a segment');
      const stallAt = Date.now();
      cam.stall();
      await sleep(4000);
      cam.resume();
      const resumeAt = Date.now();
      await waitFor(() => log.some((t) => t.signal.type === 'progress' && t.at > resumeAt), 20_000, 'progress after resume');
      const progressDuringStall = log.filter((t) => t.signal.type === 'progress' && t.at > stallAt + 1500 && t.at < resumeAt);
      expect(progressDuringStall).toEqual([]);
      const lastBefore = log.filter((t) => t.signal.type === 'progress' && t.at <= stallAt + 1500).at(-1)!;
      // the health deadline is 3 s after media stops: the last progress came well before it
      expect(lastBefore.at).toBeLessThan(stallAt + 1500);
      await waitFor(() => log.some((t) => t.signal.type === 'gap'), 15_000, 'the stall gap');
      const gap = log.find((t) => t.signal.type === 'gap')!.signal as Extract<RecorderSignal, { type: 'gap' }>;
      expect(gap.to - gap.from).toBeGreaterThanOrEqual(3000);
      expect(gap.to - gap.from).toBeLessThanOrEqual(4000 + 6000);
    } finally {
      sub.unsubscribe();
      await recorder.stop();
      cleanup();
    }
  }, 90_000);

  it('indexes the partial segment when ffmpeg is SIGKILLed mid-segment, and reconnects (retrying held-back files)', async () => {
    const { dir, cleanup } = tempDir();
    const { recorder, log, sub, ctx } = await recordOne('cam-f', { root: dir });
    try {
      await waitFor(() => log.filter((t) => t.signal.type === 'segment').length >= 1, 20_000, 'a segment');
      // a file an earlier recovery held back (from a run an hour ago), waiting in .incoming with its journal
      const first = log.find((t) => t.signal.type === 'segment')!.signal as Extract<RecorderSignal, { type: 'segment' }>;
      const heldAt = first.segment.start - 3_600_000;
      copyFileSync(join(dir, first.segment.path), join(dir, 'cam-f', '.incoming', '7-000000.mp4'));
      writeFileSync(join(dir, 'cam-f', '.incoming', '7.json'), JSON.stringify({ anchor: heldAt }));
      await sleep(1200); // mid-segment
      const [pid] = recorder.pids();
      process.kill(pid!, 'SIGKILL');
      await waitFor(() => log.some((t) => t.signal.type === 'connected' && t.at > Date.now() - 60_000 && log.filter((x) => x.signal.type === 'connected').length >= 2), 20_000, 'reconnect');
      await waitFor(() => log.filter((t) => t.signal.type === 'segment').length >= 3, 20_000, 'more segments');
      const all = log.flatMap((t) => (t.signal.type === 'segment' ? [t.signal.segment] : []));
      // the held-back file was placed at its own time when the killed run ended, not at the next start
      expect(all.filter((s) => s.start === heldAt)).toHaveLength(1);
      expect(readdirSync(join(dir, 'cam-f', '.incoming')).filter((n) => n.startsWith('7'))).toEqual([]);
      const segments = all.filter((s) => s.start !== heldAt).sort((a, b) => a.start - b.start);
      // the killed segment was repaired and indexed (about 1 s of media, not lost)
      const partial = segments[1]!;
      expect(partial.end - partial.start).toBeGreaterThan(300);
      expect(partial.end - partial.start).toBeLessThan(2100);
      expect(Math.abs(partial.start - segments[0]!.end)).toBeLessThanOrEqual(100);
      expect(log.filter((t) => t.signal.type === 'disconnected')).toHaveLength(1);
      expect(alive(pid!)).toBe(false);
      expect(await ctx.storage.segments.query('cam-f', { from: 0, to: Date.now() })).not.toHaveLength(0);
    } finally {
      sub.unsubscribe();
      await recorder.stop();
      cleanup();
    }
  }, 90_000);

  it('after a SIGKILL of the station process: its ffmpeg dies too and a restart recovers and indexes what was on disk', async () => {
    const { dir, cleanup } = tempDir();
    const script = fileURLToPath(new URL('./fixtures/record-child.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir, sim.camera('cam-k').rtspUrl.main], {
      cwd: fileURLToPath(new URL('../', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines: Array<{ pids?: number[]; segment?: Segment }> = [];
      createInterface({ input: child.stdout! }).on('line', (line) => {
        try {
          lines.push(JSON.parse(line) as { pids?: number[]; segment?: Segment });
        } catch {
          // not ours
        }
      });
      await waitFor(() => lines.filter((l) => l.segment).length >= 2, 40_000, 'two segments from the child');
      await sleep(1000); // mid-segment
      const ffmpegPids = lines.find((l) => l.pids)!.pids!;
      expect(ffmpegPids.length).toBe(1);
      child.kill('SIGKILL');
      await waitFor(() => ffmpegPids.every((pid) => !alive(pid)), 10_000, 'the orphaned ffmpeg to exit');

      const closedByChild = lines.flatMap((l) => (l.segment ? [l.segment] : []));
      expect(readdirSync(`${dir}/cam-k/.incoming`).filter((f) => f.endsWith('.pipe'))).toHaveLength(1);
      const ctx = makeContext();
      const recorder = createRecorder({ root: dir, segmentSeconds: 2 });
      await recorder.start(ctx);
      await recorder.stop();
      const indexed = await ctx.storage.segments.query('cam-k', { from: 0, to: Date.now() + 1000 });
      // every segment the child closed is indexed again, plus the one it was writing when killed
      for (const s of closedByChild) expect(indexed.map((i) => i.start)).toContain(s.start);
      expect(indexed.length).toBeGreaterThanOrEqual(closedByChild.length + 1);
      const lastClosed = closedByChild.at(-1)!;
      const recovered = indexed.find((s) => s.start >= lastClosed.end - 100)!;
      expect(recovered).toBeDefined();
      expect(recovered.end).toBeGreaterThan(recovered.start);
      expect(recovered.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(ctx.events.filter((e) => e.type === 'segment.closed').length).toBe(indexed.length);
      // the killed run left its report pipe behind; recovery swept it along with the segments
      expect(readdirSync(`${dir}/cam-k/.incoming`).filter((f) => f.endsWith('.mp4') || f.endsWith('.pipe'))).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      cleanup();
    }
  }, 90_000);
});
