import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SightingInput, StorageAdapter, WatchlistEntry } from '@wardwatch/core';
import { storageFixtures } from '@wardwatch/core/testing';
import { Level } from 'level';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createLevelStorage, type LevelStorageOptions } from '../src/index.js';

const { makeCamera, makeEvidence, makeHold, makeIncident, makeMotion, makeSegment, MINUTE, T0 } = storageFixtures;

/**
 * The options every LevelDB write of this process reaches classic-level with: the chained batch's
 * `_write` and the database's `_put` are wrapped (calling through to the real ones), so what is observed
 * is what the native binding receives.
 */
const writes: Array<{ kind: 'batch' | 'put'; sync: boolean; keys: string[] }> = [];
let batchSpy: MockInstance;
let putSpy: MockInstance;
let probeDir: string;

beforeAll(async () => {
  probeDir = await mkdtemp(join(tmpdir(), 'ww-level-sync-probe-'));
  const probe = new Level<string, string>(probeDir);
  await probe.open();
  const batch = probe.batch();
  const batchProto = Object.getPrototypeOf(batch) as { _write(options: { sync?: boolean }): Promise<void>; _put(key: unknown, value: unknown): void };
  const dbProto = Object.getPrototypeOf(probe) as { _put(key: unknown, value: unknown, options: { sync?: boolean }): Promise<void> };
  await batch.close();
  await probe.close();
  const realPut = batchProto._put;
  // Remember the keys each batch carries, to tell which repository a write belongs to.
  vi.spyOn(batchProto, '_put').mockImplementation(function (this: { keys?: string[] }, key, value) {
    (this.keys ??= []).push(String(key));
    return realPut.call(this, key, value);
  });
  const realWrite = batchProto._write;
  batchSpy = vi.spyOn(batchProto, '_write').mockImplementation(function (this: { keys?: string[] }, options) {
    writes.push({ kind: 'batch', sync: options?.sync === true, keys: this.keys ?? [] });
    return realWrite.call(this, options);
  });
  const realDbPut = dbProto._put;
  putSpy = vi.spyOn(dbProto, '_put').mockImplementation(function (this: unknown, key, value, options) {
    writes.push({ kind: 'put', sync: options?.sync === true, keys: [String(key)] });
    return realDbPut.call(this, key, value, options);
  });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await rm(probeDir, { recursive: true, force: true });
});

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function open(options: Omit<LevelStorageOptions, 'path'> = {}): Promise<StorageAdapter> {
  const path = await mkdtemp(join(tmpdir(), 'ww-level-sync-'));
  cleanups.push(() => rm(path, { recursive: true, force: true }));
  const storage = await createLevelStorage({ path, ...options });
  cleanups.push(() => storage.close());
  return storage;
}

/** Runs `write` alone (awaited) and returns the sync flags of the LevelDB writes it caused. */
async function syncOf(write: () => Promise<unknown>): Promise<Array<{ sync: boolean; keys: string[] }>> {
  const before = writes.length;
  await write();
  return writes.slice(before).map(({ sync, keys }) => ({ sync, keys }));
}

const watchlistEntry: WatchlistEntry = {
  id: 'wl-1',
  kind: 'plate',
  plate: '29A-123.45',
  label: 'Honda Vision đỏ',
  reason: 'stolen',
  createdAt: T0,
  createdBy: 'officer-1',
  updatedAt: T0,
  updatedBy: 'officer-1',
};
const plateRead: SightingInput = { kind: 'plate', at: T0, cameraId: 'cam-a', plate: '29A-123.45', raw: '29A12345', confidence: 0.9 };

/** Every write the repositories make, one at a time, each awaited on its own so no two share a batch. */
function everyWrite(storage: StorageAdapter): Record<string, () => Promise<unknown>> {
  return {
    segment: () => storage.segments.add(makeSegment('cam-a', T0)),
    segments: () => storage.segments.addMany([makeSegment('cam-a', T0 + MINUTE), makeSegment('cam-b', T0)]),
    'segment removal': () => storage.segments.remove([{ cameraId: 'cam-b', start: T0 }]),
    evidence: () => storage.evidence.put(makeEvidence('ev-1', 'cam-a')),
    hold: () => storage.holds.put(makeHold('hold-1', 'cam-a', T0, T0 + MINUTE)),
    audit: () => storage.audit.append({ at: T0, actor: 'officer-1', action: 'evidence.export' }),
    incident: () => storage.incidents.put(makeIncident('inc-1')),
    camera: () => storage.cameras.put(makeCamera('cam-a') as never),
    'camera removal': () => storage.cameras.delete('cam-a'),
    'watchlist entry': () => storage.watchlist.put(watchlistEntry),
    'watchlist removal': () => storage.watchlist.delete(watchlistEntry.id),
    event: () => storage.events.append(makeMotion('cam-a', T0)),
    events: () => storage.events.appendMany([makeMotion('cam-a', T0 + 1), makeMotion('cam-b', T0 + 2)]),
    sighting: () => storage.sightings.add(plateRead),
  };
}

describe('durability of acknowledged writes', () => {
  it("by default ('records') fsyncs segments, their removal, evidence, holds, audit, incidents, cameras and the watchlist, but not events or sightings", async () => {
    const storage = await open();
    const observed: Record<string, boolean[]> = {};
    for (const [name, write] of Object.entries(everyWrite(storage))) observed[name] = (await syncOf(write)).map((w) => w.sync);
    expect(observed).toEqual({
      segment: [true],
      segments: [true],
      'segment removal': [true],
      evidence: [true],
      hold: [true],
      audit: [true],
      incident: [true],
      camera: [true],
      'camera removal': [true],
      'watchlist entry': [true],
      'watchlist removal': [true],
      event: [false],
      events: [false],
      sighting: [false],
    });
  });

  it('writes the schema marker of a new database with an fsync', async () => {
    const before = writes.length;
    await open();
    const marker = writes.slice(before).filter((w) => w.keys.some((k) => k.includes('schema')));
    expect(marker).toEqual([{ kind: 'put', sync: true, keys: ['!meta!schema'] }]);
  });

  it('fsyncs a batch that carries an event together with a segment (group commit makes the whole batch durable)', async () => {
    const storage = await open({ batchDelayMs: 20 });
    const observed = await syncOf(() => Promise.all([storage.events.append(makeMotion('cam-a', T0)), storage.segments.add(makeSegment('cam-a', T0))]));
    expect(observed).toHaveLength(1);
    expect(observed[0]?.sync).toBe(true);
    expect(observed[0]?.keys.some((k) => k.startsWith('!events!'))).toBe(true);
    expect(observed[0]?.keys.some((k) => k.startsWith('!segments!'))).toBe(true);
  });

  it('sync: true fsyncs every write, events too; sync: false none', async () => {
    const all = await open({ sync: true });
    for (const [name, write] of Object.entries(everyWrite(all))) expect({ name, sync: (await syncOf(write)).map((w) => w.sync) }).toEqual({ name, sync: [true] });
    const none = await open({ sync: false });
    for (const [name, write] of Object.entries(everyWrite(none))) expect({ name, sync: (await syncOf(write)).map((w) => w.sync) }).toEqual({ name, sync: [false] });
  });

  it('rejects an unknown sync option with INVALID_CONFIG', async () => {
    await expect(createLevelStorage({ path: join(tmpdir(), 'never-created'), sync: 'sometimes' as never })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('observes through the real binding (the wrappers were called)', () => {
    expect(batchSpy).toHaveBeenCalled();
    expect(putSpy).toHaveBeenCalled();
  });
});
