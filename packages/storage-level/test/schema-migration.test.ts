import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLevelDatabase, openSublevels, type LevelDb } from '../src/level-database.js';
import { ensureSchema, LEVEL_STORAGE_FORMAT, type SchemaMigration } from '../src/schema-version.js';

const open: LevelDb[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function freshDb(): Promise<LevelDb> {
  const dir = await mkdtemp(join(tmpdir(), 'ww-level-schema-'));
  dirs.push(dir);
  const db = await openLevelDatabase(dir);
  open.push(db);
  return db;
}

describe('schema version and migrations', () => {
  it('marks a new database, runs migrations in order for an older one, and records each step', async () => {
    const db = await freshDb();
    const sub = openSublevels(db);
    expect(await ensureSchema(db, sub, 'test', 1, [])).toBe(0);
    await sub.cameras.put('cam-a', JSON.stringify({ id: 'cam-a', name: 'old name' }));
    const steps: number[] = [];
    const migrations: SchemaMigration[] = [
      {
        from: 2,
        async up(_db, s) {
          steps.push(2);
          const camera = JSON.parse((await s.cameras.get('cam-a')) as string) as { name: string; tags?: string[] };
          await s.cameras.put('cam-a', JSON.stringify({ ...camera, tags: ['migrated'] }));
        },
      },
      {
        from: 1,
        async up(_db, s) {
          steps.push(1);
          const camera = JSON.parse((await s.cameras.get('cam-a')) as string) as { name: string };
          await s.cameras.put('cam-a', JSON.stringify({ ...camera, name: camera.name.toUpperCase() }));
        },
      },
    ];
    expect(await ensureSchema(db, sub, 'test', 3, migrations)).toBe(1);
    expect(steps).toEqual([1, 2]);
    expect(JSON.parse((await sub.cameras.get('cam-a')) as string)).toEqual({ id: 'cam-a', name: 'OLD NAME', tags: ['migrated'] });
    expect(JSON.parse((await sub.meta.get('schema')) as string)).toEqual({ format: LEVEL_STORAGE_FORMAT, version: 3 });
    // Already current: nothing runs again.
    expect(await ensureSchema(db, sub, 'test', 3, migrations)).toBe(3);
    expect(steps).toEqual([1, 2]);
  });

  it('refuses an older database without a migration path', async () => {
    const db = await freshDb();
    const sub = openSublevels(db);
    await ensureSchema(db, sub, 'test', 1, []);
    await expect(ensureSchema(db, sub, 'test', 2, [])).rejects.toMatchObject({ code: 'STORAGE_VERSION_UNSUPPORTED' });
  });

  it('refuses an unreadable or foreign schema marker with STORAGE_CORRUPT', async () => {
    const db = await freshDb();
    const sub = openSublevels(db);
    await sub.meta.put('schema', '{not json');
    await expect(ensureSchema(db, sub, 'test')).rejects.toMatchObject({ code: 'STORAGE_CORRUPT' });
    await sub.meta.put('schema', JSON.stringify({ format: 'other-app', version: 1 }));
    await expect(ensureSchema(db, sub, 'test')).rejects.toMatchObject({ code: 'STORAGE_CORRUPT' });
  });
});
