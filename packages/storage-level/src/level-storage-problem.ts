import { WardwatchError } from '@wardwatch/core';

/**
 * Why a directory was refused with `STORAGE_CORRUPT` (in the error's `details.problem`):
 * `not-a-directory`, `not-leveldb` (files of something else), `foreign` (another application's LevelDB),
 * `records-lost` (a WardWatch LevelDB whose records, schema marker included, are gone: a truncated or
 * deleted log), `current-missing` (LevelDB's `CURRENT` file is gone), `log-corrupt` (a write-ahead log
 * record fails its checksum or structure, so LevelDB would silently drop acknowledged writes),
 * `unreadable` (LevelDB reports corruption: manifest, `CURRENT` or a table), `record-unreadable`
 * (a stored WardWatch record is not what this version wrote).
 */
export type LevelStorageProblem = 'not-a-directory' | 'not-leveldb' | 'foreign' | 'records-lost' | 'current-missing' | 'log-corrupt' | 'unreadable' | 'record-unreadable';

/** Problems LevelDB's repair can fix (after a backup), keeping every readable record. */
const REPAIRABLE: ReadonlySet<LevelStorageProblem> = new Set(['current-missing', 'log-corrupt', 'unreadable']);

/** Whether `problem` can be repaired with `repair: true` / `repairLevelStorage`. */
export function isRepairable(problem: LevelStorageProblem): boolean {
  return REPAIRABLE.has(problem);
}

/**
 * A `STORAGE_CORRUPT` error naming the problem in `details.problem` and whether it is repairable; the
 * message of a repairable one says how to repair it.
 */
export function levelStorageError(problem: LevelStorageProblem, location: string, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}): WardwatchError {
  const repairable = isRepairable(problem);
  const hint = repairable
    ? ` To repair it, open it with createLevelStorage({ path, repair: true }) or call repairLevelStorage({ path }): the directory is first copied to a "${location}.backup-<time>" sibling, then LevelDB's repair rebuilds it keeping every readable record. Or restore it from a backup.`
    : '';
  return new WardwatchError('STORAGE_CORRUPT', `${message}${hint}`, {
    ...(options.cause === undefined ? {} : { cause: options.cause }),
    details: { path: location, problem, repairable, ...options.details },
  });
}

/**
 * A `STORAGE_CORRUPT` (`unreadable`) error when `error` is LevelDB reporting corruption (a table or
 * block that fails its checks while reading), else `undefined`.
 */
export function levelCorruptionError(error: unknown, location: string): WardwatchError | undefined {
  const failure = error as { code?: unknown; cause?: { code?: unknown }; message?: unknown } | null;
  if (failure?.code !== 'LEVEL_CORRUPTION' && failure?.cause?.code !== 'LEVEL_CORRUPTION') return undefined;
  return levelStorageError('unreadable', location, `LevelDB reports the WardWatch database at ${location} damaged while reading it (${String(failure?.message)}).`, { cause: error });
}
