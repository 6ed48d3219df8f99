import { mkdtemp, readdir, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { storageFixtures } from '@wardwatch/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createLevelStorage, runStorageCli } from '../src/index.js';

const { makeSegments, T0 } = storageFixtures;

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runStorageCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('wardwatch-storage', () => {
  it('check names the problem of a damaged database (exit 2); repair backs it up, repairs it, and check then passes', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'ww-storage-cli-'));
    dirs.push(parent);
    const path = join(parent, 'db');
    const storage = await createLevelStorage({ path });
    await storage.segments.addMany(makeSegments('cam-a', T0, 3));
    await storage.close();
    expect(await run('check', path)).toEqual({ code: 0, out: `${path}: ok\n`, err: '' });

    await unlink(join(path, 'CURRENT'));
    const damaged = await run('check', path);
    expect(damaged.code).toBe(2);
    expect(damaged.err).toMatch(/^STORAGE_CORRUPT \(current-missing, repairable\): .*CURRENT/);

    const repaired = await run('repair', path);
    expect(repaired.code).toBe(0);
    const backup = (await readdir(parent)).find((e) => e.startsWith('db.backup-')) as string;
    expect(repaired.out).toBe(`${path}: repaired (current-missing); the directory as it was is in ${join(dirname(path), backup)}\n`);
    expect(await run('check', path)).toMatchObject({ code: 0 });
    const reopened = await createLevelStorage({ path });
    expect((await reopened.segments.query('cam-a', { from: T0, to: T0 + 3 * 60_000 })).length).toBe(3);
    await reopened.close();
  });

  it('check says when there is no database (exit 2), repair refuses one (exit 1), anything else prints the usage', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ww-storage-cli-'));
    dirs.push(dir);
    expect(await run('check', dir)).toMatchObject({ code: 2, err: expect.stringMatching(/empty directory/) });
    expect(await run('check', join(dir, 'missing'))).toMatchObject({ code: 2, err: expect.stringMatching(/no such directory/) });
    expect(await run('destroy', dir)).toMatchObject({ code: 2, err: expect.stringMatching(/^Usage:/) });
    expect(await run('repair', dir)).toMatchObject({ code: 1, err: expect.stringMatching(/^INVALID_ARGUMENT: There is no database to repair/) });
  });
});
