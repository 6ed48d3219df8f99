import { resolve } from 'node:path';
import { DEFAULT_MAX_RECORD_BYTES, isWardwatchError, silentLogger, toWardwatchError, WardwatchError, type FieldProblem, type Logger, type StorageAdapter } from '@wardwatch/core';
import { createLevelDirectory } from './create-level-directory.js';
import { inspectLevelDirectory } from './inspect-level-directory.js';
import { levelCorruptionError, levelStorageError } from './level-storage-problem.js';
import { repairLevelStorage } from './repair-level-storage.js';
import { createLevelAuditLog } from './level-audit-log.js';
import { createLevelCameraRepository } from './level-camera-repository.js';
import { createLevelContext } from './level-context.js';
import { openLevelDatabase, openSublevels, type LevelDb } from './level-database.js';
import { createLevelEventRepository } from './level-event-repository.js';
import { createLevelEvidenceRepository } from './level-evidence-repository.js';
import { createLevelHoldRepository } from './level-hold-repository.js';
import { createLevelIncidentRepository } from './level-incident-repository.js';
import { createLevelSegmentRepository } from './level-segment-repository.js';
import { createLevelSightingRepository } from './level-sighting-repository.js';
import { createLevelWatchlistRepository } from './level-watchlist-repository.js';
import { ensureSchema, LEVEL_STORAGE_SCHEMA_VERSION, SCHEMA_MIGRATIONS } from './schema-version.js';
import { WriteQueue, type SyncMode } from './write-queue.js';

/** Options of {@link createLevelStorage}. */
export interface LevelStorageOptions {
  /** Directory of the LevelDB database; created when missing. Must be empty or a WardWatch database. */
  path: string;
  /**
   * How long a write waits for other writes to join its batch, in milliseconds.
   * @default 2
   */
  batchDelayMs?: number;
  /**
   * A batch is written at once when this many operations are buffered.
   * @default 20000
   */
  maxBatchOps?: number;
  /**
   * Which writes are fsynced before they are acknowledged. `'records'`: writes of segments (and their
   * removal), evidence, holds, audit entries, incidents and cameras, so whatever a caller was told is
   * closed or acknowledged survives a power loss; events (high rate) are only written to the log, which
   * survives a process crash or kill but not a power loss. `true`: every write. `false`: none (tests,
   * bulk imports that can be re-run).
   * @default 'records'
   */
  sync?: boolean | 'records';
  /**
   * Largest accepted record, in UTF-8 bytes of its JSON; larger ones fail with `STORAGE_RECORD_TOO_LARGE`.
   * @default 1048576
   */
  maxRecordBytes?: number;
  /**
   * Repair a damaged database instead of refusing it: when the directory has a repairable problem (a
   * missing `CURRENT`, a corrupt write-ahead log record, LevelDB reporting corruption at open), the
   * directory is first copied to a `<path>.backup-<time>` sibling, then LevelDB's repair rebuilds it
   * (see {@link repairLevelStorage}). Never applies to a foreign database or one whose records are gone.
   * @default false
   */
  repair?: boolean;
  /**
   * Where storage warnings go: a torn last write-ahead log record dropped at open (a crash or power cut
   * mid-write), a repair and its backup.
   * @default silentLogger
   */
  logger?: Logger;
}

function syncMode(sync: LevelStorageOptions['sync']): SyncMode | undefined {
  if (sync === undefined || sync === 'records') return 'records';
  if (sync === true) return 'all';
  if (sync === false) return 'none';
  return undefined;
}

function checkOptions(options: LevelStorageOptions): Required<Omit<LevelStorageOptions, 'sync'>> & { sync: SyncMode } {
  if (options === null || typeof options !== 'object' || typeof options.path !== 'string' || options.path.length === 0) {
    throw new WardwatchError('INVALID_CONFIG', 'createLevelStorage needs { path }: the directory of the database');
  }
  const resolved = {
    path: resolve(options.path),
    batchDelayMs: options.batchDelayMs ?? 2,
    maxBatchOps: options.maxBatchOps ?? 20_000,
    sync: syncMode(options.sync) ?? 'records',
    maxRecordBytes: options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    repair: options.repair ?? false,
    logger: options.logger ?? silentLogger,
  };
  const problems: FieldProblem[] = [];
  if (!Number.isFinite(resolved.batchDelayMs) || resolved.batchDelayMs < 0) problems.push({ path: 'batchDelayMs', message: 'must be a non-negative number' });
  if (!Number.isInteger(resolved.maxBatchOps) || resolved.maxBatchOps < 1) problems.push({ path: 'maxBatchOps', message: 'must be a positive integer' });
  if (syncMode(options.sync) === undefined) problems.push({ path: 'sync', message: "must be true, false or 'records'" });
  if (!Number.isInteger(resolved.maxRecordBytes) || resolved.maxRecordBytes < 1) problems.push({ path: 'maxRecordBytes', message: 'must be a positive integer' });
  if (typeof resolved.repair !== 'boolean') problems.push({ path: 'repair', message: 'must be a boolean' });
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    throw new WardwatchError('INVALID_CONFIG', `Invalid level storage options: ${list}`, { details: { problems } });
  }
  return resolved;
}

