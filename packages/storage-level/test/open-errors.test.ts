import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isWardwatchError, type WardwatchError } from '@wardwatch/core';
import { Level } from 'level';
import { afterEach, describe, expect, it } from 'vitest';
import { createLevelStorage, LEVEL_STORAGE_FORMAT, LEVEL_STORAGE_SCHEMA_VERSION } from '../src/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const holder = fileURLToPath(new URL('./fixtures/hold-open.ts', import.meta.url));

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ww-level-open-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function openError(path: string): Promise<WardwatchError> {
  const result = await createLevelStorage({ path }).then(
    async (storage) => {
      await storage.close();
      return undefined;
    },
    (error: unknown) => error,
  );
  if (!isWardwatchError(result)) throw new Error(`expected a WardwatchError, got ${String(result)}`);
  return result;
}

/** Starts a child process that holds the database open; resolves once it has opened it. */
function holdOpen(path: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', holder, path], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    cleanups.push(
      () =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.stdin?.end();
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`holder exited early (${String(code)}): ${stderr}`)));
  });
}

describe('opening a database', () => {
  it('refuses a database held by another process with STORAGE_LOCKED naming the path', async () => {
    const path = await tempDir();
    await holdOpen(path);
    const error = await openError(path);
    expect(error.code).toBe('STORAGE_LOCKED');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/another process/);
    expect(error.message).toMatch(/different storage path|Stop the other/);
    expect(error.details.path).toBe(path);
  });

  it('refuses a second open in the same process with STORAGE_LOCKED, and opens after the first closes', async () => {
    const path = await tempDir();
    const first = await createLevelStorage({ path });
    await first.segments.add({ cameraId: 'cam-a', start: 1000, end: 2000, path: 'a.mp4', bytes: 1, codec: 'h264', sha256: 'a'.repeat(64) });
    expect((await openError(path)).code).toBe('STORAGE_LOCKED');
    await first.close();
    const second = await createLevelStorage({ path });
    expect(await second.segments.latest('cam-a')).toMatchObject({ start: 1000, end: 2000 });
    await second.close();
  });

  it('refuses a path that is a file with STORAGE_CORRUPT', async () => {
    const dir = await tempDir();
    const file = join(dir, 'not-a-dir');
    await writeFile(file, 'hello');
    const error = await openError(file);
    expect(error.code).toBe('STORAGE_CORRUPT');
    expect(error.message).toContain(file);
  });

  it('refuses a non-empty foreign directory with STORAGE_CORRUPT and leaves it untouched', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'notes.txt'), 'my files');
    await mkdir(join(dir, 'photos'));
    const error = await openError(dir);
    expect(error.code).toBe('STORAGE_CORRUPT');
    expect(error.message).toMatch(/not a LevelDB database/);
    expect((await readdir(dir)).sort()).toEqual(['notes.txt', 'photos']);
  });

  it('refuses a damaged LevelDB directory (garbage CURRENT) with STORAGE_CORRUPT', async () => {
    const dir = await tempDir();
    const storage = await createLevelStorage({ path: dir });
    await storage.audit.append({ at: 1, actor: 'a', action: 'x' });
    await storage.close();
    await writeFile(join(dir, 'CURRENT'), 'MANIFEST-999999\n');
    const error = await openError(dir);
    expect(error.code).toBe('STORAGE_CORRUPT');
    expect(error.message).toContain(dir);
  });

  it('refuses a foreign LevelDB database (data, no WardWatch marker) with STORAGE_CORRUPT, never an empty database', async () => {
    const dir = await tempDir();
    const foreign = new Level<string, string>(dir);
    await foreign.put('user:1', '{"name":"someone else"}');
    await foreign.close();
    const error = await openError(dir);
    expect(error.code).toBe('STORAGE_CORRUPT');
    expect(error.message).toMatch(/another application/);
    const check = new Level<string, string>(dir);
    expect(await check.get('user:1')).toBe('{"name":"someone else"}');
    expect(await check.keys().all()).toEqual(['user:1']);
    await check.close();
  });

  it('refuses a database written by a newer schema version with STORAGE_VERSION_UNSUPPORTED', async () => {
    const dir = await tempDir();
    const storage = await createLevelStorage({ path: dir });
    await storage.close();
    const raw = new Level<string, string>(dir);
    const meta = raw.sublevel('meta');
    expect(JSON.parse((await meta.get('schema')) as string)).toEqual({ format: LEVEL_STORAGE_FORMAT, version: LEVEL_STORAGE_SCHEMA_VERSION });
    await meta.put('schema', JSON.stringify({ format: LEVEL_STORAGE_FORMAT, version: LEVEL_STORAGE_SCHEMA_VERSION + 1 }));
    await raw.close();
    const error = await openError(dir);
    expect(error.code).toBe('STORAGE_VERSION_UNSUPPORTED');
    expect(error.message).toMatch(/newer WardWatch/);
    expect(error.details).toMatchObject({ found: LEVEL_STORAGE_SCHEMA_VERSION + 1, supported: LEVEL_STORAGE_SCHEMA_VERSION });
  });

  it('refuses a database whose stored state is unreadable with STORAGE_CORRUPT', async () => {
    const dir = await tempDir();
    const storage = await createLevelStorage({ path: dir });
    await storage.segments.add({ cameraId: 'cam-a', start: 1000, end: 2000, path: 'a.mp4', bytes: 1, codec: 'h264', sha256: 'a'.repeat(64) });
    await storage.close();
    const raw = new Level<string, string>(dir);
    await raw.sublevel('segment-cameras').put('cam-a', '{not json');
    await raw.close();
    const error = await openError(dir);
    expect(error.code).toBe('STORAGE_CORRUPT');
    expect(error.message).toContain(dir);
  });

  it('rejects bad options with INVALID_CONFIG', async () => {
    await expect(createLevelStorage({ path: '' })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    const path = await tempDir();
    await expect(createLevelStorage({ path, maxBatchOps: 0 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
