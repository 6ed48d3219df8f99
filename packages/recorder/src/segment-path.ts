import { access } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { WardwatchError } from '@wardwatch/core';

/** The path of a segment relative to the recorder root: `<cameraId>/<YYYY-MM-DD>/<HH>/<start>.mp4` (UTC). */
export function segmentRelativePath(cameraId: string, start: number): string {
  const iso = new Date(start).toISOString();
  return [cameraId, iso.slice(0, 10), iso.slice(11, 13), `${start}.mp4`].join('/');
}

/** Whether `path` (resolved against `dir`) is `dir` itself or inside it. */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(resolve(dir), resolve(dir, path));
  return !(rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..'));
}

/** Resolves `relativePath` under `root`, refusing anything that escapes it (`PATH_OUTSIDE_ROOT`). */
export function resolveInside(root: string, relativePath: string): string {
  const rel = relative(resolve(root), resolve(root, relativePath));
  if (rel === '' || !isInside(root, relativePath)) {
    throw new WardwatchError('PATH_OUTSIDE_ROOT', `Path ${relativePath} is outside the recorder root`);
  }
  return join(resolve(root), rel);
}

/**
 * A start time whose segment file does not exist yet under `root`: `start`, or the next free millisecond
 * (two files never share a name, so nothing is overwritten).
 */
export async function freeSegmentStart(root: string, cameraId: string, start: number): Promise<number> {
  for (let candidate = start; candidate < start + 1000; candidate++) {
    const exists = await access(resolveInside(root, segmentRelativePath(cameraId, candidate))).then(() => true, () => false);
    if (!exists) return candidate;
  }
  throw new WardwatchError('STORAGE_IO', `no free segment name near ${start} for ${cameraId}`);
}
