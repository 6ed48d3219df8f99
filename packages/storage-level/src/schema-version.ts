import { WardwatchError } from '@wardwatch/core';
import { levelStorageError } from './level-storage-problem.js';
import type { LevelDb, Sublevels } from './level-database.js';

/**
 * The on-disk schema version this build writes. Version 2 stores segments in a compact value form
 * (see `encodeSegmentValue`); a version-1 build must not open such a database, since it reads values as JSON.
 */
export const LEVEL_STORAGE_SCHEMA_VERSION = 2;

/** The `format` marker stored in `meta/schema`, telling a WardWatch database from a foreign LevelDB. */
export const LEVEL_STORAGE_FORMAT = 'wardwatch-storage-level';

/** A step that upgrades a database from schema version `from` to `from + 1`. */
export interface SchemaMigration {
  /** The version this step upgrades from. */
  from: number;
  /** Rewrites the data of version `from` into version `from + 1`. */
  up(db: LevelDb, sublevels: Sublevels): Promise<void>;
}

/**
 * The migrations of this build, oldest first. 1 → 2 rewrites nothing: the reader accepts both segment
 * value forms (format-1 JSON values start with `[`), so existing segments stay as they are and new ones
 * are written compactly; only the version marker changes, which keeps older builds from misreading them.
 */
export const SCHEMA_MIGRATIONS: readonly SchemaMigration[] = [{ from: 1, up: async () => undefined }];

interface SchemaMeta {
  format: string;
  version: number;
}

/** Writes the schema marker with an fsync (same key as the `meta` sublevel's `schema`). */
function writeMarker(db: LevelDb, sublevels: Sublevels, version: number): Promise<void> {
  return db.put(sublevels.meta.prefix + 'schema', JSON.stringify({ format: LEVEL_STORAGE_FORMAT, version } satisfies SchemaMeta), { sync: true });
}

/**
 * Checks the schema marker of an opened database and brings it to `target`: writes the marker into a
 * new, empty database; runs `migrations` in order for an older one (recording each step); refuses a
 * newer one with `STORAGE_VERSION_UNSUPPORTED`, and a LevelDB without a WardWatch marker with
 * `STORAGE_CORRUPT` (problem `foreign` when it has data; `records-lost` when it is empty and
 * `mayInitialise` is false, i.e. the database is known to have existed before). Returns the version
 * found before migrating (`0` for a new database).
 */
export async function ensureSchema(
  db: LevelDb,
  sublevels: Sublevels,
  location: string,
  target: number = LEVEL_STORAGE_SCHEMA_VERSION,
  migrations: readonly SchemaMigration[] = SCHEMA_MIGRATIONS,
  mayInitialise = true,
): Promise<number> {
  const raw = await sublevels.meta.get('schema');
  if (raw === undefined) {
    const [anyKey] = await db.keys({ limit: 1 }).all();
    if (anyKey !== undefined) {
      throw levelStorageError(
        'foreign',
        location,
        `The LevelDB database at ${location} has data but no WardWatch schema marker: it belongs to another application. Point the storage at an empty directory or a WardWatch database.`,
      );
    }
    if (!mayInitialise) {
      throw levelStorageError(
        'records-lost',
        location,
        `The LevelDB database at ${location} holds no records at all, not even the WardWatch schema marker written when it was created: its write-ahead log was truncated or deleted (or it is another application's empty database). Refusing to start an empty station over it: restore the directory from a backup, or move it aside to start a new database.`,
      );
    }
    await writeMarker(db, sublevels, target);
    return 0;
  }
  let meta: SchemaMeta;
  try {
    meta = JSON.parse(raw) as SchemaMeta;
  } catch (cause) {
    throw levelStorageError('record-unreadable', location, `The schema marker of the database at ${location} is unreadable`, { cause });
  }
  if (meta?.format !== LEVEL_STORAGE_FORMAT || !Number.isInteger(meta.version) || meta.version < 1) {
    throw levelStorageError('foreign', location, `The database at ${location} has an unknown schema marker ${JSON.stringify(raw).slice(0, 200)}`);
  }
  if (meta.version > target) {
    throw new WardwatchError(
      'STORAGE_VERSION_UNSUPPORTED',
      `The database at ${location} was written by a newer WardWatch (schema version ${meta.version}; this version reads up to ${target}). Upgrade @wardwatch/storage-level, or restore a backup made by this version.`,
      { details: { path: location, found: meta.version, supported: target } },
    );
  }
  for (let version = meta.version; version < target; version++) {
    const step = migrations.find((m) => m.from === version);
    if (!step) {
      throw new WardwatchError('STORAGE_VERSION_UNSUPPORTED', `No migration from schema version ${version} of the database at ${location}`, {
        details: { path: location, found: version, supported: target },
      });
    }
    await step.up(db, sublevels);
    await writeMarker(db, sublevels, version + 1);
  }
  return meta.version;
}
