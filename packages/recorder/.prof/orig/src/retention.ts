import { statfs, unlink } from 'node:fs/promises';
import { isWardwatchError, type RecorderContext, type Segment } from '@wardwatch/core';
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
  stop(): void;
  /** One pass: age limits, then the disk watermark. */
  runOnce(): Promise<void>;
  /** Resolves when no pass is running. */
  idle(): Promise<void>;
}

async function statfsUsage(path: string): Promise<DiskUsage> {
  const s = await statfs(path);
  return { totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
}

/** Creates the retention worker: oldest unheld segments go first, `storage.low` comes before any purge, held segments are never deleted. */
export function createRetention(
  config: RetentionOptions & { root: string; context: RecorderContext; retentionDays: (cameraId: string) => number | undefined },
): Retention {
  const { context, root } = config;
  const warnRatio = config.warnRatio ?? 0.8;
  const purgeRatio = config.purgeRatio ?? 0.9;
  const targetRatio = config.targetRatio ?? 0.85;
  const batchSize = config.batchSize ?? 100;
  const diskUsage = config.diskUsage ?? statfsUsage;
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<void> | undefined;
  let lastWarnAt = 0;

  /** Deletes segments (index first, then file) unless held; returns those removed. */
  async function purge(segments: Segment[]): Promise<Segment[]> {
    const removed: Segment[] = [];
    for (const segment of segments) {
      const holds = await context.storage.holds.covering(segment.cameraId, { from: segment.start, to: Math.max(segment.end, segment.start + 1) });
      if (holds.length > 0) continue;
      try {
        await context.storage.segments.remove([{ cameraId: segment.cameraId, start: segment.start }]);
      } catch (error) {
        if (isWardwatchError(error, 'SEGMENT_HELD')) continue;
        throw error;
      }
      await unlink(resolveInside(root, segment.path)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') context.logger.error({ err: error, path: segment.path }, 'purged segment file could not be deleted');
      });
      removed.push(segment);
    }
    return removed;
  }

  function report(removed: Segment[], reason: 'retention-days' | 'disk-watermark'): void {
    const byCamera = new Map<string, Segment[]>();
    for (const s of removed) byCamera.set(s.cameraId, [...(byCamera.get(s.cameraId) ?? []), s]);
    for (const [cameraId, list] of byCamera) {
      const bytes = list.reduce((sum, s) => sum + s.bytes, 0);
      const from = Math.min(...list.map((s) => s.start));
      const to = Math.max(...list.map((s) => s.end));
      context.logger.info({ cameraId, reason, segments: list.length, bytes, paths: list.map((s) => s.path) }, 'purged segments');
      context.emit({ type: 'storage.purged', at: context.clock.now(), cameraId, segments: list.length, bytes, from, to, reason });
    }
  }

  async function byAge(): Promise<void> {
    for (const cameraId of await context.storage.segments.cameraIds()) {
      const days = config.retentionDays(cameraId) ?? config.days ?? 30;
      const before = context.clock.now() - days * 86_400_000;
      const removed: Segment[] = [];
      for (let step = 0; step < 1000; step++) {
        const batch = (await context.storage.segments.oldestUnheld({ limit: batchSize, cameraId, before })).filter((s) => s.end <= before);
        if (batch.length === 0) break;
        const gone = await purge(batch);
        removed.push(...gone);
        if (gone.length === 0) break;
      }
      if (removed.length > 0) report(removed, 'retention-days');
    }
  }

  async function byDisk(): Promise<void> {
    const usage = await diskUsage(root);
    if (usage.totalBytes <= 0) return;
    let used = 1 - usage.freeBytes / usage.totalBytes;
    const event = (action: 'warn' | 'purge' | 'alarm', message: string): void =>
      context.emit({ type: 'storage.low', at: context.clock.now(), path: root, usedRatio: used, freeBytes: usage.freeBytes, action, message });
    if (used < warnRatio) return;
    if (used < purgeRatio) {
      if (context.clock.now() - lastWarnAt >= 10 * 60_000) {
        lastWarnAt = context.clock.now();
        event('warn', `recording disk ${(used * 100).toFixed(1)} % full; purging starts at ${(purgeRatio * 100).toFixed(0)} %`);
      }
      return;
    }
    event('purge', `recording disk ${(used * 100).toFixed(1)} % full; deleting the oldest unheld segments down to ${(targetRatio * 100).toFixed(0)} %`);
    let toFree = (used - targetRatio) * usage.totalBytes;
    const removed: Segment[] = [];
    const skipped = new Set<string>();
    for (let step = 0; step < 1000 && toFree > 0; step++) {
      const batch = (await context.storage.segments.oldestUnheld({ limit: batchSize })).filter((s) => !skipped.has(`${s.cameraId}/${s.start}`));
      if (batch.length === 0) break;
      let freed = 0;
      const chosen: Segment[] = [];
      for (const s of batch) {
        if (freed >= toFree) break;
        chosen.push(s);
        freed += s.bytes;
      }
      const gone = await purge(chosen);
      for (const s of chosen) if (!gone.includes(s)) skipped.add(`${s.cameraId}/${s.start}`);
      removed.push(...gone);
      const bytes = gone.reduce((sum, s) => sum + s.bytes, 0);
      toFree -= bytes;
      used -= bytes / usage.totalBytes;
    }
    if (removed.length > 0) report(removed, 'disk-watermark');
    if (toFree > 0) {
      event('alarm', `recording disk ${(used * 100).toFixed(1)} % full and only held (or no) segments remain; nothing more can be deleted`);
    }
  }

  const runOnce = (): Promise<void> => {
    running ??= (async () => {
      try {
        await byAge();
        await byDisk();
      } catch (error) {
        context.logger.error({ err: error }, 'retention pass failed');
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  return {
    start() {
      timer ??= setInterval(() => void runOnce(), config.intervalMs ?? 60_000);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    runOnce,
    idle: async () => {
      await running;
    },
  };
}
