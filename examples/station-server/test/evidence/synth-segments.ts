import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Segment, StorageAdapter } from '@wardwatch/core';
import { resolveFfmpegPath, segmentRelativePath } from '@wardwatch/recorder';

const run = promisify(execFile);

/** Options of {@link synthSegments}. */
export interface SynthOptions {
  storage: StorageAdapter;
  /** Recorder root. */
  root: string;
  cameraId: string;
  /** Start of the first segment, UTC ms. */
  start: number;
  count: number;
  /** @default 2 */
  segmentSeconds?: number;
  /** @default 300 */
  kbps?: number;
  /** @default 320 */
  width?: number;
  /** @default 180 */
  height?: number;
  /** @default 10 */
  fps?: number;
  ffmpegPath?: string;
}

/**
 * Makes `count` real H.264 MP4 segments quickly: one segment is encoded from ffmpeg's lavfi test source
 * (noise keeps the bitrate up), then copied under the recorder's path layout and indexed with its hash.
 */
export async function synthSegments(options: SynthOptions): Promise<Segment[]> {
  const seconds = options.segmentSeconds ?? 2;
  const kbps = options.kbps ?? 300;
  const fps = options.fps ?? 10;
  const ffmpeg = options.ffmpegPath ?? resolveFfmpegPath();
  const template = join(options.root, `.template-${options.cameraId}.mp4`);
  await mkdir(options.root, { recursive: true });
  await run(ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${options.width ?? 320}x${options.height ?? 180}:rate=${fps}`,
    '-vf', 'noise=alls=80:allf=t',
    '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-g', String(fps * seconds), '-keyint_min', String(fps * seconds), '-sc_threshold', '0',
    '-b:v', `${kbps}k`, '-minrate', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${Math.max(50, Math.round(kbps / 2))}k`,
    '-x264-params', 'nal-hrd=cbr',
    '-f', 'mp4', template,
  ], { timeout: 120_000 });
  const data = await readFile(template);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const segments: Segment[] = [];
  for (let i = 0; i < options.count; i++) {
    const start = options.start + i * seconds * 1000;
    const path = segmentRelativePath(options.cameraId, start);
    await mkdir(dirname(join(options.root, path)), { recursive: true });
    await copyFile(template, join(options.root, path));
    segments.push({ cameraId: options.cameraId, start, end: start + seconds * 1000, path, bytes: data.length, codec: 'h264', sha256 });
  }
  await rm(template, { force: true });
  for (let i = 0; i < segments.length; i += 500) await options.storage.segments.addMany(segments.slice(i, i + 500));
  return segments;
}
