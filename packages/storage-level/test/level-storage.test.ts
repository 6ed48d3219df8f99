import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INCIDENT_STATUSES, type Incident, type StorageAdapter } from '@wardwatch/core';
import { storageFixtures } from '@wardwatch/core/testing';
import { Level } from 'level';
import { afterEach, describe, expect, it } from 'vitest';
import { createLevelStorage } from '../src/index.js';

const { makeIncident, makeSegment, makeSegments, MINUTE, T0 } = storageFixtures;

const dirs: string[] = [];
const opened: StorageAdapter[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function fresh(): Promise<{ path: string; storage: StorageAdapter }> {
  const path = await mkdtemp(join(tmpdir(), 'ww-level-'));
  dirs.push(path);
  const storage = await createLevelStorage({ path });
  opened.push(storage);
  return { path, storage };
}

/** Every raw key of a sublevel, read with a plain `level` handle after the storage is closed. */
async function rawKeys(path: string, sublevel: string): Promise<string[]> {
  const db = new Level<string, string>(path);
  try {
    return await db.sublevel(sublevel).keys().all();
  } finally {
    await db.close();
  }
}

const indexKeysOf = (i: Incident): string[] => [
  `category!${i.category}!${i.id}`,
  `station!${i.station}!${i.id}`,
  `status!${i.status}!${i.id}`,
  ...[...new Set(i.ranges.map((r) => r.cameraId))].map((c) => `camera!${c}!${i.id}`),
];

describe('createLevelStorage on disk', () => {
  it('keeps the incident secondary index exactly in step with the records, also under concurrent updates', async () => {
    const { path, storage } = await fresh();
    await storage.incidents.put(makeIncident('i1', { status: 'open', ranges: [{ cameraId: 'cam-a', from: T0, to: T0 + 1 }] }));
    await storage.incidents.put(makeIncident('i2', { station: 'S!2%', status: 'open' }));
    // Ten updates of i1 in flight at once, each changing status and camera: the last call wins.
    await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        storage.incidents.put(makeIncident('i1', { status: INCIDENT_STATUSES[n % 4] as Incident['status'], ranges: [{ cameraId: `cam-${n}`, from: T0, to: T0 + 1 }] })),
      ),
    );
    const final = await storage.incidents.get('i1');
    expect(final?.status).toBe(INCIDENT_STATUSES[9 % 4]);
    expect(final?.ranges[0]?.cameraId).toBe('cam-9');
    expect((await storage.incidents.query({ station: 'S!2%' })).items.map((i) => i.id)).toEqual(['i2']);
    expect((await storage.incidents.query({ station: 'S' })).items).toEqual([]);
    const i2 = await storage.incidents.get('i2');
    await storage.close();

    const keys = (await rawKeys(path, 'incident-index')).sort();
    const expected = [...indexKeysOf(final as Incident), ...indexKeysOf(i2 as Incident).map((k) => k.replace('S!2%', 'S%212%25'))].sort();
    expect(keys).toEqual(expected);
  });

  it('stores one compact record per segment, keyed by camera and zero-padded start', async () => {
    const { path, storage } = await fresh();
    await storage.segments.addMany(makeSegments('cam-a', T0, 3));
    await storage.segments.add(makeSegment('cam-b', 5));
    await storage.close();
    expect(await rawKeys(path, 'segments')).toEqual([
      `cam-a!${String(T0).padStart(15, '0')}`,
      `cam-a!${String(T0 + MINUTE).padStart(15, '0')}`,
      `cam-a!${String(T0 + 2 * MINUTE).padStart(15, '0')}`,
      'cam-b!000000000000005',
    ]);
  });

  it('rejects invalid and oversized records before they reach the disk', async () => {
    const { path, storage } = await fresh();
    const tooBig = { type: 'plate', at: T0, cameraId: 'cam-a', plate: 'x', raw: 'x', confidence: 1, cropJpeg: 'A'.repeat(2 * 1024 * 1024) } as const;
    await expect(storage.events.append(tooBig)).rejects.toMatchObject({ code: 'STORAGE_RECORD_TOO_LARGE' });
    await expect(storage.segments.add({ ...makeSegment('cam-a', T0), sha256: 'nope' })).rejects.toMatchObject({ code: 'STORAGE_RECORD_INVALID' });
    await expect(storage.incidents.put({ ...makeIncident('i1'), title: '' })).rejects.toMatchObject({ code: 'STORAGE_RECORD_INVALID' });
    await expect(storage.audit.append({ at: -1, actor: 'a', action: 'x' })).rejects.toMatchObject({ code: 'STORAGE_RECORD_INVALID' });
    await storage.close();
    for (const sublevel of ['events', 'events-by-camera', 'segments', 'segment-cameras', 'incidents', 'incident-index', 'audit']) {
      expect(await rawKeys(path, sublevel), sublevel).toEqual([]);
    }
  });

  it('a removal issued right after a hold write sees the hold (no check-then-delete race)', async () => {
    const { storage } = await fresh();
    await storage.segments.addMany(makeSegments('cam-a', T0, 3));
    const { makeHold } = storageFixtures;
    // Neither call is awaited before the other is issued: the hold is written first, in call order.
    const hold = storage.holds.put(makeHold('h1', 'cam-a', T0, T0 + 1));
    const removal = storage.segments.remove([{ cameraId: 'cam-a', start: T0 }]);
    await hold;
    await expect(removal).rejects.toMatchObject({ code: 'SEGMENT_HELD' });
    expect((await storage.segments.query('cam-a', { from: T0, to: T0 + 3 * MINUTE })).length).toBe(3);
    // And the other order: a removal issued before the hold completes first.
    const removal2 = storage.segments.remove([{ cameraId: 'cam-a', start: T0 + MINUTE }]);
    const hold2 = storage.holds.put(makeHold('h2', 'cam-a', T0 + MINUTE, T0 + MINUTE + 1));
    await removal2;
    await hold2;
    expect((await storage.segments.query('cam-a', { from: T0, to: T0 + 3 * MINUTE })).map((s) => s.start)).toEqual([T0, T0 + 2 * MINUTE]);
  });

  it('honours maxRecordBytes for every record kind', async () => {
    const path = await mkdtemp(join(tmpdir(), 'ww-level-'));
    dirs.push(path);
    const storage = await createLevelStorage({ path, maxRecordBytes: 400 });
    opened.push(storage);
    await expect(storage.segments.add({ ...makeSegment('cam-a', T0), path: 'p'.repeat(500) })).rejects.toMatchObject({ code: 'STORAGE_RECORD_TOO_LARGE' });
    await storage.segments.add(makeSegment('cam-a', T0));
    await expect(storage.incidents.put(makeIncident('i1', { description: 'd'.repeat(500) }))).rejects.toMatchObject({ code: 'STORAGE_RECORD_TOO_LARGE' });
    expect(await storage.segments.cameraIds()).toEqual(['cam-a']);
  });

  it('writes batched by many concurrent callers are all acknowledged, readable, and durable after close', async () => {
    const { path, storage } = await fresh();
    const segments = makeSegments('cam-a', T0, 500);
    await Promise.all(segments.map((s) => storage.segments.add(s)));
    expect(await storage.segments.query('cam-a', { from: T0, to: T0 + 500 * MINUTE })).toEqual(segments);
    const pending = Promise.all(makeSegments('cam-b', T0, 50).map((s) => storage.segments.add(s)));
    await storage.close();
    await pending;
    const reopened = await createLevelStorage({ path });
    opened.push(reopened);
    expect((await reopened.segments.query('cam-b', { from: T0, to: T0 + 50 * MINUTE })).length).toBe(50);
  });
});
