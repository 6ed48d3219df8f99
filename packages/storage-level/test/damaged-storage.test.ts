import { createHash } from 'node:crypto';
import { cp, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { isWardwatchError, type Logger, type StorageAdapter, type WardwatchError } from '@wardwatch/core';
import { storageFixtures } from '@wardwatch/core/testing';
import { Level } from 'level';
import { afterEach, describe, expect, it } from 'vitest';
import { createLevelStorage, LEVEL_STORAGE_FORMAT, LEVEL_STORAGE_SCHEMA_VERSION, repairLevelStorage, type LevelStorageOptions } from '../src/index.js';

const { makeSegment, MINUTE, T0 } = storageFixtures;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function tempDir(): Promise<string> {
  // One parent per test, so backups (`<path>.backup-*`) and staging siblings are cleaned up with it.
  const parent = await mkdtemp(join(tmpdir(), 'ww-level-damage-'));
  cleanups.push(() => rm(parent, { recursive: true, force: true }));
  return join(parent, 'db');
}

interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg?: string;
}

function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger: Logger = {
    debug: (obj, msg) => void lines.push({ level: 'debug', obj: obj as Record<string, unknown>, msg }),
    info: (obj, msg) => void lines.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
    warn: (obj, msg) => void lines.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
    error: (obj, msg) => void lines.push({ level: 'error', obj: obj as Record<string, unknown>, msg }),
    child: () => logger,
  };
  return { logger, lines };
}

async function openStorage(path: string, options: Omit<LevelStorageOptions, 'path'> = {}): Promise<StorageAdapter> {
  const storage = await createLevelStorage({ path, ...options });
  cleanups.push(() => storage.close());
  return storage;
}

async function openError(path: string, options: Omit<LevelStorageOptions, 'path'> = {}): Promise<WardwatchError> {
  const result = await createLevelStorage({ path, ...options }).then(
    async (storage) => {
      await storage.close();
      return undefined;
    },
    (error: unknown) => error,
  );
  if (!isWardwatchError(result)) throw new Error(`expected a WardwatchError, got ${String(result)}`);
  return result;
}

/** Every file of a directory (recursively) with its SHA-256, to tell whether it was touched. */
async function fingerprint(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length + 1)] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return out;
}

/** The write-ahead logs of a LevelDB directory, oldest first (the last one is the live log). */
async function logs(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => /^\d+\.log$/.test(f)).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
}

async function lastLog(dir: string): Promise<string> {
  const all = await logs(dir);
  expect(all.length).toBeGreaterThan(0);
  return join(dir, all.at(-1) as string);
}

const segmentsOf = (n: number, from = 0) => Array.from({ length: n }, (_, i) => makeSegment('cam-a', T0 + (from + i) * MINUTE));

/**
 * The database as a power cut or kill would leave it: segments written (each acknowledged, fsynced)
 * into the live log, the directory copied while the storage is still open (no clean shutdown).
 */
async function crashImage(count: number): Promise<string> {
  const live = await tempDir();
  const storage = await openStorage(live);
  for (const segment of segmentsOf(count)) await storage.segments.add(segment);
  const image = join(dirname(live), 'image');
  await cp(live, image, { recursive: true });
  await storage.close();
  return image;
}

async function startsOf(storage: StorageAdapter): Promise<number[]> {
  return (await storage.segments.query('cam-a', { from: T0, to: T0 + 10_000 * MINUTE })).map((s) => (s.start - T0) / MINUTE);
}

