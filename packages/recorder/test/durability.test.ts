import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastValueFrom } from 'rxjs';
import { createMemoryStorage, hashFile, silentLogger } from '@wardwatch/core';
import { indexOfCall, traceSyscalls } from '../../core/test/helpers/trace-syscalls.js';
import { resolveFfmpegPath, resolveFfprobePath } from '../src/ffmpeg-binaries.js';
import { exportClip } from '../src/export-clip.js';
import { createProcessRunner } from '../src/process-runner.js';
import { recoverIncoming } from '../src/recover-segments.js';
import { createSegmentFinisher } from '../src/segment-finisher.js';
import { segmentRelativePath } from '../src/segment-path.js';
import { tempDir } from './helpers.js';

// Power loss: what the recorder reports as closed (and the index then records) must be on the disk first. strace
// shows, in the kernel's order, the fsyncs and renames of the worker thread and of libuv's pool.
describe('durability: fsync before a segment is acknowledged', () => {
  const tmp = tempDir('ww-durable-');
  const runner = createProcessRunner();
  let sample = '';
  beforeAll(() => {
    sample = join(tmp.dir, 'sample.mp4');
    execFileSync(resolveFfmpegPath(), [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=10', '-t', '2', '-c:v', 'libx264', '-preset', 'ultrafast',
      '-g', '10', '-pix_fmt', 'yuv420p', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', sample,
    ]);
  }, 60_000);
  afterAll(async () => {
    await runner.dispose();
    tmp.cleanup();
  });

  it('the finisher flushes the segment, then its new folders, then the journal (temp, fsync, rename, folder), before reporting done', async () => {
    const root = join(tmp.dir, 'finish');
    const incoming = join(root, 'cam-f', '.incoming');
    mkdirSync(incoming, { recursive: true });
    const src = join(incoming, '7-000000.mp4');
    copyFileSync(sample, src);
    const dest = join(root, segmentRelativePath('cam-f', Date.UTC(2026, 0, 2, 3)));
    const journalPath = join(incoming, '7.json');
    const finisher = createSegmentFinisher();
    try {
      const { result, calls } = await traceSyscalls(root, () => finisher.finish({ src, dest, journalPath, journalText: '{"anchor":1}' }));
      expect(result.type).toBe('done');
      const fileSync = indexOfCall(calls, 'fsync', src);
      const move = indexOfCall(calls, 'rename', src, dest);
      expect(fileSync).toBeGreaterThanOrEqual(0);
      expect(move).toBeGreaterThan(fileSync);
      // every folder whose entries changed: the new day and hour folders' parents, and the segment's own folder
      for (let d = dirname(dest); d !== join(root, 'cam-f'); d = dirname(d)) {
        expect(indexOfCall(calls, 'fsync', d), d).toBeGreaterThan(move);
      }
      expect(indexOfCall(calls, 'fsync', join(root, 'cam-f'))).toBeGreaterThan(move);
      const journalSync = indexOfCall(calls, 'fsync', `${journalPath}.tmp`);
      const journalMove = indexOfCall(calls, 'rename', `${journalPath}.tmp`, journalPath);
      expect(journalSync).toBeGreaterThan(move);
      expect(journalMove).toBeGreaterThan(journalSync);
      expect(calls.findLastIndex((c) => c.call === 'fsync' && c.paths[0] === incoming)).toBeGreaterThan(journalMove);
    } finally {
      await finisher.close();
    }
  });

  it('recovery flushes a repaired segment before placing it, and the folder and journal after', async () => {
    const root = join(tmp.dir, 'recover');
    const incoming = join(root, 'cam-r', '.incoming');
    mkdirSync(incoming, { recursive: true });
    copyFileSync(sample, join(incoming, '100-000000.mp4'));
    const T0 = Date.UTC(2026, 2, 1, 6);
    writeFileSync(join(incoming, '100.json'), JSON.stringify({ anchor: T0 }));
    const tools = { root, ffmpegPath: resolveFfmpegPath(), ffprobePath: resolveFfprobePath(), runner, logger: silentLogger };
    const { result, calls } = await traceSyscalls(root, () => recoverIncoming(tools, 'cam-r'));
    expect(result).toHaveLength(1);
    const dest = join(root, result[0]!.path);
    const move = calls.findIndex((c) => c.call === 'rename' && c.paths[1] === dest);
    expect(move).toBeGreaterThan(0);
    expect(calls[move - 1]).toEqual({ call: 'fsync', paths: [join(incoming, '100-000000.mp4.placed.json')] });
    expect(indexOfCall(calls, 'fsync', calls[move]!.paths[0]!)).toBeLessThan(move); // the repaired copy itself
    expect(indexOfCall(calls, 'fsync', dirname(dest))).toBeGreaterThan(move);
    const journalMove = indexOfCall(calls, 'rename', join(incoming, '100.json.tmp'), join(incoming, '100.json'));
    expect(journalMove).toBeGreaterThan(move);
    expect(calls.findLastIndex((c) => c.call === 'fsync' && c.paths[0] === incoming)).toBeGreaterThan(journalMove);
  }, 30_000);

  it('a clip is flushed before it gets its name, and its folder after', async () => {
    const root = join(tmp.dir, 'clip');
    const T0 = Date.UTC(2026, 2, 1, 7);
    const rel = segmentRelativePath('cam-c', T0);
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    copyFileSync(sample, join(root, rel));
    const storage = createMemoryStorage();
    await storage.segments.addMany([{ cameraId: 'cam-c', start: T0, end: T0 + 2000, path: rel, codec: 'h264', ...(await hashFile(join(root, rel))) }]);
    const outPath = join(tmp.dir, 'clips', 'out.mp4');
    const request = { cameraId: 'cam-c', from: T0, to: T0 + 2000, outPath };
    const config = { request, root, exportDir: join(root, 'exports'), segments: storage.segments, ffmpegPath: resolveFfmpegPath(), ffprobePath: resolveFfprobePath(), runner, logger: silentLogger };
    const { result, calls } = await traceSyscalls(tmp.dir, () => lastValueFrom(exportClip(config)));
    expect(result.type).toBe('done');
    const move = calls.findIndex((c) => c.call === 'rename' && c.paths[1] === outPath);
    expect(move).toBeGreaterThan(0);
    expect(indexOfCall(calls, 'fsync', calls[move]!.paths[0]!)).toBeLessThan(move);
    expect(indexOfCall(calls, 'fsync', dirname(outPath))).toBeGreaterThan(move);
    await storage.close();
  }, 30_000);
});
