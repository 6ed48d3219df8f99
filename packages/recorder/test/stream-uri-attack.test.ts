import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { asyncScheduler, firstValueFrom, lastValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, WardwatchError, type RecorderSignal } from '@wardwatch/core';
import { decodeFrames } from '../src/decode-frames.js';
import { grabSnapshot } from '../src/grab-snapshot.js';
import { createProcessRunner, createRecorder, detectCapabilities } from '../src/index.js';
import { buildRecordArgs, rtspInputOptions } from '../src/record-command.js';
import { ffmpegBuilds } from './ffmpeg-builds.js';
import { makeContext, makeSession, makeSpec, tempDir } from './helpers.js';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A playable MP4 where another camera's recordings live (what the rogue camera points at). */
function otherCameraSegment(root: string): string {
  const dir = join(root, 'cam-a', '2026-01-10', '08');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, '1768032000000.mp4');
  execFileSync(ffmpegBuilds()[0]!, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=5', '-t', '3', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-g', '5', '-y', path]);
  return path;
}

const mp4sUnder = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.mp4')) : [];

async function refusal(promise: Promise<unknown>): Promise<WardwatchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WardwatchError);
  expect((error as WardwatchError).code).toBe('CAMERA_STREAM_REFUSED');
  return error as WardwatchError;
}

describe('attack: a rogue camera points the recorder at local files (issue 24 #1)', () => {
  it('a file: stream URI is neither recorded, snapshotted nor decoded, and no ffmpeg reads it', async () => {
    const { dir: root, cleanup } = tempDir();
    cleanups.push(cleanup);
    const victim = otherCameraSegment(root);
    const recorder = createRecorder({ root, segmentSeconds: 1 });
    const ctx = makeContext();
    await recorder.start(ctx);
    cleanups.push(() => recorder.stop());
    const rogue = makeSession(`file:${victim}`, `file:${victim}`);
    const signals: RecorderSignal[] = [];
    const recorded = new Promise<unknown>((resolve, reject) => {
      recorder.record(makeSpec('cam-b'), rogue).subscribe({ next: (s) => signals.push(s), error: reject, complete: () => resolve(undefined) });
    });
    const error = await refusal(recorded);
    expect(JSON.stringify(error.toJSON())).not.toContain('1768032000000');
    // the refused camera is not known to snapshot()/frames() of the recorder...
    await expect(recorder.snapshot('cam-b')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // ...and the snapshot and frame paths refuse the URI themselves too
    const ffmpegPath = ffmpegBuilds()[0]!;
    const capabilities = await detectCapabilities(ffmpegPath);
    const policy = { cameraHost: '127.0.0.1' };
    const runner = createProcessRunner();
    cleanups.push(() => runner.dispose(1000));
    await refusal(grabSnapshot({ session: rogue, streamPolicy: policy, ffmpegPath, capabilities, runner, transport: 'tcp', socketTimeoutMs: 2000, logger: silentLogger }));
    await refusal(firstValueFrom(decodeFrames({ cameraId: 'cam-b', uri: `file:${victim}`, streamPolicy: policy, ffmpegPath, capabilities: Promise.resolve(capabilities), runner, clock: asyncScheduler, transport: 'tcp', socketTimeoutMs: 2000, options: {} })));
    expect(runner.pids()).toEqual([]);
    // give a wrongly started process the time to copy something
    await new Promise((r) => setTimeout(r, 1500));
    expect(signals.filter((s) => s.type === 'segment' || s.type === 'connected')).toEqual([]);
    expect(mp4sUnder(join(root, 'cam-b'))).toEqual([]);
    expect(await ctx.storage.segments.query('cam-b', { from: 0, to: Date.now() + 1 })).toEqual([]);
    expect(recorder.pids()).toEqual([]);
  }, 60_000);

  it('a stream on another host than the camera is refused unless the admin allowed that host', async () => {
    const { dir: root, cleanup } = tempDir();
    cleanups.push(cleanup);
    const recorder = createRecorder({ root });
    await recorder.start(makeContext());
    cleanups.push(() => recorder.stop());
    const elsewhere = makeSession('rtsp://admin:s3cret@127.0.0.1:9/metadata');
    const spec = makeSpec('cam-h', { connection: { host: '10.20.30.40' } });
    const error = await refusal(lastValueFrom(recorder.record(spec, elsewhere)));
    expect(JSON.stringify(error.toJSON())).not.toContain('s3cret');
    // allowed (an NVR): the recording starts (and fails to connect, which is not a refusal)
    const allowed = makeSpec('cam-n', { connection: { host: '10.20.30.40', streamHosts: ['127.0.0.1'] } });
    const sub = recorder.record(allowed, elsewhere).subscribe({ error: () => undefined });
    cleanups.push(() => sub.unsubscribe());
    await new Promise((r) => setTimeout(r, 500));
    expect(sub.closed).toBe(false);
  }, 30_000);

  it('every build refuses to open a file through the camera input options (-protocol_whitelist), recording and snapshot alike', async () => {
    const { dir: root, cleanup } = tempDir();
    cleanups.push(cleanup);
    const victim = otherCameraSegment(root);
    const builds = ffmpegBuilds();
    expect(builds.length).toBeGreaterThanOrEqual(1);
    for (const ffmpeg of builds) {
      const capabilities = await detectCapabilities(ffmpeg);
      const out = join(root, `out-${builds.indexOf(ffmpeg)}`);
      mkdirSync(out, { recursive: true });
      const record = buildRecordArgs({ inputUri: `file:${victim}`, transport: 'tcp', socketTimeoutMs: 2000, segmentSeconds: 1, segmentPattern: join(out, '%06d.mp4'), reportPath: join(out, 'report.txt'), includeAudio: false, capabilities });
      const recording = spawnSync(ffmpeg, record, { encoding: 'utf8', timeout: 20_000 });
      expect(recording.status, capabilities.version).not.toBe(0);
      expect(recording.stderr).toMatch(/not on whitelist/);
      expect(mp4sUnder(out)).toEqual([]);
      const snapshot = spawnSync(ffmpeg, ['-hide_banner', ...rtspInputOptions(victim, 'tcp', 2000, capabilities), '-i', victim, '-frames:v', '1', '-f', 'image2', '-c:v', 'mjpeg', 'pipe:1'], { timeout: 20_000 });
      expect(snapshot.status, capabilities.version).not.toBe(0);
      expect(snapshot.stdout.length).toBe(0);
    }
  }, 60_000);
});
