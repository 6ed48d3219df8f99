import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { SimulatorError } from './simulator-error.js';

/**
 * Finds the ffmpeg binary: `explicit` → `FFMPEG_PATH` → `ffmpeg` on `PATH` → the bundled `@ffmpeg-installer/ffmpeg`.
 * Throws a `SimulatorError` with code `FFMPEG_NOT_FOUND` when none exists.
 */
export function findFfmpeg(explicit?: string): string {
  if (explicit) {
    if (!existsSync(explicit)) throw new SimulatorError('FFMPEG_NOT_FOUND', `ffmpeg not found at ${explicit}`);
    return explicit;
  }
  const env = process.env.FFMPEG_PATH;
  if (env && existsSync(env)) return env;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'ffmpeg');
    if (existsSync(candidate)) return candidate;
  }
  let cause: unknown;
  try {
    const require = createRequire(import.meta.url);
    const bundled = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    if (bundled && existsSync(bundled)) return bundled;
  } catch (error) {
    // The bundled package is optional (not installed for this platform): report it as the cause.
    cause = error;
  }
  throw new SimulatorError('FFMPEG_NOT_FOUND', 'No ffmpeg found (FFMPEG_PATH, PATH, @ffmpeg-installer/ffmpeg)', { cause });
}

/** Returns the path of the DejaVu Sans TTF shipped by `dejavu-fonts-ttf`, used for every burned-in text. */
export function findFont(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('dejavu-fonts-ttf/package.json');
  return join(pkg, '..', 'ttf', 'DejaVuSans.ttf');
}

/** Returns the first line of `ffmpeg -version`, for logs. */
export function ffmpegVersion(ffmpeg: string): string {
  return execFileSync(ffmpeg, ['-version'], { encoding: 'utf8' }).split('\n')[0] ?? '';
}
