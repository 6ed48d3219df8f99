import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { WardwatchError } from '@wardwatch/core';
import { checkLevelLog } from './check-level-log.js';
import { levelStorageError } from './level-storage-problem.js';

/** A LevelDB file name: `CURRENT`, `LOCK`, `LOG`, `LOG.old`, `MANIFEST-n`, `n.log`, `n.ldb`, `n.sst`. */
const LEVELDB_FILE = /^(CURRENT|LOCK|LOG|LOG\.old|MANIFEST-\d+|\d+\.(log|ldb|sst|dbtmp))$/;
/** A LevelDB file that holds data (not only a lock or an info log). */
const LEVELDB_DATA_FILE = /^(MANIFEST-\d+|\d+\.(log|ldb|sst))$/;

/** A write-ahead log whose last record was cut short (a crash or power cut mid-write): LevelDB drops it. */
export interface TornLog {
  file: string;
  offset: number;
  droppedBytes: number;
}

/**
 * What is at a storage path before LevelDB opens it: nothing (`absent`), an empty directory, or a
 * LevelDB directory with the problem that must stop the open (a `STORAGE_CORRUPT` error, repairable
 * or not) and the logs whose last record is torn.
 */
export type LevelDirectory = { kind: 'absent' } | { kind: 'empty' } | { kind: 'leveldb'; problem?: WardwatchError; tornLogs: TornLog[] };

/**
 * Looks at `location` before LevelDB touches it, since opening a damaged database makes LevelDB drop
 * what it cannot read and rewrite its files. Throws `STORAGE_CORRUPT` at once for a path that is a file
 * or a non-empty directory of something else; reports a missing `CURRENT` and corrupt write-ahead log
 * records (checked record by record as LevelDB's recovery reads them) as the directory's problem.
 */
export async function inspectLevelDirectory(location: string): Promise<LevelDirectory> {
  let info;
  try {
    info = await stat(location);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw error;
  }
  if (!info.isDirectory()) {
    throw levelStorageError('not-a-directory', location, `The storage path ${location} is a file, not a WardWatch database directory. Point the storage at an empty or WardWatch directory.`);
  }
  const entries = await readdir(location);
  if (entries.length === 0) return { kind: 'empty' };
  if (!entries.includes('CURRENT')) {
    if (entries.some((e) => LEVELDB_DATA_FILE.test(e))) {
      return {
        kind: 'leveldb',
        tornLogs: [],
        problem: levelStorageError('current-missing', location, `The LevelDB database at ${location} has lost its CURRENT file (it names the manifest to read), so it cannot be opened as it is.`, {
          details: { entries: entries.filter((e) => LEVELDB_FILE.test(e)).slice(0, 20) },
        }),
      };
    }
    throw levelStorageError(
      'not-leveldb',
      location,
      `The directory ${location} is not empty and is not a LevelDB database (no CURRENT file; found ${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ', …' : ''}). Refusing to create a database over it: point the storage at an empty directory or an existing WardWatch database.`,
      { details: { entries: entries.slice(0, 20) } },
    );
  }
  const tornLogs: TornLog[] = [];
  for (const file of entries.filter((e) => /^\d+\.log$/.test(e)).sort()) {
    const check = checkLevelLog(await readFile(join(location, file)));
    if (check.status === 'corrupt') {
      return {
        kind: 'leveldb',
        tornLogs,
        problem: levelStorageError(
          'log-corrupt',
          location,
          `The write-ahead log ${file} of the WardWatch database at ${location} is damaged at byte ${check.offset} (${check.reason}) after ${check.records} good records; LevelDB would silently drop the rest of that block, records that may have been acknowledged.`,
          { details: { file, offset: check.offset, reason: check.reason } },
        ),
      };
    }
    if (check.status === 'torn') tornLogs.push({ file, offset: check.offset, droppedBytes: check.droppedBytes });
  }
  return { kind: 'leveldb', tornLogs };
}
