import { resolve } from 'node:path';
import { DEFAULT_MAX_RECORD_BYTES, toWardwatchError, WardwatchError, type FieldProblem, type StorageAdapter } from '@wardwatch/core';
import { createLevelAuditLog } from './level-audit-log.js';
import { createLevelCameraRepository } from './level-camera-repository.js';
import { createLevelContext } from './level-context.js';
import { openLevelDatabase, openSublevels } from './level-database.js';
import { createLevelEventRepository } from './level-event-repository.js';
import { createLevelEvidenceRepository } from './level-evidence-repository.js';
import { createLevelHoldRepository } from './level-hold-repository.js';
import { createLevelIncidentRepository } from './level-incident-repository.js';
import { createLevelSegmentRepository } from './level-segment-repository.js';
import { ensureSchema } from './schema-version.js';
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
  };
  const problems: FieldProblem[] = [];
  if (!Number.isFinite(resolved.batchDelayMs) || resolved.batchDelayMs < 0) problems.push({ path: 'batchDelayMs', message: 'must be a non-negative number' });
  if (!Number.isInteger(resolved.maxBatchOps) || resolved.maxBatchOps < 1) problems.push({ path: 'maxBatchOps', message: 'must be a positive integer' });
  if (syncMode(options.sync) === undefined) problems.push({ path: 'sync', message: "must be true, false or 'records'" });
  if (!Number.isInteger(resolved.maxRecordBytes) || resolved.maxRecordBytes < 1) problems.push({ path: 'maxRecordBytes', message: 'must be a positive integer' });
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    throw new WardwatchError('INVALID_CONFIG', `Invalid level storage options: ${list}`, { details: { problems } });
  }
  return resolved;
}

/**
 * Opens the embedded default {@link StorageAdapter}: a LevelDB database (via `level`) at
 * `options.path`, one sublevel per entity, batched writes, range-scan reads and a hash-chained audit
 * log. Fails with `STORAGE_LOCKED` when another process holds the database, `STORAGE_CORRUPT` for a
 * damaged or foreign directory, and `STORAGE_VERSION_UNSUPPORTED` for a database from a newer version.
 */
export async function createLevelStorage(options: LevelStorageOptions): Promise<StorageAdapter> {
  const opts = checkOptions(options);
  const db = await openLevelDatabase(opts.path);
  let closed = false;
  try {
    const sub = openSublevels(db);
    await ensureSchema(db, sub, opts.path);
    const queue = new WriteQueue(db, { delayMs: opts.batchDelayMs, maxOps: opts.maxBatchOps, sync: opts.sync });
    const ctx = createLevelContext(db, sub, queue, opts.maxRecordBytes, opts.path, () => closed);
    const [segments, events, audit] = await Promise.all([createLevelSegmentRepository(ctx), createLevelEventRepository(ctx), createLevelAuditLog(ctx)]);
    let closing: Promise<void> | undefined;
    return {
      cameras: createLevelCameraRepository(ctx),
      segments,
      events,
      incidents: createLevelIncidentRepository(ctx),
      evidence: createLevelEvidenceRepository(ctx),
      holds: createLevelHoldRepository(ctx),
      audit,
      async flush() {
        ctx.assertOpen();
        await queue.flush();
      },
      close() {
        closing ??= (async () => {
          closed = true;
          try {
            await queue.flush();
          } finally {
            await db.close();
          }
        })();
        return closing;
      },
    };
  } catch (error) {
    closed = true;
    await db.close().catch(() => undefined);
    if (error instanceof SyntaxError) {
      throw new WardwatchError('STORAGE_CORRUPT', `The database at ${opts.path} holds an unreadable record (${error.message}); restore it from a backup`, {
        cause: error,
        details: { path: opts.path },
      });
    }
    throw toWardwatchError(error, 'STORAGE_IO', { path: opts.path });
  }
}
