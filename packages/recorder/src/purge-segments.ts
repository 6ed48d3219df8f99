import { rmdir, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RecorderContext, Segment } from '@wardwatch/core';
import { resolveInside } from './segment-path.js';

/** Deletes a file; one already gone counts as deleted. */
async function unlinkUnlessGone(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * The file of an indexed segment, or undefined when its path is not one the recorder writes: inside the
 * camera's own directory, without `.`/`..` parts (an index entry must never delete another camera's footage).
 */
function fileOf(root: string, segment: Segment): string | undefined {
  const parts = segment.path.split('/');
  if (parts[0] !== segment.cameraId || parts.some((p) => p === '' || p === '.' || p === '..')) return undefined;
  try {
    return resolveInside(root, segment.path);
  } catch {
    return undefined;
  }
}

async function removeIfEmpty(root: string, context: RecorderContext, dir: string): Promise<boolean> {
  // only `<camera>/<day>` and `<camera>/<day>/<hour>` directories: two or three levels below the root
  const depth = dir.slice(root.length).split('/').filter(Boolean).length;
  if (!dir.startsWith(`${root}/`) || depth < 2 || depth > 3) return false;
  return rmdir(dir).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST' && error.code !== 'ENOENT') {
        context.logger.warn({ err: error, dir }, 'empty recording directory could not be removed');
      }
      return false;
    },
  );
}

/**
 * Removes the hour and day directories the purged files leave empty (`rmdir` only removes empty ones, so a
 * directory the recorder has just written into stays). The camera directory itself is never removed.
 */
async function removeEmptyDirs(root: string, context: RecorderContext, removed: readonly Segment[]): Promise<void> {
  const hours = new Set(removed.map((s) => dirname(resolveInside(root, s.path))));
  const days = new Set<string>();
  for (const hour of hours) {
    if (await removeIfEmpty(root, context, hour)) days.add(dirname(hour));
  }
  for (const day of days) await removeIfEmpty(root, context, day);
}

/**
 * Deletes segments unless held, through the station's purge port (it takes the index entry out, this deletes
 * the file, and a file that cannot be deleted is indexed again by the station); returns those removed.
 */
export async function purgeSegments(root: string, context: RecorderContext, segments: readonly Segment[], cancelled: () => boolean): Promise<Segment[]> {
  const removed: Segment[] = [];
  for (const segment of segments) {
    if (cancelled()) break;
    const file = fileOf(root, segment);
    if (!file) {
      context.logger.error({ cameraId: segment.cameraId, start: segment.start, path: segment.path }, 'indexed segment path is not a recording path; not deleted');
      continue;
    }
    try {
      if ((await context.segments.purge(segment, () => unlinkUnlessGone(file))) === 'held') continue;
    } catch (error) {
      context.logger.error({ cameraId: segment.cameraId, err: error, path: segment.path }, 'segment file could not be deleted; indexed again');
      continue;
    }
    removed.push(segment);
  }
  await removeEmptyDirs(root, context, removed);
  return removed;
}
