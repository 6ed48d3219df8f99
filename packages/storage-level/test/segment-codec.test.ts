import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storageFixtures } from '@wardwatch/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createLevelStorage } from '../src/index.js';
import { openLevelDatabase, openSublevels } from '../src/level-database.js';
import { LEVEL_STORAGE_FORMAT, LEVEL_STORAGE_SCHEMA_VERSION } from '../src/schema-version.js';
import { decodeSegment, decodeStartAndBytes, encodeSegmentJson, encodeSegmentValue, segmentKey } from '../src/segment-codec.js';

const { makeSegment, T0, MINUTE } = storageFixtures;

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('segment value codec', () => {
  it('round-trips awkward codecs and paths in the compact form, and lone surrogates through the JSON form', () => {
    const base = makeSegment('cam-a', T0);
    const cases = [
      base,
      { ...base, codec: 'h,2"6\\4', path: ',,x,/ä ü/😀/\n\t.mp4', bytes: Number.MAX_SAFE_INTEGER, end: T0 + 123_456_789 },
      { ...base, codec: 'c'.repeat(64), path: 'p'.repeat(1024), bytes: 0, end: T0, start: T0 },
      { ...base, path: 'bad\ud800half.mp4' },
      { ...base, codec: '\udc00' },
    ];
    for (const segment of cases) {
      const value = encodeSegmentValue(segment);
      expect(decodeSegment(segmentKey(segment.cameraId, segment.start), value)).toEqual(segment);
      expect(decodeStartAndBytes(segmentKey(segment.cameraId, segment.start), value)).toEqual({ start: segment.start, bytes: segment.bytes });
    }
    expect(encodeSegmentValue(cases[3] as typeof base).startsWith('[')).toBe(true);
    expect(encodeSegmentValue(base).length).toBeLessThan(encodeSegmentJson(base).length);
  });

  it('upgrades a version-1 database in place: its JSON segment values stay readable next to compact ones', async () => {
    const path = await mkdtemp(join(tmpdir(), 'ww-level-codec-'));
    dirs.push(path);
    const old = makeSegment('cam-a', T0);
    const db = await openLevelDatabase(path);
    const sub = openSublevels(db);
    await sub.meta.put('schema', JSON.stringify({ format: LEVEL_STORAGE_FORMAT, version: 1 }));
    await sub.segments.put(segmentKey(old.cameraId, old.start), encodeSegmentJson(old));
    await sub.segmentCameras.put('cam-a', JSON.stringify({ maxDuration: old.end - old.start }));
    await db.close();

    const storage = await createLevelStorage({ path });
    const fresh = makeSegment('cam-a', T0 + MINUTE);
    await storage.segments.add(fresh);
    expect(await storage.segments.query('cam-a', { from: T0, to: T0 + 2 * MINUTE })).toEqual([old, fresh]);
    expect(await storage.segments.bytesPerDay('cam-a', { from: T0, to: T0 + 2 * MINUTE })).toEqual([{ day: expect.any(String), bytes: old.bytes + fresh.bytes }]);
    await storage.close();

    const reopened = await openLevelDatabase(path);
    try {
      const marker = JSON.parse((await openSublevels(reopened).meta.get('schema')) as string) as { version: number };
      expect(marker.version).toBe(LEVEL_STORAGE_SCHEMA_VERSION);
      const values = await openSublevels(reopened).segments.values().all();
      expect(values.map((v) => v.startsWith('['))).toEqual([true, false]);
    } finally {
      await reopened.close();
    }
  });
});