/**
 * Moves the memtable into a table file and starts an empty log. classic-level (what `level` is under
 * Node) has `compactRange`, which does that first; its types are not in `level`'s.
 */
async function flushMemtable(db: LevelDb): Promise<void> {
  const { compactRange } = db as unknown as { compactRange?: (start: string, end: string) => Promise<void> };
  // The range is below every key (sublevel prefixes start with '!'), so no table is compacted.
  if (typeof compactRange === 'function') await compactRange.call(db, '\u0000', '\u0001');
}

/**
 * Inspects the directory, creates a new database (marked before it appears at `path`) or checks and,
 * when asked, repairs an existing one, then opens it.
 */
async function openChecked(opts: ReturnType<typeof checkOptions>): Promise<LevelDb> {
  const found = await inspectLevelDirectory(opts.path);
  let repaired = false;
  const repair = async (problem: WardwatchError): Promise<void> => {
    if (!opts.repair || problem.details.repairable !== true || repaired) throw problem;
    repaired = true;
    await repairLevelStorage({ path: opts.path, logger: opts.logger });
  };
  if (found.kind !== 'leveldb') await createLevelDirectory(opts.path);
  else if (found.problem) await repair(found.problem);
  else {
    for (const torn of found.tornLogs) {
      opts.logger.warn(
        { path: opts.path, ...torn },
        'the last record of a WardWatch database log was cut short (a crash or power cut while it was written, never acknowledged); LevelDB drops it',
      );
    }
  }
  try {
    return await openLevelDatabase(opts.path);
  } catch (error) {
    if (!isWardwatchError(error) || error.code !== 'STORAGE_CORRUPT') throw error;
    await repair(error);
    return openLevelDatabase(opts.path);
  }
}

/**
 * Opens the embedded default {@link StorageAdapter}: a LevelDB database (via `level`) at
 * `options.path`, one sublevel per entity, batched writes, range-scan reads and a hash-chained audit
 * log. Fails with `STORAGE_LOCKED` when another process holds the database, `STORAGE_CORRUPT` (naming
 * the problem in `details.problem`) for a damaged or foreign directory unless `repair` is set and the
 * problem is repairable, and `STORAGE_VERSION_UNSUPPORTED` for a database from a newer version.
 */
export async function createLevelStorage(options: LevelStorageOptions): Promise<StorageAdapter> {
  const opts = checkOptions(options);
  const db = await openChecked(opts);
  let closed = false;
  try {
    const sub = openSublevels(db);
    await ensureSchema(db, sub, opts.path, LEVEL_STORAGE_SCHEMA_VERSION, SCHEMA_MIGRATIONS, false);
    const queue = new WriteQueue(db, { delayMs: opts.batchDelayMs, maxOps: opts.maxBatchOps, sync: opts.sync });
    const ctx = createLevelContext(db, sub, queue, opts.maxRecordBytes, opts.path, () => closed);
    const [segments, events, audit, sightings] = await Promise.all([
      createLevelSegmentRepository(ctx),
      createLevelEventRepository(ctx),
      createLevelAuditLog(ctx),
      createLevelSightingRepository(ctx),
    ]);
    let closing: Promise<void> | undefined;
    return {
      cameras: createLevelCameraRepository(ctx),
      segments,
      events,
      incidents: createLevelIncidentRepository(ctx),
      evidence: createLevelEvidenceRepository(ctx),
      holds: createLevelHoldRepository(ctx),
      audit,
      sightings,
      watchlist: createLevelWatchlistRepository(ctx),
      async flush() {
        ctx.assertOpen();
        await queue.flush();
      },
      close() {
        closing ??= (async () => {
          closed = true;
          try {
            await queue.flush();
            // A clean shutdown leaves nothing that a truncated or lost write-ahead log could take with it.
            await flushMemtable(db);
          } finally {
            await db.close();
          }
        })();
        return closing;
      },
    };
  } catch (error) {
    closed = true;
    await db.close().catch((closeError: unknown) => opts.logger.error({ path: opts.path, err: closeError }, 'closing the WardWatch database after a failed open failed'));
    if (error instanceof SyntaxError) {
      throw levelStorageError('record-unreadable', opts.path, `The database at ${opts.path} holds an unreadable record (${error.message}); restore it from a backup`, { cause: error });
    }
    throw levelCorruptionError(error, opts.path) ?? toWardwatchError(error, 'STORAGE_IO', { path: opts.path });
  }
}
