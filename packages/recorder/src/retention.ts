import { statfs } from 'node:fs/promises';
import type { SchedulerAction, Subscription } from 'rxjs';
import { defined, type RecorderContext } from '@wardwatch/core';
import { purgeByAge } from './purge-by-age.js';
import { purgeByDisk } from './purge-by-disk.js';

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
  /**
   * Checks the disk watermark soon (a segment was written): at most once a second, and not while a pass runs (which
   * checks it too).
   */
  checkDisk(): void;
  /** One pass: age limits, then the disk watermark. */
  runOnce(): Promise<void>;
  /** Resolves when no pass is running. */
  idle(): Promise<void>;
}

async function statfsUsage(path: string): Promise<DiskUsage> {
  const s = await statfs(path);
  return { totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
}

/** Least time between two disk checks triggered by written segments. */
const DISK_CHECK_GAP_MS = 1000;

/** The defaults of {@link RetentionOptions}. */
export const RETENTION_DEFAULTS: Required<RetentionOptions> = {
  days: 30,
  warnRatio: 0.8,
  purgeRatio: 0.9,
  targetRatio: 0.85,
  intervalMs: 60_000,
  diskUsage: statfsUsage,
  batchSize: 100,
};

/** {@link RetentionOptions} with every default resolved, plus what the recorder gives (internal). */
export type ResolvedRetention = Required<RetentionOptions> & { root: string; retentionDays: (cameraId: string) => Promise<number | undefined> };

/** Creates the retention worker: oldest unheld segments go first, `storage.low` comes before any purge, held segments are never deleted. */
export function createRetention(
  options: RetentionOptions & { root: string; context: RecorderContext; retentionDays: (cameraId: string) => Promise<number | undefined> },
): Retention {
  const { context, root, retentionDays } = options;
  const config: ResolvedRetention = { ...RETENTION_DEFAULTS, ...defined(options), root, retentionDays };
  let timer: Subscription | undefined;
  let running: Promise<void> | undefined;
  // bumped by stop(): a running pass ends after the segment in hand (a large purge must not hold up a shutdown),
  // and a start() that follows does not revive it
  let generation = 0;
  const warnings = { lastWarnAt: Number.NEGATIVE_INFINITY };

  let runningGeneration = -1;
  let lastDiskCheck = Number.NEGATIVE_INFINITY;
  const diskPass = (cancelled: () => boolean): Promise<void> => {
    lastDiskCheck = context.clock.now();
    return purgeByDisk(context, config, warnings, cancelled).catch((error: unknown) => context.logger.error({ err: error }, 'retention by disk watermark failed'));
  };
  const checkDisk = (): void => {
    if (running || context.clock.now() - lastDiskCheck < DISK_CHECK_GAP_MS) return;
    const mine = generation;
    const pass: Promise<void> = diskPass(() => generation !== mine).finally(() => {
      if (running === pass) running = undefined;
    });
    running = pass;
    runningGeneration = mine;
  };
  const runOnce = (): Promise<void> => {
    // a pass of this generation already running is the answer; one cut short by stop() is waited for, then a new one runs
    if (running && runningGeneration === generation) return running;
    const mine = generation;
    const cancelled = (): boolean => generation !== mine;
    const before = running ?? Promise.resolve();
    const pass: Promise<void> = before.then(async () => {
      try {
        // each stage on its own: an index failure by age must not keep the disk from being watched
        await purgeByAge(context, config, cancelled).catch((error: unknown) => context.logger.error({ err: error }, 'retention by age failed'));
        if (!cancelled()) await diskPass(cancelled);
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
      const interval = config.intervalMs;
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
    checkDisk,
    runOnce,
    idle: async () => {
      await running;
    },
  };
}
