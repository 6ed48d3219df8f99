import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { WardwatchError } from '@wardwatch/core';

/** The path of a segment relative to the recorder root: `<cameraId>/<YYYY-MM-DD>/<HH>/<start>.mp4` (UTC). */
export function segmentRelativePath(cameraId: string, start: number): string {
  const iso = new Date(start).toISOString();
  return [cameraId, iso.slice(0, 10), iso.slice(11, 13), `${start}.mp4`].join('/');
}

/** Resolves `relativePath` under `root`, refusing anything that escapes it (`PATH_OUTSIDE_ROOT`). */
export function resolveInside(root: string, relativePath: string): string {
  const full = resolve(root, relativePath);
  const rel = relative(resolve(root), full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) {
    throw new WardwatchError('PATH_OUTSIDE_ROOT', `Path ${relativePath} is outside the recorder root`);
  }
  return join(resolve(root), rel);
}

/**
 * A start time whose segment file does not exist yet under `root`: `start`, or the next free millisecond
 * (two files never share a name, so nothing is overwritten).
 */
export async function freeSegmentStart(root: string, cameraId: string, start: number): Promise<number> {
  const { access } = await import('node:fs/promises');
  for (let candidate = start; candidate < start + 1000; candidate++) {
    const exists = await access(resolveInside(root, segmentRelativePath(cameraId, candidate))).then(() => true, () => false);
    if (!exists) return candidate;
  }
  throw new WardwatchError('STORAGE_IO', `no free segment name near ${start} for ${cameraId}`);
}
