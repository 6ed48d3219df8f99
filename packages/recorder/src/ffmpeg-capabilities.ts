import { execFile } from 'node:child_process';
import { WardwatchError } from '@wardwatch/core';

/** Option differences between ffmpeg builds that the recorder depends on. */
export interface FfmpegCapabilities {
  /** The ffmpeg binary these capabilities belong to. */
  path: string;
  /** First line of `ffmpeg -version`. */
  version: string;
  /** RTSP socket I/O timeout option in µs: `stimeout` (4.x) or `timeout` (5.x and later). */
  rtspTimeoutOption: 'stimeout' | 'timeout';
}

const cache = new Map<string, Promise<FfmpegCapabilities>>();

function run(path: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(path, args, { timeout: 15_000, maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && !stdout && !stderr) reject(error);
      else resolve(`${stdout}\n${stderr}`);
    });
  });
}

/** Detects (once per binary, cached) which RTSP timeout option an ffmpeg binary understands. */
export function detectCapabilities(path: string): Promise<FfmpegCapabilities> {
  let found = cache.get(path);
  if (!found) {
    found = (async () => {
      try {
        const [version, rtspHelp] = await Promise.all([run(path, ['-hide_banner', '-version']), run(path, ['-hide_banner', '-h', 'demuxer=rtsp'])]);
        const hasStimeout = /^\s*-stimeout\s/m.test(rtspHelp);
        return {
          path,
          version: version.trim().split('\n')[0] ?? 'unknown',
          rtspTimeoutOption: hasStimeout ? 'stimeout' : 'timeout',
        } satisfies FfmpegCapabilities;
      } catch (error) {
        cache.delete(path);
        throw new WardwatchError('FFMPEG_NOT_FOUND', `ffmpeg at ${path} could not be run`, { cause: error });
      }
    })();
    cache.set(path, found);
  }
  return found;
}
