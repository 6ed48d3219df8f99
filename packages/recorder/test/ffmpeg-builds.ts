import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolveFfmpegPath } from '../src/ffmpeg-binaries.js';

/**
 * Every ffmpeg build on this machine the recorder supports: the one it resolves (FFMPEG_PATH → PATH → bundled), the
 * bundled 4.x and the system one; tests that depend on option behaviour run against each.
 */
export function ffmpegBuilds(): string[] {
  const bundled = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  return [...new Set([resolveFfmpegPath(), bundled, '/usr/bin/ffmpeg'])].filter((path) => existsSync(path));
}
