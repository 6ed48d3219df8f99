import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatFragmentedMp4, NotFragmentedError } from '../src/fmp4-concat.js';
import { resolveFfmpegPath, resolveFfprobePath } from '../src/ffmpeg-binaries.js';
import { probeMedia } from '../src/probe-media.js';
import { tempDir } from './helpers.js';

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

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
  });

  it('reports inputs it cannot join directly (plain MP4) as NotFragmentedError, and stops when aborted', async () => {
    await expect(concatFragmentedMp4([{ path: plain, start: T0 }], { from: T0, to: T0 + 1000 }, join(tmp.dir, 'x.mp4'))).rejects.toBeInstanceOf(NotFragmentedError);
    await expect(concatFragmentedMp4(inputs, { from: T0 + 60_000, to: T0 + 70_000 }, join(tmp.dir, 'y.mp4'))).rejects.toBeInstanceOf(NotFragmentedError);
    const controller = new AbortController();
    await expect(
      concatFragmentedMp4(inputs, { from: T0, to: T0 + 16_000 }, join(tmp.dir, 'z.mp4'), () => controller.abort(), controller.signal, { writeBatch: 1000 }),
    ).rejects.toThrow(/aborted/);
  });
});
