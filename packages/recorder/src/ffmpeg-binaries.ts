import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { toWardwatchError, WardwatchError } from '@wardwatch/core';

const requireFromHere = createRequire(import.meta.url);

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function bundled(pkg: string): string | undefined {
  try {
    const mod = requireFromHere(pkg) as { path?: string };
    return mod.path && existsSync(mod.path) ? mod.path : undefined;
  } catch (error) {
    // the optional bundled binary is not installed: not an error, the next candidate is tried
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw toWardwatchError(error, 'FFMPEG_NOT_FOUND', { package: pkg });
  }
}

/**
 * Finds the ffmpeg binary: `explicit` → `FFMPEG_PATH` → `ffmpeg` on `PATH` → bundled `@ffmpeg-installer/ffmpeg`;
 * throws `FFMPEG_NOT_FOUND` when none exists.
 */
export function resolveFfmpegPath(explicit?: string): string {
  const found = explicit ?? process.env.FFMPEG_PATH ?? onPath('ffmpeg') ?? bundled('@ffmpeg-installer/ffmpeg');
  if (!found || !existsSync(found)) {
    throw new WardwatchError('FFMPEG_NOT_FOUND', 'No ffmpeg binary found (FFMPEG_PATH, PATH, @ffmpeg-installer/ffmpeg)');
  }
  return found;
}

/**
 * Finds the ffprobe binary: `explicit` → `FFPROBE_PATH` → `ffprobe` beside `FFMPEG_PATH` → `ffprobe` on `PATH`
 * → bundled `@ffprobe-installer/ffprobe`; throws `FFMPEG_NOT_FOUND` when none exists.
 */
export function resolveFfprobePath(explicit?: string): string {
  const besideFfmpeg = process.env.FFMPEG_PATH ? join(process.env.FFMPEG_PATH, '..', 'ffprobe') : undefined;
  const found =
    explicit ??
    process.env.FFPROBE_PATH ??
    (besideFfmpeg && existsSync(besideFfmpeg) ? besideFfmpeg : undefined) ??
    onPath('ffprobe') ??
    bundled('@ffprobe-installer/ffprobe');
  if (!found || !existsSync(found)) {
    throw new WardwatchError('FFMPEG_NOT_FOUND', 'No ffprobe binary found (FFPROBE_PATH, PATH, @ffprobe-installer/ffprobe)');
  }
  return found;
}
