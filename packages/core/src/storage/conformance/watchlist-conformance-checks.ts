import assert from 'node:assert/strict';
import type { WatchlistEntry } from '../../model/watchlist-entry.js';
import { check, expectCode } from './conformance-assert.js';
import type { StorageConformanceCheck } from './storage-conformance-checks.js';
import { DAY, T0 } from './storage-fixtures.js';

function entry(id: string, overrides: Partial<WatchlistEntry> = {}): WatchlistEntry {
  return { id, kind: 'plate', plate: '29A-123.45', label: 'Honda Vision đỏ', reason: 'stolen', caseId: 'VV-12/2026', expiresAt: T0 + DAY, createdAt: T0, createdBy: 'officer-1', updatedAt: T0, updatedBy: 'officer-1', ...overrides };
}

/** The watchlist checks of the storage conformance kit. */
export const watchlistConformanceChecks: readonly StorageConformanceCheck[] = [
  check('watchlist', 'put/get/list/delete round-trip, list ordered by id and filtered by kind, put replaces', async ({ storage }) => {
    const face = entry('wl-b', { kind: 'face', embeddings: [[0.1, 0.2, 0.3]], cameras: ['cam-a'] });
    delete (face as Partial<WatchlistEntry>).plate;
    await storage.watchlist.put(face);
    await storage.watchlist.put(entry('wl-a'));
    assert.deepEqual(await storage.watchlist.get('wl-b'), face);
    assert.deepEqual((await storage.watchlist.list()).map((e) => e.id), ['wl-a', 'wl-b']);
    assert.deepEqual((await storage.watchlist.list({ kind: 'face' })).map((e) => e.id), ['wl-b']);
    await storage.watchlist.put(entry('wl-a', { plate: '29A-1??.45', updatedAt: T0 + 5 }));
    assert.equal((await storage.watchlist.get('wl-a'))?.plate, '29A-1??.45', 'put replaces');
    await storage.watchlist.delete('wl-a');
    await storage.watchlist.delete('no-such-entry');
    assert.equal(await storage.watchlist.get('wl-a'), undefined);
    assert.deepEqual((await storage.watchlist.list()).map((e) => e.id), ['wl-b']);
  }),
  check('watchlist', 'rejects invalid entries with STORAGE_RECORD_INVALID', async ({ storage }) => {
    const { plate: _plate, ...noPlate } = entry('wl-x');
    await expectCode('plate entry without plate', 'STORAGE_RECORD_INVALID', () => storage.watchlist.put(noPlate as WatchlistEntry));
    await expectCode('face entry without embeddings', 'STORAGE_RECORD_INVALID', () => storage.watchlist.put({ ...noPlate, kind: 'face' } as WatchlistEntry));
    await expectCode('bad id', 'STORAGE_RECORD_INVALID', () => storage.watchlist.put(entry('a!b')));
    assert.deepEqual(await storage.watchlist.list(), []);
  }),
  check(
    'watchlist',
    'watchlist entries survive a reopen',
    async (ctx) => {
      await ctx.storage.watchlist.put(entry('wl-a'));
      const reopened = await ctx.reopen();
      assert.deepEqual(await reopened.watchlist.list(), [entry('wl-a')]);
    },
    true,
  ),
];
