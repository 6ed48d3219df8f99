import { isWardwatchError, type Logger } from '@wardwatch/core';
import { createLevelStorage } from './create-level-storage.js';
import { inspectLevelDirectory } from './inspect-level-directory.js';
import { repairLevelStorage } from './repair-level-storage.js';

/** Where {@link runStorageCli} writes: one line of text at a time. */
export interface StorageCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const USAGE = `Usage:
  wardwatch-storage check <db-dir>    tells whether the WardWatch database opens, or names its problem (exit 2)
  wardwatch-storage repair <db-dir>   backs the directory up to <db-dir>.backup-<time>, repairs it, checks it opens
`;

/** Opens and closes the database: the same checks a station makes at start, nothing repaired. */
async function opens(path: string, logger: Logger): Promise<void> {
  const storage = await createLevelStorage({ path, logger });
  await storage.close();
}

/**
 * The `wardwatch-storage` command for station operators: `check` runs the checks a station makes when it opens
 * its database and names the problem (`details.problem`, whether it is repairable); `repair` takes the backup,
 * runs the repair and checks the result opens. Returns the exit code: 0 fine, 1 failed, 2 damaged (check) or
 * usage error.
 */
export async function runStorageCli(argv: readonly string[], io: StorageCliIo): Promise<number> {
  const [command, path, ...rest] = argv;
  if ((command !== 'check' && command !== 'repair') || path === undefined || rest.length > 0) {
    io.stderr(USAGE);
    return 2;
  }
  const warnings: string[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (obj, msg) => void warnings.push(`${msg ?? ''} ${JSON.stringify(obj)}`),
    error: (obj, msg) => void warnings.push(`${msg ?? ''} ${JSON.stringify(obj)}`),
    child: () => logger,
  };
  try {
    if (command === 'check') {
      const found = await inspectLevelDirectory(path);
      if (found.kind !== 'leveldb') {
        io.stderr(`${path}: no database (${found.kind === 'absent' ? 'no such directory' : 'empty directory'}); a station creates one there\n`);
        return 2;
      }
      if (found.problem) throw found.problem;
      await opens(path, logger);
      for (const w of warnings) io.stdout(`warning: ${w}\n`);
      io.stdout(`${path}: ok\n`);
      return 0;
    }
    const report = await repairLevelStorage({ path, logger });
    await opens(path, logger);
    io.stdout(`${path}: repaired${report.problem ? ` (${report.problem})` : ''}; the directory as it was is in ${report.backup}\n`);
    return 0;
  } catch (error) {
    if (!isWardwatchError(error)) throw error;
    const details = error.details as { problem?: string; repairable?: boolean };
    io.stderr(`${error.code}${details.problem ? ` (${details.problem}${details.repairable ? ', repairable' : ''})` : ''}: ${error.message}\n`);
    return command === 'check' && error.code === 'STORAGE_CORRUPT' ? 2 : 1;
  }
}
