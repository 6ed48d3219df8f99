import { describe, expect, it } from 'vitest';
import { asyncScheduler, VirtualTimeScheduler, type Subscription } from 'rxjs';
import type { Frame } from '@wardwatch/core';
import { decodeFrames } from '../src/decode-frames.js';
import { createRecorder } from '../src/index.js';
import { createFakeRunner } from './fake-runner.js';
import { makeContext, makeSession, makeSpec, tempDir, waitFor } from './helpers.js';
import { startLightSimulator } from './sim-cameras.js';

const caps = Promise.resolve({ path: '/fake/ffmpeg', version: 'fake', rtspTimeoutOption: 'timeout' as const });

describe('frames() back-pressure', () => {
  it('delivers only the newest complete frame of what has piled up and carries a partial frame over (fake decoder)', async () => {
    const runner = createFakeRunner();
    const got: Frame[] = [];
    const sub = decodeFrames({ cameraId: 'cam-f', uri: 'rtsp://x/y', streamPolicy: { cameraHost: 'x' }, ffmpegPath: '/fake/ffmpeg', capabilities: caps, runner, clock: asyncScheduler, transport: 'tcp', socketTimeoutMs: 1000, options: { width: 4, height: 2, fps: 5, format: 'gray' } }).subscribe((f) => got.push(f));
    try {
      await waitFor(() => runner.spawned.length === 1, 5000, 'decoder spawn');
      const proc = runner.spawned[0]!;
      const frame = (n: number) => Buffer.alloc(8, n);
      // ten frames arrive in one read (the consumer was behind): one delivery, frame 9
      proc.stdout.write(Buffer.concat(Array.from({ length: 10 }, (_, i) => frame(i))));
      await waitFor(() => got.length === 1, 2000, 'first delivery');
      expect([...got[0]!.data]).toEqual([...frame(9)]);
      // two and a half frames: frame 11 delivered, half of frame 12 kept for the next read
      proc.stdout.write(Buffer.concat([frame(10), frame(11), frame(12).subarray(0, 4)]));
      await waitFor(() => got.length === 2, 2000, 'second delivery');
      expect([...got[1]!.data]).toEqual([...frame(11)]);
      proc.stdout.write(frame(12).subarray(4));
      await waitFor(() => got.length === 3, 2000, 'third delivery');
      expect([...got[2]!.data]).toEqual([...frame(12)]);
      // a flood of 50,000 frames in large reads: one delivery per read, never a queue
      for (let chunk = 0; chunk < 50; chunk++) proc.stdout.write(Buffer.concat(Array.from({ length: 1000 }, (_, i) => frame((chunk * 1000 + i) % 256))));
      await waitFor(() => got.length >= 4 && got.at(-1)!.data[0] === (49_999 % 256), 5000, 'newest of the flood');
      expect(got.length).toBeLessThanOrEqual(3 + 50);
      expect(got.every((f) => f.width === 4 && f.height === 2 && f.data.length === 8)).toBe(true);
    } finally {
      sub.unsubscribe();
    }
  });

  it('backs off while the decoder brings no frame, and stop() of the recorder ends every frame stream', async () => {
    const clock = new VirtualTimeScheduler();
    const runner = createFakeRunner((proc) => queueMicrotask(() => proc.exit(1, null, ['Connection refused'])));
    const spawnedAt: number[] = [];
    const sub = decodeFrames({ cameraId: 'cam-off', uri: 'rtsp://x/y', streamPolicy: { cameraHost: 'x' }, ffmpegPath: '/fake/ffmpeg', capabilities: caps, runner, clock, transport: 'tcp', socketTimeoutMs: 1000, options: { width: 4, height: 2 } }).subscribe();
    try {
      for (let run = 1; run <= 6; run++) {
        await waitFor(() => runner.spawned.length === run && clock.actions.length > 0, 5000, `decoder run ${run}`);
        spawnedAt.push(clock.frame);
        clock.maxFrames = clock.actions[0]!.delay;
        clock.flush();
      }
      const delays = spawnedAt.slice(1).map((t, i) => t - spawnedAt[i]!);
      expect(delays).toEqual([2000, 4000, 8000, 16_000, 30_000]);
    } finally {
      sub.unsubscribe();
    }

    const { dir, cleanup } = tempDir();
    const fake = createFakeRunner();
    const recorder = createRecorder({ root: dir, runner: fake });
    try {
      await recorder.start(makeContext());
      const rec = recorder.record(makeSpec('cam-f2'), makeSession('rtsp://127.0.0.1:9/main', 'rtsp://127.0.0.1:9/sub')).subscribe();
      let completed = false;
      recorder.frames('cam-f2', { width: 4, height: 2 }).subscribe({ complete: () => (completed = true) });
      await waitFor(() => fake.spawned.some((p) => p.args.includes('rawvideo')), 5000, 'decoder spawn');
      await recorder.stop();
      rec.unsubscribe();
      expect(completed).toBe(true);
      const spawned = fake.spawned.length;
      await new Promise((r) => setTimeout(r, 2500));
      expect(fake.spawned.length).toBe(spawned); // no decoder restarted after stop()
    } finally {
      await recorder.stop();
      cleanup();
    }
  });

  it('drops frames for a slow consumer, keeps memory flat and delivers increasing times (real ffmpeg)', async () => {
    const sim = await startLightSimulator(['cam-slow']);
    const { dir, cleanup } = tempDir();
    const recorder = createRecorder({ root: dir, segmentSeconds: 5 });
    let rec: Subscription | undefined;
    let frames: Subscription | undefined;
    try {
      await recorder.start(makeContext());
      rec = recorder.record(makeSpec('cam-slow'), makeSession(sim.camera('cam-slow').rtspUrl.main, sim.camera('cam-slow').rtspUrl.sub)).subscribe();
      const got: Array<{ at: number; bytes: number }> = [];
      const FPS = 10;
      const SLOW_MS = 300;
      let slow = true;
      // small frames (64x36 gray = 2.3 kB): the pipe never fills, so ffmpeg is never held back and whatever
      // piles up while the consumer is busy is the recorder's to drop (or, wrongly, to queue)
      frames = recorder.frames('cam-slow', { width: 64, height: 36, fps: FPS, format: 'gray' }).subscribe((f) => {
        got.push({ at: f.at, bytes: f.data.length });
        if (!slow) return;
        const until = Date.now() + SLOW_MS;
        while (Date.now() < until) {
          // a deliberately slow, synchronous consumer (about three frame intervals per frame)
        }
      });
      await waitFor(() => got.length >= 2, 30_000, 'first frames');
      const rssStart = process.memoryUsage().rss;
      const countStart = got.length;
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 5000));
      const slowDelivered = got.length - countStart;
      slow = false; // the consumer catches up: a queue would now burst out every frame it held
      const fastStart = got.length;
      await new Promise((r) => setTimeout(r, 2000));
      const elapsedS = (Date.now() - t0) / 1000;
      const fastDelivered = got.length - fastStart;
      const total = got.length - countStart;
      const rssGrowthMb = (process.memoryUsage().rss - rssStart) / 1024 / 1024;
      expect(slowDelivered).toBeGreaterThan(3);
      // after the slow phase the rate is the decoder's (~10/s), with no backlog: ~20 in 2 s, not 20 + ~35 held ones
      expect(fastDelivered).toBeGreaterThan(5);
      expect(fastDelivered).toBeLessThanOrEqual(2 * FPS + 6);
      // frames made while the consumer was busy were dropped: far fewer deliveries than frames decoded
      expect(total).toBeLessThan(elapsedS * FPS * 0.75);
      expect(rssGrowthMb).toBeLessThan(40);
      for (let i = 1; i < got.length; i++) expect(got[i]!.at).toBeGreaterThan(got[i - 1]!.at);
      expect(got.every((g) => g.bytes === 64 * 36)).toBe(true);
    } finally {
      frames?.unsubscribe();
      rec?.unsubscribe();
      await recorder.stop();
      expect(recorder.pids()).toEqual([]);
      await sim.stop();
      cleanup();
    }
  });
});
