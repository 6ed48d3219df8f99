import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { createRecorderContext, createMemoryStorage, silentLogger, systemClock, type Segment } from '@wardwatch/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatFragmentedMp4 } from '../src/concat-fragmented-mp4.js';
import { createRecorder } from '../src/create-recorder.js';
import { segmentRelativePath } from '../src/segment-path.js';
import { resolveFfmpegPath, resolveFfprobePath } from '../src/ffmpeg-binaries.js';
import { probeMedia } from '../src/probe-media.js';
import { tempDir } from './helpers.js';

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The top-level boxes of an MP4 file (32-bit sizes only, as ffmpeg writes fragmented MP4). */
function topBoxes(buf: Buffer): Array<{ type: string; offset: number; size: number }> {
  const boxes: Array<{ type: string; offset: number; size: number }> = [];
  for (let at = 0; at + 8 <= buf.length; ) {
    const size = buf.readUInt32BE(at);
    boxes.push({ type: buf.toString('latin1', at + 4, at + 8), offset: at, size });
    at += size;
  }
  return boxes;
}

/** A copy of `buf` where one box has another type (a fragment whose media cannot be read). */
function renameBox(buf: Buffer, box: { offset: number }, type: string): Buffer {
  const copy = Buffer.from(buf);
  copy.write(type, box.offset + 4, 'latin1');
  return copy;
}

/** Writes a changed copy of the file at `path` beside it and returns its path. */
function damaged(path: string, tag: string, change: (buf: Buffer) => Buffer): string {
  const out = `${path}.${tag}.mp4`;
  writeFileSync(out, change(readFileSync(path)));
  return out;
}

