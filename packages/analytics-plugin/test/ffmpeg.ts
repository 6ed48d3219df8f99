import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** ffmpeg as the SDK finds it: FFMPEG_PATH → `ffmpeg` on PATH → the bundled @ffmpeg-installer build. */
export function findFfmpeg(): string {
  const env = process.env.FFMPEG_PATH;
  if (env && existsSync(env)) return env;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'ffmpeg');
    if (dir && existsSync(candidate)) return candidate;
  }
  return (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
}

/** The DejaVu Sans Bold TTF shipped in the `dejavu-fonts-ttf` npm package. */
export const FONT = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans-Bold.ttf');

/** Escapes a path for a filter option inside a lavfi graph. */
export function lavfiPath(path: string): string {
  return path.replace(/[\\':]/g, (c) => `\\${c}`);
}

/** Renders `frames` raw frames (gray or rgb24) of a lavfi graph. */
export async function renderRaw(graph: string, width: number, height: number, frames: number, format: 'gray' | 'rgb' = 'gray'): Promise<Uint8Array[]> {
  const { stdout } = await run(
    findFfmpeg(),
    ['-v', 'error', '-f', 'lavfi', '-i', graph, '-frames:v', String(frames), '-s', `${width}x${height}`, '-f', 'rawvideo', '-pix_fmt', format === 'gray' ? 'gray' : 'rgb24', '-'],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  const size = width * height * (format === 'gray' ? 1 : 3);
  const out: Uint8Array[] = [];
  for (let i = 0; i + size <= stdout.length; i += size) out.push(new Uint8Array(stdout.subarray(i, i + size)));
  return out;
}

/** Renders one PNG of a lavfi graph. */
export async function renderPng(graph: string): Promise<Buffer> {
  const { stdout } = await run(findFfmpeg(), ['-v', 'error', '-f', 'lavfi', '-i', graph, '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', '-'], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}