describe('damaged storage', () => {
  it('creates a new database whole: the schema marker is on disk before the directory appears, no staging left behind', async () => {
    const path = await tempDir();
    const storage = await openStorage(path);
    await storage.close();
    expect((await readdir(dirname(path))).sort()).toEqual(['db']);
    const raw = new Level<string, string>(path);
    expect(JSON.parse((await raw.sublevel('meta').get('schema')) as string)).toEqual({ format: LEVEL_STORAGE_FORMAT, version: LEVEL_STORAGE_SCHEMA_VERSION });
    await raw.close();
  });

  it('creates a new database through a symlink in the target directory, keeping the link', async () => {
    const path = await tempDir();
    const target = join(dirname(path), 'bigger-disk');
    await mkdir(target);
    await symlink(target, path);
    const storage = await openStorage(path);
    await storage.segments.add(makeSegment('cam-a', T0));
    await storage.close();
    expect((await lstat(path)).isSymbolicLink()).toBe(true);
    expect(await readdir(target)).toContain('CURRENT');
    expect(await startsOf(await openStorage(path))).toEqual([0]);
  });

  it('loses nothing when the last log is truncated after a clean shutdown (close moves everything into tables)', async () => {
    const path = await tempDir();
    const storage = await openStorage(path);
    await storage.segments.addMany(segmentsOf(20));
    await storage.close();
    const log = await lastLog(path);
    await truncate(log, 0);
    const reopened = await openStorage(path);
    expect(await startsOf(reopened)).toEqual(segmentsOf(20).map((_, i) => i));
  });

  it('opens a crash image whose last log record is torn, keeping every earlier record and warning with the file and bytes dropped', async () => {
    const image = await crashImage(30);
    const log = await lastLog(image);
    const size = (await stat(log)).size;
    await truncate(log, size - 5);
    const { logger, lines } = captureLogger();
    const storage = await openStorage(image, { logger });
    // The torn record was the last segment write; the 29 before it are all there.
    expect(await startsOf(storage)).toEqual(segmentsOf(29).map((_, i) => i));
    const warning = lines.find((l) => l.level === 'warn');
    expect(warning?.obj).toMatchObject({ path: image, file: basename(log) });
    expect(warning?.obj.droppedBytes).toBeGreaterThan(0);
    expect(warning?.obj.droppedBytes).toBeLessThan(200);
    expect(warning?.msg).toMatch(/cut short/);
  });

  it('refuses a log with flipped bytes (LevelDB would silently drop the rest of the block) and leaves the directory untouched', async () => {
    const image = await crashImage(30);
    const log = await lastLog(image);
    const bytes = await readFile(log);
    // Flip a byte in the middle of the log: a record there fails its checksum, and the records after it
    // in the same 32 KiB block (all of them here) would be dropped without a word by LevelDB.
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] as number) ^ 0xff;
    await writeFile(log, bytes);
    const before = await fingerprint(image);
    const error = await openError(image);
    expect(error.code).toBe('STORAGE_CORRUPT');
    expect(error.details).toMatchObject({ path: image, problem: 'log-corrupt', repairable: true, file: basename(log), reason: 'checksum mismatch' });
    expect(error.details.offset).toBeLessThanOrEqual(at);
    expect(error.message).toContain('repair: true');
    expect(await fingerprint(image)).toEqual(before);
  });

  it('repairs a corrupt log with repair: true: backs the directory up first, keeps every readable record, warns', async () => {
    const image = await crashImage(30);
    const log = await lastLog(image);
    const bytes = await readFile(log);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] as number) ^ 0xff;
    await writeFile(log, bytes);
    const before = await fingerprint(image);
    const { logger, lines } = captureLogger();
    const storage = await openStorage(image, { repair: true, logger });
    const kept = await startsOf(storage);
    // The records before the damaged one survive, in order; nothing that was not written appears.
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.length).toBeLessThan(30);
    expect(kept).toEqual(kept.map((_, i) => i));
    const repaired = lines.find((l) => l.level === 'warn' && /repaired/.test(l.msg ?? ''));
    expect(repaired?.obj).toMatchObject({ path: image, problem: 'log-corrupt' });
    const backup = repaired?.obj.backup as string;
    expect(basename(backup)).toMatch(/^image\.backup-\d{4}-\d\d-\d\dT/);
    // The backup is the directory exactly as it was before the repair.
    expect(await fingerprint(backup)).toEqual(before);
  });

  it('refuses a database whose CURRENT file is missing, naming the problem, without creating a new database over it', async () => {
    const path = await tempDir();
    const storage = await openStorage(path);
    await storage.segments.addMany(segmentsOf(10));
    await storage.close();
    await unlink(join(path, 'CURRENT'));
    const before = await fingerprint(path);
    const error = await openError(path);
    expect(error.code).toBe('STORAGE_CORRUPT');
    expect(error.details).toMatchObject({ path, problem: 'current-missing', repairable: true });
    expect(error.message).toMatch(/CURRENT/);
    expect(await fingerprint(path)).toEqual(before);
  });

  it('repairs a missing CURRENT with repair: true, every record back, and the backup as it was', async () => {
    const path = await tempDir();
    const storage = await openStorage(path);
    await storage.segments.addMany(segmentsOf(10));
    await storage.audit.append({ at: T0, actor: 'officer-1', action: 'evidence.export' });
    await storage.close();
    await unlink(join(path, 'CURRENT'));
    const before = await fingerprint(path);
    const { logger, lines } = captureLogger();
    const repaired = await openStorage(path, { repair: true, logger });
    expect(await startsOf(repaired)).toEqual(segmentsOf(10).map((_, i) => i));
    expect(await repaired.audit.verify()).toMatchObject({ ok: true });
    const backup = lines.find((l) => /repaired/.test(l.msg ?? ''))?.obj.backup as string;
    expect(await fingerprint(backup)).toEqual(before);
  });

  it('repairs a garbage CURRENT (LevelDB refuses to open it) only when asked', async () => {
    const path = await tempDir();
    const storage = await openStorage(path);
    await storage.segments.addMany(segmentsOf(5));
    await storage.close();
    await writeFile(join(path, 'CURRENT'), 'MANIFEST-999999\n');
    expect((await openError(path)).details).toMatchObject({ problem: 'unreadable', repairable: true });
    const repaired = await openStorage(path, { repair: true });
    expect(await startsOf(repaired)).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses a WardWatch LevelDB whose records are all gone (log truncated before any table was written) as records-lost, even with repair: true', async () => {
    const path = await tempDir();
    // As an in-place creation leaves it: the marker and the records only in the live log.
    const raw = new Level<string, string>(path);
    await raw.sublevel('meta').put('schema', JSON.stringify({ format: LEVEL_STORAGE_FORMAT, version: LEVEL_STORAGE_SCHEMA_VERSION }));
    await raw.sublevel('cameras').put('cam-a', '{}');
    await raw.close();
    await truncate(await lastLog(path), 0);
    for (const options of [{}, { repair: true }]) {
      const error = await openError(path, options);
      expect(error.code).toBe('STORAGE_CORRUPT');
      expect(error.details).toMatchObject({ path, problem: 'records-lost', repairable: false });
      expect(error.message).toMatch(/empty station/);
    }
  });

  it("refuses another application's LevelDB and a directory of other files even with repair: true, and leaves them untouched", async () => {
    const foreign = await tempDir();
    const other = new Level<string, string>(foreign);
    await other.put('user:1', '{"name":"someone else"}');
    await other.close();
    const error = await openError(foreign, { repair: true });
    expect(error.details).toMatchObject({ problem: 'foreign', repairable: false });
    const check = new Level<string, string>(foreign);
    expect(await check.keys().all()).toEqual(['user:1']);
    await check.close();
    const photos = join(dirname(foreign), 'photos');
    await cp(join(foreign, 'CURRENT'), join(photos, 'notes.txt'));
    const before = await fingerprint(photos);
    expect((await openError(photos, { repair: true })).details).toMatchObject({ problem: 'not-leveldb', repairable: false });
    expect(await fingerprint(photos)).toEqual(before);
    expect((await readdir(dirname(foreign))).filter((e) => e.includes('backup'))).toEqual([]);
  });

  it('repairLevelStorage refuses a database another process holds open (LevelDB repair takes no lock) and keeps no backup', async () => {
    const path = await tempDir();
    const storage = await openStorage(path);
    await expect(repairLevelStorage({ path })).rejects.toMatchObject({ code: 'STORAGE_LOCKED' });
    expect((await readdir(dirname(path))).sort()).toEqual(['db']);
    await storage.segments.add(makeSegment('cam-a', T0));
    expect(await startsOf(storage)).toEqual([0]);
  });
});