/** Four 4 s fragmented segments like the recorder writes (10 fps, GOP 1 s), plus one plain MP4. */
describe('concatFragmentedMp4 (single-pass join with in-stream SHA-256)', () => {
  const tmp = tempDir('ww-concat-');
  const T0 = Date.UTC(2026, 0, 1, 8);
  let inputs: Array<{ path: string; start: number }> = [];
  let plain = '';

  beforeAll(() => {
    const ffmpeg = resolveFfmpegPath();
    execFileSync(ffmpeg, [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=10', '-t', '16', '-c:v', 'libx264', '-preset', 'ultrafast',
      '-g', '10', '-pix_fmt', 'yuv420p', '-f', 'segment', '-segment_time', '4', '-reset_timestamps', '1', '-segment_format', 'mp4',
      '-segment_format_options', 'movflags=+frag_keyframe+empty_moov+default_base_moof', join(tmp.dir, 'seg-%02d.mp4'),
    ]);
    inputs = [0, 1, 2, 3].map((i) => ({ path: join(tmp.dir, `seg-0${i}.mp4`), start: T0 + i * 4000 }));
    for (const input of inputs) expect(existsSync(input.path)).toBe(true);
    plain = join(tmp.dir, 'plain.mp4');
    execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=10', '-t', '2', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-pix_fmt', 'yuv420p', '-y', plain]);
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it('writes a playable clip whose SHA-256 and size are those of the bytes on disk, cut on a keyframe and trimmed', async () => {
    const from = T0 + 2550;
    const to = T0 + 13_250;
    const out = join(tmp.dir, 'clip.mp4');
    const progress: number[] = [];
    const result = await concatFragmentedMp4(inputs, { from, to }, out, (ratio) => progress.push(ratio));
    expect(result.bytes).toBe(statSync(out).size);
    expect(result.sha256).toBe(sha256(out));
    expect(result.actualFrom).toBe(T0 + 2000); // the keyframe at or before `from` (GOP 1 s)
    expect(Math.abs(result.actualTo - to)).toBeLessThanOrEqual(100);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.every((r, i) => r <= 0.99 && (i === 0 || r >= progress[i - 1]!))).toBe(true);
    const info = await probeMedia(resolveFfprobePath(), out, { countPackets: true });
    expect(Math.abs(info.duration * 1000 - (result.actualTo - result.actualFrom))).toBeLessThanOrEqual(100);
    expect(info.videoPackets).toBe(Math.round(result.durationMs / 100));
    const decode = spawnSync(resolveFfmpegPath(), ['-v', 'error', '-i', out, '-f', 'null', '-'], { encoding: 'utf8' });
    expect(decode.status).toBe(0);
    expect(decode.stderr.trim()).toBe('');
  });

  it('produces the same bytes whatever the read and write sizes (reads split inside fragments, many small writes)', async () => {
    const range = { from: T0 + 1000, to: T0 + 15_500 };
    const big = await concatFragmentedMp4(inputs, range, join(tmp.dir, 'big-io.mp4'));
    const small = await concatFragmentedMp4(inputs, range, join(tmp.dir, 'small-io.mp4'), undefined, undefined, { readSpan: 4096 + 7, writeBatch: 1000 });
    expect(small).toEqual(big);
    expect(sha256(join(tmp.dir, 'small-io.mp4'))).toBe(big.sha256);
    // the media data of the whole segments is copied byte for byte: every input payload appears in the output
    const output = readFileSync(join(tmp.dir, 'big-io.mp4'));
    const second = readFileSync(inputs[1]!.path);
    const mdat = second.indexOf('mdat', 0, 'latin1');
    const payload = second.subarray(mdat + 4, mdat + 4 + 2048);
    expect(output.indexOf(payload)).toBeGreaterThan(0);
  });

  it('never shows the same moments twice when segments overlap', async () => {
    // the second segment claims to start 2 s early: its first two fragments repeat the end of the first segment
    const overlapping = [inputs[0]!, { ...inputs[1]!, start: T0 + 2000 }, inputs[2]!];
    const result = await concatFragmentedMp4(overlapping, { from: T0, to: T0 + 10_000 }, join(tmp.dir, 'overlap.mp4'));
    // 0-4 s from the first, 4-6 s from the second (its 2-4 s left out), 8-10 s from the third
    expect(Math.abs(result.durationMs - 8000)).toBeLessThanOrEqual(100);
    expect(result.sha256).toBe(sha256(join(tmp.dir, 'overlap.mp4')));
    // 6-8 s lies between two files: that is the index's gap to report, not a hole in a file
    expect(result.holes).toEqual([]);
  });

  it('reports fragments lost inside segments as holes and keeps the true times of the fragments after them', async () => {
    // the first fragment of the second segment (4-5 s) and the third of the third segment (10-11 s) are unreadable
    const second = damaged(inputs[1]!.path, 'no-first', (b) => renameBox(b, topBoxes(b).filter((x) => x.type === 'mdat')[0]!, 'free'));
    const third = damaged(inputs[2]!.path, 'no-third', (b) => renameBox(b, topBoxes(b).filter((x) => x.type === 'mdat')[2]!, 'free'));
    const out = join(tmp.dir, 'holes.mp4');
    const result = await concatFragmentedMp4([inputs[0]!, { ...inputs[1]!, path: second }, { ...inputs[2]!, path: third }, inputs[3]!], { from: T0, to: T0 + 16_000 }, out);
    expect(result.holes.map((h) => [h.from - T0, h.to - T0])).toEqual([[4000, 5000], [10_000, 11_000]]);
    expect(Math.abs(result.durationMs - 14_000)).toBeLessThanOrEqual(100);
    expect(result.actualFrom).toBe(T0);
    expect(Math.abs(result.actualTo - (T0 + 16_000))).toBeLessThanOrEqual(100);
    expect(result.sha256).toBe(sha256(out));
    const decode = spawnSync(resolveFfmpegPath(), ['-v', 'error', '-i', out, '-f', 'null', '-'], { encoding: 'utf8' });
    expect(decode.status).toBe(0);
  });

  it('keeps true times when a file\'s first moof is lost, and takes a moof that cannot be parsed for a lost fragment', async () => {
    // the first moof of the fourth file renamed (its time, 12-13 s, is lost); the second moof of the first file damaged
    const headless = damaged(inputs[3]!.path, 'no-moof', (b) => renameBox(b, topBoxes(b).filter((x) => x.type === 'moof')[0]!, 'skip'));
    const broken = damaged(inputs[0]!.path, 'bad-moof', (b) => {
      const copy = Buffer.from(b);
      const moof = topBoxes(copy).filter((x) => x.type === 'moof')[1]!;
      copy.write('xxxx', copy.indexOf('trun', moof.offset, 'latin1'), 'latin1');
      return copy;
    });
    const files = [{ ...inputs[0]!, path: broken }, inputs[1]!, inputs[2]!, { ...inputs[3]!, path: headless }].map((input) => ({ ...input, end: input.start + 4000 }));
    const out = join(tmp.dir, 'moof-damage.mp4');
    const result = await concatFragmentedMp4(files, { from: T0, to: T0 + 16_000 }, out);
    expect(result.holes.map((h) => [h.from - T0, h.to - T0])).toEqual([[1000, 2000], [12_000, 13_000]]);
    expect(Math.abs(result.actualTo - (T0 + 16_000))).toBeLessThanOrEqual(100);
    expect(Math.abs(result.durationMs - 14_000)).toBeLessThanOrEqual(100);
    expect(result.sha256).toBe(sha256(out));
  });

  it('reports media missing at the end of a file (by its indexed end) and a stall inside a fragment, and no hole in whole files', async () => {
    const withEnds = inputs.map((input) => ({ ...input, end: input.start + 4000 }));
    const whole = await concatFragmentedMp4(withEnds, { from: T0, to: T0 + 16_000 }, join(tmp.dir, 'whole.mp4'));
    expect(whole.holes).toEqual([]);
    // the third file cut after its second fragment (a crash): 10-12 s are missing
    const cut = damaged(inputs[2]!.path, 'cut', (b) => b.subarray(0, topBoxes(b).filter((x) => x.type === 'moof')[2]!.offset));
    const truncated = await concatFragmentedMp4(withEnds.map((input, i) => (i === 2 ? { ...input, path: cut } : input)), { from: T0, to: T0 + 16_000 }, join(tmp.dir, 'cut.mp4'));
    expect(truncated.holes.map((h) => [h.from - T0, h.to - T0])).toEqual([[10_000, 12_000]]);
    // a camera that stopped sending for 3 s after its second second (the frames after it are 3 s late)
    const stalled = join(tmp.dir, 'stalled.mp4');
    execFileSync(resolveFfmpegPath(), [
      '-hide_banner', '-loglevel', 'error', '-t', '4', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=10', '-vf', "setpts='PTS+gte(T,2.05)*3/TB'", '-vsync', 'passthrough',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-pix_fmt', 'yuv420p', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', '-y', stalled,
    ]);
    const result = await concatFragmentedMp4([{ path: stalled, start: T0, end: T0 + 7000 }], { from: T0, to: T0 + 7000 }, join(tmp.dir, 'stall-clip.mp4'));
    expect(result.holes).toHaveLength(1);
    expect(Math.abs(result.holes[0]!.from - (T0 + 2100))).toBeLessThanOrEqual(150);
    expect(Math.abs(result.holes[0]!.to - (T0 + 5100))).toBeLessThanOrEqual(150);
  });

  it('joins fragments whose mdat has a 64-bit size header, byte for byte like the ordinary ones', async () => {
    const range = { from: T0 + 1000, to: T0 + 11_000 };
    const plainClip = await concatFragmentedMp4(inputs.slice(0, 3), range, join(tmp.dir, 'mdat32.mp4'));
    // the second fragment of the second segment rewritten with a 16-byte mdat header (size 1 + 64-bit size)
    const wide = damaged(inputs[1]!.path, 'mdat64', (b) => {
      const boxes = topBoxes(b);
      const mdatIndex = boxes.findIndex((x, i) => x.type === 'mdat' && boxes.slice(0, i).filter((y) => y.type === 'mdat').length === 1);
      const moof = boxes[mdatIndex - 1]!;
      const mdat = boxes[mdatIndex]!;
      const head = Buffer.from(b.subarray(0, mdat.offset));
      const trun = head.indexOf('trun', moof.offset, 'latin1');
      head.writeInt32BE(head.readInt32BE(trun + 12) + 8, trun + 12); // trun data offset: past the longer header
      const wideHeader = Buffer.alloc(16);
      wideHeader.writeUInt32BE(1, 0);
      wideHeader.write('mdat', 4, 'latin1');
      wideHeader.writeBigUInt64BE(BigInt(mdat.size + 8), 8);
      return Buffer.concat([head, wideHeader, b.subarray(mdat.offset + 8)]);
    });
    const wideClip = await concatFragmentedMp4([inputs[0]!, { ...inputs[1]!, path: wide }, inputs[2]!], range, join(tmp.dir, 'mdat64.mp4'));
    expect(wideClip.sha256).toBe(plainClip.sha256);
    expect(wideClip.bytes).toBe(plainClip.bytes);
    expect(wideClip.holes).toEqual([]);
  });

  it('exportClip reports the holes found in the files together with the gaps of the index', async () => {
    const root = join(tmp.dir, 'recordings');
    const storage = createMemoryStorage();
    // segments at 0, 4 and 8 s (the third missing its 10-11 s fragment), then one at 14 s: the index has 12-14 s as a gap
    const third = damaged(inputs[2]!.path, 'export-hole', (b) => renameBox(b, topBoxes(b).filter((x) => x.type === 'mdat')[2]!, 'free'));
    const files = [inputs[0]!.path, inputs[1]!.path, third, inputs[3]!.path];
    const starts = [0, 4000, 8000, 14_000].map((t) => T0 + t);
    const segments: Segment[] = files.map((file, i) => {
      const path = segmentRelativePath('cam-h', starts[i]!);
      mkdirSync(dirname(join(root, path)), { recursive: true });
      copyFileSync(file, join(root, path));
      return { cameraId: 'cam-h', start: starts[i]!, end: starts[i]! + 4000, path, bytes: statSync(file).size, codec: 'h264', sha256: sha256(file) };
    });
    await storage.segments.addMany(segments);
    const recorder = createRecorder({ root });
    await recorder.start(createRecorderContext({ storage, clock: systemClock, logger: silentLogger, emit: () => undefined }));
    try {
      const events = await lastValueFrom(recorder.exportClip({ cameraId: 'cam-h', from: T0, to: T0 + 18_000 }).pipe(toArray()));
      const done = events.find((e) => e.type === 'done');
      expect(done?.type).toBe('done');
      const result = done!.type === 'done' ? done!.result : undefined;
      expect(result!.gaps.map((g) => [g.from - T0, g.to - T0])).toEqual([[10_000, 11_000], [12_000, 14_000]]);
      expect(result!.sha256).toBe(sha256(result!.path));
    } finally {
      await recorder.stop();
    }
  });

  it('reports inputs it cannot join directly (plain MP4) as coded MEDIA_INVALID (not joinable), and stops when aborted', async () => {
    const notJoinable = { name: 'WardwatchError', code: 'MEDIA_INVALID', details: expect.objectContaining({ joinable: false }) };
    await expect(concatFragmentedMp4([{ path: plain, start: T0 }], { from: T0, to: T0 + 1000 }, join(tmp.dir, 'x.mp4'))).rejects.toMatchObject(notJoinable);
    await expect(concatFragmentedMp4(inputs, { from: T0 + 60_000, to: T0 + 70_000 }, join(tmp.dir, 'y.mp4'))).rejects.toMatchObject(notJoinable);
    const controller = new AbortController();
    await expect(
      concatFragmentedMp4(inputs, { from: T0, to: T0 + 16_000 }, join(tmp.dir, 'z.mp4'), () => controller.abort(), controller.signal, { writeBatch: 1000 }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
