import { rmdir, statfs, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SchedulerAction, Subscription } from 'rxjs';
import type { RecorderContext, Segment } from '@wardwatch/core';
import { resolveInside } from './segment-path.js';

/** Disk space of the filesystem holding the recordings. */
export interface DiskUsage {
  totalBytes: number;
  freeBytes: number;
}

/** Retention policy: per-camera age plus a disk high-watermark. */
export interface RetentionOptions {
  /** Days kept for a camera whose spec gives none. @default 30 */
  days?: number;
  /** Used-space ratio that raises a `storage.low` warning. @default 0.8 */
  warnRatio?: number;
  /** Used-space ratio that starts purging the oldest unheld segments. @default 0.9 */
  purgeRatio?: number;
  /** Purging goes on until the used-space ratio is at or below this. @default 0.85 */
  targetRatio?: number;
  /** How often retention runs, ms. @default 60000 */
  intervalMs?: number;
  /** Measures the disk; `statfs` of the root by default (tests inject their own). */
  diskUsage?: (path: string) => Promise<DiskUsage>;
  /** Segments fetched per purge step. @default 100 */
  batchSize?: number;
}

/** The retention worker of a recorder. */
export interface Retention {
  start(): void;
  /** Stops the schedule; a pass that is running ends after the segment it is deleting (see {@link idle}). */
  stop(): void;
  /** One pass: age limits, then the disk watermark. */
  runOnce(): Promise<void>;
  /** Resolves when no pass is running. */
  idle(): Promise<void>;
}

