import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstValueFrom, lastValueFrom, take, toArray, type Subscription } from 'rxjs';
import type { Simulator } from '@wardwatch/simulator';
import type { ClipEvent, RecorderSignal, Segment } from '@wardwatch/core';
import { createRecorder, probeMedia, resolveFfmpegPath, resolveFfprobePath, type WardwatchRecorder } from '../src/index.js';
import { concatFragmentedMp4 } from '../src/concat-fragmented-mp4.js';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clockDrawtext, clockRegion } from '@wardwatch/simulator';
import { alive, makeContext, makeSession, makeSpec, tempDir } from './helpers.js';
import { startLightSimulator } from './sim-cameras.js';

interface Tagged {
  at: number;
  signal: RecorderSignal;
}

describe('recording three simulator cameras', () => {
  const ids = ['cam-a', 'cam-b', 'cam-c'];
  let sim: Simulator;
  let recorder: WardwatchRecorder;
  const { dir, cleanup } = tempDir();
  const ctx = makeContext();
  const signals = new Map<string, Tagged[]>(ids.map((id) => [id, []]));
  const subs: Subscription[] = [];
  const seenPids = new Set<number>();
  let startedAt = 0;

  beforeAll(async () => {
    sim = await startLightSimulator(ids);
    recorder = createRecorder({ root: dir, segmentSeconds: 2 });
    await recorder.start(ctx);
    startedAt = Date.now();
    for (const id of ids) {
      const cam = sim.camera(id);
      subs.push(
        recorder.record(makeSpec(id), makeSession(cam.rtspUrl.main, cam.rtspUrl.sub)).subscribe((signal) => {
          signals.get(id)!.push({ at: Date.now(), signal });
          if (signal.type === 'segment') void ctx.storage.segments.add(signal.segment);
        }),
      );
    }
    // ~30 s of recording (incl. connecting), noting the ffmpeg pids on the way
    for (let i = 0; i < 56; i++) {
      for (const pid of recorder.pids()) seenPids.add(pid);
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 90_000);

  afterAll(async () => {
    for (const s of subs) s.unsubscribe();
    await recorder?.stop();
    await sim?.stop();
    cleanup();
  }, 60_000);

  const segmentsOf = (id: string): Segment[] =>
    signals.get(id)!.flatMap((t) => (t.signal.type === 'segment' ? [t.signal.segment] : [])).sort((a, b) => a.start - b.start);

  it('connects each camera and reports progress at least every ~1 s while media advances', () => {
    for (const id of ids) {
      const list = signals.get(id)!;
      const connected = list.filter((t) => t.signal.type === 'connected');
      expect(connected).toHaveLength(1);
      const progress = list.filter((t) => t.signal.type === 'progress');
      expect(progress.length).toBeGreaterThan(10);
      for (let i = 1; i < progress.length; i++) expect(progress[i]!.at - progress[i - 1]!.at).toBeLessThan(1600);
      const last = progress.at(-1)!.signal as Extract<RecorderSignal, { type: 'progress' }>;
      expect(last.width).toBe(320);
      expect(last.height).toBe(180);
      expect(list.some((t) => t.signal.type === 'gap' || t.signal.type === 'disconnected')).toBe(false);
    }
  });

  it('writes contiguous, hashed, playable segments named by their UTC start', async () => {
    const ffprobe = resolveFfprobePath();
    for (const id of ids) {
      const segments = segmentsOf(id);
      expect(segments.length).toBeGreaterThanOrEqual(5);
      for (let i = 1; i < segments.length; i++) {
        // no hole beyond one frame interval (100 ms at 10 fps) between consecutive segments
        expect(Math.abs(segments[i]!.start - segments[i - 1]!.end)).toBeLessThanOrEqual(100);
      }
      for (const segment of segments) {
        const iso = new Date(segment.start).toISOString();
        expect(segment.path).toBe(`${id}/${iso.slice(0, 10)}/${iso.slice(11, 13)}/${segment.start}.mp4`);
        const file = join(dir, segment.path);
        const bytes = readFileSync(file);
        expect(bytes.length).toBe(segment.bytes);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(segment.sha256);
        expect(segment.codec).toBe('h264');
        // media start/end match the file's own duration
        const info = await probeMedia(ffprobe, file);
        expect(Math.abs(info.duration * 1000 - (segment.end - segment.start))).toBeLessThanOrEqual(150);
        // and the times are real wall-clock times of this run
        expect(segment.start).toBeGreaterThanOrEqual(startedAt - 1000);
        expect(segment.end).toBeLessThanOrEqual(Date.now() + 500);
      }
      // nothing left in the staging directory but the journal of the running process
      expect(existsSync(join(dir, id, '.incoming'))).toBe(true);
    }
  });

  it('has file times consistent with the burned-in camera clock', () => {
    const ffmpeg = resolveFfmpegPath();
    const simRequire = createRequire(fileURLToPath(new URL('../../simulator/package.json', import.meta.url)));
    const font = join(dirname(simRequire.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf');
    const region = clockRegion(180);
    const crop = (frame: Buffer): Buffer => {
      const out = Buffer.alloc(region.w * region.h);
      for (let y = 0; y < region.h; y++) frame.copy(out, y * region.w, (region.y + y) * 320 + region.x, (region.y + y) * 320 + region.x + region.w);
      return out;
    };
    const gray = (args: string[]): Buffer => {
      const r = spawnSync(ffmpeg, ['-v', 'error', ...args, '-frames:v', '1', '-pix_fmt', 'gray', '-f', 'rawvideo', 'pipe:1'], { maxBuffer: 1 << 20 });
      expect(r.status).toBe(0);
      return r.stdout;
    };
    for (const segment of segmentsOf('cam-a').slice(1, 3)) {
      const offsetMs = 1500;
      const recorded = crop(gray(['-ss', String(offsetMs / 1000), '-i', join(dir, segment.path)]));
      const wall = segment.start + offsetMs;
      const scores = [-3, -2, -1, 0, 1, 2].map((k) => {
        const second = Math.floor(wall / 1000) + k;
        const rendered = crop(gray(['-f', 'lavfi', '-i', 'color=c=black:size=320x180:rate=1', '-vf', clockDrawtext(font, 180, second * 1000)]));
        let diff = 0;
        // compare the glyphs only: pixels brighter than mid-grey (white text on the black box)
        for (let i = 0; i < rendered.length; i++) diff += Number(rendered[i]! > 128 !== recorded[i]! > 128);
        return { k, diff };
      });
      const [best, second] = [...scores].sort((a, b) => a.diff - b.diff);
      // one candidate second matches clearly better than every other
      expect(second!.diff - best!.diff).toBeGreaterThanOrEqual(5);
      // the picture shows the second of capture: the file time (first-packet arrival) is at most ~1 s later
      expect([-1, 0]).toContain(best!.k);
    }
  });

  it('exports a clip across three segments with the requested duration within one GOP', async () => {
    const segments = segmentsOf('cam-a');
    const from = segments[1]!.start + 500;
    const to = segments[3]!.start + 500;
    const events = await lastValueFrom(recorder.exportClip({ cameraId: 'cam-a', from, to }).pipe(toArray()));
    const done = events.at(-1) as Extract<ClipEvent, { type: 'done' }>;
    expect(done.type).toBe('done');
    expect(events.filter((e) => e.type === 'progress').length).toBeGreaterThanOrEqual(1);
    const { result } = done;
    expect(result.segments.map((s) => s.start)).toEqual([segments[1]!.start, segments[2]!.start, segments[3]!.start]);
    expect(result.gaps).toEqual([]);
    const info = await probeMedia(resolveFfprobePath(), result.path);
    expect(Math.abs(info.duration * 1000 - (to - from))).toBeLessThanOrEqual(1000 + 100);
    expect(result.actual.from).toBeLessThanOrEqual(from);
    expect(from - result.actual.from).toBeLessThanOrEqual(1100);
    expect(result.actual.to).toBe(to);
    expect(createHash('sha256').update(readFileSync(result.path)).digest('hex')).toBe(result.sha256);
    // every frame decodes, and the frame count matches the reported range (10 fps)
    const packets = (await probeMedia(resolveFfprobePath(), result.path, { countPackets: true })).videoPackets!;
    expect(Math.abs(packets - (result.actual.to - result.actual.from) / 100)).toBeLessThanOrEqual(1);
    const decode = spawnSync(resolveFfmpegPath(), ['-v', 'error', '-i', result.path, '-f', 'null', '-'], { encoding: 'utf8' });
    expect(decode.status).toBe(0);
    expect(decode.stderr.trim()).toBe('');
  });

  it('joins the recorder segments directly (fragment by fragment), trimming the end to the requested time', async () => {
    const segments = segmentsOf('cam-c');
    const from = segments[0]!.start + 1500;
    const to = segments[2]!.start + 1250;
    const out = join(dir, 'direct.mp4');
    const result = await concatFragmentedMp4(segments.slice(0, 3).map((s) => ({ path: join(dir, s.path), start: s.start })), { from, to }, out);
    expect(result.actualFrom).toBeLessThanOrEqual(from);
    expect(from - result.actualFrom).toBeLessThan(1000); // GOP is 1 s
    expect(Math.abs(result.actualTo - to)).toBeLessThanOrEqual(100); // trimmed to the frame
    const info = await probeMedia(resolveFfprobePath(), out, { countPackets: true });
    expect(Math.abs(info.duration * 1000 - result.durationMs)).toBeLessThanOrEqual(100);
    expect(info.videoPackets).toBe(Math.round(result.durationMs / 100));
    expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe(result.sha256);
  });

  it('cancels a clip export and removes the partial file', async () => {
    const segments = segmentsOf('cam-b');
    const controller = new AbortController();
    const outPath = join(dir, '.exports', 'cancelled.mp4');
    controller.abort();
    await expect(
      lastValueFrom(recorder.exportClip({ cameraId: 'cam-b', from: segments[0]!.start, to: segments.at(-1)!.end, outPath, signal: controller.signal })),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(existsSync(outPath)).toBe(false);
  });

  it('never writes a clip over footage, and a failed export leaves an earlier file of that name alone', async () => {
    const segments = segmentsOf('cam-b');
    const source = join(dir, segments[0]!.path);
    const before = readFileSync(source);
    await expect(lastValueFrom(recorder.exportClip({ cameraId: 'cam-b', from: segments[0]!.start, to: segments[1]!.end, outPath: source }))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(readFileSync(source).equals(before)).toBe(true);
    const earlier = join(dir, '.exports', 'earlier.mp4');
    mkdirSync(dirname(earlier), { recursive: true });
    writeFileSync(earlier, 'an earlier clip');
    await expect(lastValueFrom(recorder.exportClip({ cameraId: 'cam-b', from: 1000, to: 5000, outPath: earlier }))).rejects.toMatchObject({ code: 'RECORDING_UNAVAILABLE' });
    expect(readFileSync(earlier, 'utf8')).toBe('an earlier clip');
    await expect(lastValueFrom(recorder.exportClip({ cameraId: '../../etc', from: 1000, to: 5000 }))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('unsubscribing stops a clip export and leaves no file behind', async () => {
    const segments = segmentsOf('cam-b');
    const outPath = join(dir, '.exports', 'abandoned.mp4');
    recorder.exportClip({ cameraId: 'cam-b', from: segments[0]!.start, to: segments.at(-1)!.end, outPath }).subscribe().unsubscribe();
    await new Promise((r) => setTimeout(r, 1500));
    expect(existsSync(outPath)).toBe(false);
    expect(readdirSync(join(dir, '.exports')).filter((n) => n.startsWith('abandoned.mp4'))).toEqual([]);
  });

  it('refuses a clip where nothing was recorded', async () => {
    await expect(lastValueFrom(recorder.exportClip({ cameraId: 'cam-a', from: 1000, to: 5000 }))).rejects.toMatchObject({ code: 'RECORDING_UNAVAILABLE' });
  });

  it('decodes gray analysis frames from the sub stream and grabs a JPEG snapshot', async () => {
    const frames = await firstValueFrom(recorder.frames('cam-b', { width: 160, height: 90, fps: 5, format: 'gray' }).pipe(take(3), toArray()));
    expect(frames).toHaveLength(3);
    for (const frame of frames) {
      expect(frame.data.length).toBe(160 * 90);
      expect(frame.cameraId).toBe('cam-b');
    }
    // a real picture, not a flat buffer
    expect(new Set(frames[0]!.data).size).toBeGreaterThan(10);
    const jpeg = await recorder.snapshot('cam-c');
    expect(jpeg[0]).toBe(0xff);
    expect(jpeg[1]).toBe(0xd8);
    await expect(recorder.snapshot('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('stops every ffmpeg it started', async () => {
    expect(seenPids.size).toBeGreaterThanOrEqual(3);
    for (const s of subs) s.unsubscribe();
    subs.length = 0;
    await recorder.stop();
    expect(recorder.pids()).toEqual([]);
    for (const pid of seenPids) expect(alive(pid)).toBe(false);
    // the final segments of each camera were delivered to the index on the way out
    for (const id of ids) {
      const indexed = await ctx.storage.segments.query(id, { from: 0, to: Date.now() + 1000 });
      expect(indexed.length).toBeGreaterThanOrEqual(segmentsOf(id).length);
    }
  });
});
