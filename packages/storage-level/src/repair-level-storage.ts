import { cp, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { silentLogger, toWardwatchError, WardwatchError, type Logger } from '@wardwatch/core';
import { Level } from 'level';
import { inspectLevelDirectory } from './inspect-level-directory.js';
import type { LevelStorageProblem } from './level-storage-problem.js';

/** Options of {@link repairLevelStorage}. */
export interface LevelRepairOptions {
  /** Directory of the WardWatch LevelDB database to repair. */
  path: string;
  /**
   * Where the repair is reported (the backup's path, the problem found).
   * @default silentLogger
   */
  logger?: Logger;
}

/** What {@link repairLevelStorage} did. */
export interface LevelRepairReport {
  /** The repaired database directory. */
  path: string;
  /** The copy of the directory taken before anything was changed. */
  backup: string;
  /** The problem found before the repair, if any. */
  problem?: LevelStorageProblem;
}

/**
 * Repairs a damaged WardWatch LevelDB database, explicitly: copies the whole directory to a
 * `<path>.backup-<time>` sibling first, then runs LevelDB's repair (it rebuilds the manifest and
 * `CURRENT` from the table files and turns the logs into tables, keeping every record that still reads;
 * unreadable files go to `lost/`). Fails with `STORAGE_LOCKED` (and removes the backup) when another
 * process has the database open, and with `STORAGE_CORRUPT` for a path that is not a LevelDB directory.
 * It does not make another application's database a WardWatch one: the open that follows still checks the
 * schema marker.
 */
export async function repairLevelStorage(options: LevelRepairOptions): Promise<LevelRepairReport> {
  const location = resolve(options.path);
  const logger = options.logger ?? silentLogger;
  const found = await inspectLevelDirectory(location);
  if (found.kind !== 'leveldb') {
    throw new WardwatchError('INVALID_ARGUMENT', `There is no database to repair at ${location} (${found.kind === 'absent' ? 'no such directory' : 'the directory is empty'})`, { details: { path: location } });
  }
  const problem = found.problem?.details.problem as LevelStorageProblem | undefined;
  const backup = `${location}.backup-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    await cp(location, backup, { recursive: true, errorOnExist: true, force: false });
  } catch (error) {
    throw toWardwatchError(error, 'STORAGE_IO', { path: location, backup, operation: 'backup before repair' });
  }
  // LevelDB's repair takes no lock: make sure no one has the database open (never creating one).
  const probe = new Level<string, string>(location, { createIfMissing: false });
  try {
    await probe.open();
    await probe.close();
  } catch (error) {
    // Any other failure to open is the damage about to be repaired; only a lock stops the repair.
    const failure = error as { code?: unknown; cause?: { code?: unknown } };
    if ((failure.cause?.code ?? failure.code) === 'LEVEL_LOCKED') {
      await rm(backup, { recursive: true, force: true });
      throw new WardwatchError('STORAGE_LOCKED', `The WardWatch database at ${location} is open in another process; stop it before repairing the database.`, {
        cause: error,
        details: { path: location },
      });
    }
  }
  // `level` resolves to classic-level under Node, whose class has the static `repair`; its types do not declare it.
  const { repair } = Level as unknown as { repair?: (location: string) => Promise<void> };
  if (typeof repair !== 'function') throw new WardwatchError('STORAGE_IO', 'This LevelDB implementation cannot repair databases', { details: { path: location, backup } });
  try {
    await repair.call(Level, location);
  } catch (error) {
    throw toWardwatchError(error, 'STORAGE_IO', { path: location, backup, operation: 'repair' });
  }
  logger.warn({ path: location, backup, problem }, 'WardWatch database repaired by LevelDB; the directory as it was is in the backup');
  return { path: location, backup, ...(problem === undefined ? {} : { problem }) };
}