/** Deletes a file; one already gone counts as deleted. */
async function unlinkUnlessGone(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function statfsUsage(path: string): Promise<DiskUsage> {
  const s = await statfs(path);
  return { totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
}

/** Creates the retention worker: oldest unheld segments go first, `storage.low` comes before any purge, held segments are never deleted. */
export function createRetention(
  config: RetentionOptions & { root: string; context: RecorderContext; retentionDays: (cameraId: string) => Promise<number | undefined> },
): Retention {
  const { context, root } = config;
  const warnRatio = config.warnRatio ?? 0.8;
  const purgeRatio = config.purgeRatio ?? 0.9;
  const targetRatio = config.targetRatio ?? 0.85;
  const batchSize = config.batchSize ?? 100;
  const diskUsage = config.diskUsage ?? statfsUsage;
  let timer: Subscription | undefined;
  let running: Promise<void> | undefined;
  // bumped by stop(): a running pass ends after the segment in hand (a large purge must not hold up a shutdown),
  // and a start() that follows does not revive it
  let generation = 0;
  let lastWarnAt = Number.NEGATIVE_INFINITY;

  /**
   * The file of an indexed segment, or undefined when its path is not one the recorder writes: inside the
   * camera's own directory, without `.`/`..` parts (an index entry must never delete another camera's footage).
   */
  function fileOf(segment: Segment): string | undefined {
    const parts = segment.path.split('/');
    if (parts[0] !== segment.cameraId || parts.some((p) => p === '' || p === '.' || p === '..')) return undefined;
    try {
      return resolveInside(root, segment.path);
    } catch {
      return undefined;
    }
  }

  /**
   * Deletes segments unless held, through the station's purge port (it takes the index entry out, this deletes
   * the file, and a file that cannot be deleted is indexed again by the station); returns those removed.
   */
  async function purge(segments: Segment[], cancelled: () => boolean): Promise<Segment[]> {
    const removed: Segment[] = [];
    for (const segment of segments) {
      if (cancelled()) break;
      const file = fileOf(segment);
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
    await removeEmptyDirs(removed);
    return removed;
  }

  /**
   * Removes the hour and day directories the purged files leave empty (`rmdir` only removes empty ones, so a
   * directory the recorder has just written into stays). The camera directory itself is never removed.
   */
  async function removeEmptyDirs(removed: Segment[]): Promise<void> {
    const hours = new Set(removed.map((s) => dirname(resolveInside(root, s.path))));
    const days = new Set<string>();
    for (const hour of hours) {
      if (await removeIfEmpty(hour)) days.add(dirname(hour));
    }
    for (const day of days) await removeIfEmpty(day);
  }

  async function removeIfEmpty(dir: string): Promise<boolean> {
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

  /** Logs and announces one purge step's deletions (at once, so a pass that fails later loses no record). */
  async function report(removed: Segment[], reason: 'retention-days' | 'disk-watermark'): Promise<void> {
    const byCamera = new Map<string, Segment[]>();
    for (const s of removed) {
      const list = byCamera.get(s.cameraId);
      if (list) list.push(s);
      else byCamera.set(s.cameraId, [s]);
    }
    for (const [cameraId, list] of byCamera) {
      let bytes = 0;
      let from = Number.POSITIVE_INFINITY;
      let to = Number.NEGATIVE_INFINITY;
      for (const s of list) {
        bytes += s.bytes;
        from = Math.min(from, s.start);
        to = Math.max(to, s.end);
      }
      context.logger.info({ cameraId, reason, segments: list.length, bytes, paths: list.map((s) => s.path) }, 'purged segments');
      await context.notify({ type: 'storage.purged', at: context.clock.now(), cameraId, segments: list.length, bytes, from, to, reason });
    }
  }

  async function byAge(cancelled: () => boolean): Promise<void> {
    for (const cameraId of await context.segments.cameraIds()) {
      if (cancelled()) return;
      // one camera's failure does not keep the others (or the disk watermark) from being enforced
      try {
        const days = (await config.retentionDays(cameraId)) ?? config.days ?? 30;
        const before = context.clock.now() - days * 86_400_000;
        for (let step = 0; step < 1000 && !cancelled(); step++) {
          const batch = (await context.segments.oldestUnheld({ limit: batchSize, cameraId, before })).filter((s) => s.end <= before);
          if (batch.length === 0) break;
          const gone = await purge(batch, cancelled);
          if (gone.length > 0) await report(gone, 'retention-days');
          if (gone.length === 0) break;
        }
      } catch (error) {
        context.logger.error({ err: error, cameraId }, 'retention by age failed for this camera');
      }
    }
  }

  async function byDisk(cancelled: () => boolean): Promise<void> {
    const usage = await diskUsage(root);
    if (usage.totalBytes <= 0) return;
    let used = 1 - usage.freeBytes / usage.totalBytes;
    const event = (action: 'warn' | 'purge' | 'alarm', message: string): Promise<void> =>
      context.notify({ type: 'storage.low', at: context.clock.now(), path: root, usedRatio: used, freeBytes: usage.freeBytes, action, message });
    if (used < warnRatio) return;
    if (used < purgeRatio) {
      if (context.clock.now() - lastWarnAt >= 10 * 60_000) {
        lastWarnAt = context.clock.now();
        await event('warn', `recording disk ${(used * 100).toFixed(1)} % full; purging starts at ${(purgeRatio * 100).toFixed(0)} %`);
      }
      return;
    }
    await event('purge', `recording disk ${(used * 100).toFixed(1)} % full; deleting the oldest unheld segments down to ${(targetRatio * 100).toFixed(0)} %`);
    let toFree = (used - targetRatio) * usage.totalBytes;
    let removed = 0;
    const skipped = new Set<string>();
    for (let step = 0; step < 1000 && toFree > 0 && !cancelled(); step++) {
      const batch = (await context.segments.oldestUnheld({ limit: batchSize })).filter((s) => !skipped.has(`${s.cameraId}/${s.start}`));
      if (batch.length === 0) break;
      let freed = 0;
      const chosen: Segment[] = [];
      for (const s of batch) {
        if (freed >= toFree) break;
        chosen.push(s);
        freed += s.bytes;
      }
      const gone = await purge(chosen, cancelled);
      if (gone.length > 0) await report(gone, 'disk-watermark');
      for (const s of chosen) if (!gone.includes(s)) skipped.add(`${s.cameraId}/${s.start}`);
      removed += gone.length;
      const bytes = gone.reduce((sum, s) => sum + s.bytes, 0);
      toFree -= bytes;
      used -= bytes / usage.totalBytes;
    }
    if (toFree > 0 && !cancelled()) {
      const notDeleted = skipped.size > 0 ? `, ${skipped.size} could not be deleted` : '';
      await event('alarm', `recording disk ${(used * 100).toFixed(1)} % full after deleting ${removed} segments${notDeleted}; only held (or no) segments remain, nothing more can be deleted`);
    }
  }

  let runningGeneration = -1;
  const runOnce = (): Promise<void> => {
    // a pass of this generation already running is the answer; one cut short by stop() is waited for, then a new one runs
    if (running && runningGeneration === generation) return running;
    const mine = generation;
    const cancelled = (): boolean => generation !== mine;
    const before = running ?? Promise.resolve();
    const pass: Promise<void> = before.then(async () => {
      try {
        // each stage on its own: an index failure by age must not keep the disk from being watched
        await byAge(cancelled).catch((error: unknown) => context.logger.error({ err: error }, 'retention by age failed'));
        if (!cancelled()) await byDisk(cancelled).catch((error: unknown) => context.logger.error({ err: error }, 'retention by disk watermark failed'));
      } finally {
        if (running === pass) running = undefined;
      }
    });
    running = pass;
    runningGeneration = mine;
    return pass;
  };

  return {
    start() {
      // on the injected clock (an RxJS scheduler), so the schedule runs in virtual time in tests
      const interval = config.intervalMs ?? 60_000;
      timer ??= context.clock.schedule(function tick(this: SchedulerAction<unknown>) {
        void runOnce();
        this.schedule(undefined, interval);
      }, interval);
    },
    stop() {
      generation++;
      timer?.unsubscribe();
      timer = undefined;
    },
    runOnce,
    idle: async () => {
      await running;
    },
  };
}
