import assert from 'node:assert/strict';
import type { SightingQuery, StorageAdapter } from '../../contracts/storage-adapter.js';
import type { Sighting, SightingInput } from '../../model/sighting.js';
import { check, expectCode } from './conformance-assert.js';
import type { StorageConformanceCheck } from './storage-conformance-checks.js';
import { DAY, HOUR, MINUTE, sha, T0 } from './storage-fixtures.js';

/** A plate read for the checks. */
function plateRead(cameraId: string, at: number, plate: string, overrides: Partial<SightingInput> = {}): SightingInput {
  return { kind: 'plate', at, cameraId, plate, raw: plate.replace(/[-.]/g, ''), confidence: 0.9, box: { x: 0.1, y: 0.2, width: 0.2, height: 0.1 }, ...overrides };
}

/** The fleet of the checks: plate → times (minutes after T0) and cameras. */
const FLEET: Array<[string, number, string]> = [
  ['29A-123.45', 0, 'cam-a'],
  ['29A-123.45', 5, 'cam-b'],
  ['29A-123.45', 60 * 24 * 3, 'cam-c'],
  ['29A-173.45', 1, 'cam-a'],
  ['29A-193.46', 2, 'cam-a'],
  ['30A-123.45', 3, 'cam-b'],
  ['51G-888.88', 4, 'cam-c'],
  ['29B1-123.45', 6, 'cam-a'],
  ['29A-12345', 7, 'cam-b'],
];

async function seed(storage: StorageAdapter): Promise<Sighting[]> {
  // Inserted out of time order, partly in one batch: queries must still be in time order.
  const inputs = FLEET.map(([plate, minutes, cameraId]) => plateRead(cameraId, T0 + minutes * MINUTE, plate));
  const late = await storage.sightings.addMany(inputs.slice(4));
  const early: Sighting[] = [];
  for (const input of inputs.slice(0, 4)) early.push(await storage.sightings.add(input));
  return [...early, ...late];
}

const platesOf = (items: readonly Sighting[]): string[] => items.map((s) => `${s.plate}@${(s.at - T0) / MINUTE}`);

async function allPages(storage: StorageAdapter, query: SightingQuery): Promise<Sighting[][]> {
  const pages: Sighting[][] = [];
  let after: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await storage.sightings.query({ ...query, ...(after === undefined ? {} : { after }) });
    pages.push(page.items);
    if (page.next === undefined) break;
    assert.equal(page.next, page.items[page.items.length - 1]?.id, 'sightings: next cursor must be the id of the page’s last item');
    after = page.next;
  }
  return pages;
}

/** The sightings and plate-pattern checks of the storage conformance kit. */
export const sightingConformanceChecks: readonly StorageConformanceCheck[] = [
  check('sightings', 'add/addMany give unique time-ordered ids and get returns every stored field', async ({ storage }) => {
    const crop = { path: 'cam-a/2026-01-10/crop.jpg', sha256: sha('crop'), bytes: 2048 };
    const a = await storage.sightings.add(plateRead('cam-a', T0 + 10, '29A-123.45', { crop }));
    const [b, c] = await storage.sightings.addMany([plateRead('cam-b', T0 + 10, '30A-123.45'), { kind: 'face', at: T0 + 5, cameraId: 'cam-a', confidence: 0.8, entryId: 'wl-1', label: 'Nguyễn Văn A' }]);
    assert.match(a.id, /^\d{15}-\d{12}$/, 'a sighting id is <at:15>-<seq:12>');
    assert.ok(b && c && new Set([a.id, b.id, c.id]).size === 3, 'ids are unique');
    assert.ok(a.id < (b as Sighting).id, 'same time: later added sorts after');
    assert.ok((c as Sighting).id < a.id, 'ids sort by time');
    assert.deepEqual(await storage.sightings.get(a.id), { ...plateRead('cam-a', T0 + 10, '29A-123.45', { crop }), id: a.id });
    assert.deepEqual(await storage.sightings.get((c as Sighting).id), c);
    assert.equal(await storage.sightings.get('000000000000000-000000000000'), undefined);
    assert.deepEqual((await storage.sightings.query()).items.map((s) => s.id), [(c as Sighting).id, a.id, (b as Sighting).id], 'no filter: every sighting in time order');
  }),
  check('sightings', 'rejects invalid sightings with STORAGE_RECORD_INVALID and stores nothing', async ({ storage }) => {
    await expectCode('plate sighting without plate', 'STORAGE_RECORD_INVALID', () => storage.sightings.add({ kind: 'plate', at: T0, cameraId: 'cam-a', confidence: 0.5 }));
    await expectCode('face sighting without entry', 'STORAGE_RECORD_INVALID', () => storage.sightings.add({ kind: 'face', at: T0, cameraId: 'cam-a', confidence: 0.5 }));
    await expectCode('confidence above 1', 'STORAGE_RECORD_INVALID', () => storage.sightings.add(plateRead('cam-a', T0, '29A-123.45', { confidence: 1.5 })));
    await expectCode('crop path escaping', 'STORAGE_RECORD_INVALID', () =>
      storage.sightings.add(plateRead('cam-a', T0, '29A-123.45', { crop: { path: '../../etc/passwd', sha256: sha('x'), bytes: 1 } })),
    );
    await expectCode('entry id with "!"', 'STORAGE_RECORD_INVALID', () => storage.sightings.add({ kind: 'face', at: T0, cameraId: 'cam-a', confidence: 0.5, entryId: 'a!b' }));
    await expectCode('one bad in a batch', 'STORAGE_RECORD_INVALID', () => storage.sightings.addMany([plateRead('cam-a', T0, '29A-123.45'), plateRead('../x', T0, '29A-123.45')]));
    assert.deepEqual((await storage.sightings.query()).items, [], 'nothing of a rejected batch is stored');
  }),
  check('sightings', 'an exact plate finds its sightings in time order whatever the layout, inside [from, to)', async ({ storage }) => {
    await seed(storage);
    const exact = ['29A-123.45@0', '29A-123.45@5', '29A-12345@7', '29A-123.45@4320'];
    assert.deepEqual(platesOf((await storage.sightings.query({ plate: '29A-123.45' })).items), exact, 'separators are layout: 29A-12345 is the same plate');
    assert.deepEqual(platesOf((await storage.sightings.query({ plate: '29a 123 45' })).items), exact, 'case and spaces do not matter');
    assert.deepEqual(platesOf((await storage.sightings.query({ plate: '29A-123.45', from: T0 + 5 * MINUTE, to: T0 + 7 * MINUTE })).items), ['29A-123.45@5'], 'from inclusive, to exclusive');
    assert.deepEqual(platesOf((await storage.sightings.query({ plate: '29A-123.45', from: T0 + DAY, to: T0 + 7 * DAY })).items), ['29A-123.45@4320']);
    assert.deepEqual((await storage.sightings.query({ plate: '29A-999.99' })).items, []);
    assert.deepEqual(platesOf((await storage.sightings.query({ plate: '29A-123.45', cameraIds: ['cam-b', 'cam-c'] })).items), ['29A-123.45@5', '29A-12345@7', '29A-123.45@4320']);
    assert.deepEqual((await storage.sightings.query({ plate: '29A-123.45', kind: 'face' })).items, [], 'a plate never matches face sightings');
  }),
  check('sightings', 'partial plates: ? is one character, * any run, anchored at both ends, results in time order', async ({ storage }) => {
    await seed(storage);
    const q = async (plate: string, extra: SightingQuery = {}): Promise<string[]> => platesOf((await storage.sightings.query({ plate, ...extra })).items);
    assert.deepEqual(await q('29A-1??.45'), ['29A-123.45@0', '29A-173.45@1', '29A-123.45@5', '29A-12345@7', '29A-123.45@4320']);
    assert.deepEqual(await q('*123.45'), ['29A-123.45@0', '30A-123.45@3', '29A-123.45@5', '29B1-123.45@6', '29A-12345@7', '29A-123.45@4320']);
    assert.deepEqual(await q('?0A-123.45'), ['30A-123.45@3'], 'a leading ? is one character');
    assert.deepEqual(await q('29A*'), ['29A-123.45@0', '29A-173.45@1', '29A-193.46@2', '29A-123.45@5', '29A-12345@7', '29A-123.45@4320']);
    assert.deepEqual(await q('*88.8*'), ['51G-888.88@4'], 'unanchored on both ends');
    assert.deepEqual(await q('?9A-1*'), ['29A-123.45@0', '29A-173.45@1', '29A-193.46@2', '29A-123.45@5', '29A-12345@7', '29A-123.45@4320'], 'no known first or last character');
    assert.deepEqual(await q('29A-1??.4'), [], 'the pattern must cover the whole plate');
    assert.deepEqual(await q('29A*', { from: T0 + MINUTE, to: T0 + 3 * MINUTE, cameraIds: ['cam-a'] }), ['29A-173.45@1', '29A-193.46@2']);
  }),
  check('sightings', 'malformed plates and patterns fail with PLATE_PATTERN_INVALID naming the rule', async ({ storage }) => {
    const ruleOf = async (plate: string): Promise<unknown> => {
      try {
        await storage.sightings.query({ plate });
      } catch (error) {
        assert.equal((error as { code?: unknown }).code, 'PLATE_PATTERN_INVALID', `${plate}: ${String(error)}`);
        return (error as { details: { rule: unknown } }).details.rule;
      }
      throw new assert.AssertionError({ message: `pattern ${JSON.stringify(plate)} was accepted` });
    };
    assert.equal(await ruleOf(' -.'), 'empty');
    assert.equal(await ruleOf('29A_123'), 'character');
    assert.equal(await ruleOf('29A-1**.45'), 'adjacent-stars');
    assert.equal(await ruleOf('*1*'), 'too-few-known');
    assert.equal(await ruleOf('29A-123.45.67.890'), 'too-long');
    await expectCode('cameraIds empty', 'INVALID_ARGUMENT', () => storage.sightings.query({ cameraIds: [] }));
    await expectCode('bad cursor', 'INVALID_ARGUMENT', () => storage.sightings.query({ after: 'nope' }));
  }),
  check('sightings', 'face matches and plate alerts are found by watchlist entry; kind filters', async ({ storage }) => {
    await seed(storage);
    const face = await storage.sightings.addMany([
      { kind: 'face', at: T0 + 2 * HOUR, cameraId: 'cam-a', confidence: 0.7, entryId: 'wl-7', label: 'A' },
      { kind: 'face', at: T0 + HOUR, cameraId: 'cam-b', confidence: 0.6, entryId: 'wl-7', label: 'A' },
      { kind: 'face', at: T0 + HOUR, cameraId: 'cam-b', confidence: 0.6, entryId: 'wl-8', label: 'B' },
    ]);
    const wanted = await storage.sightings.add(plateRead('cam-c', T0 + 3 * HOUR, '29A-123.45', { entryId: 'wl-7' }));
    const ids = (items: readonly Sighting[]): string[] => items.map((s) => s.id);
    assert.deepEqual(ids((await storage.sightings.query({ entryId: 'wl-7' })).items), [face[1]?.id, face[0]?.id, wanted.id]);
    assert.deepEqual(ids((await storage.sightings.query({ entryId: 'wl-7', kind: 'face' })).items), [face[1]?.id, face[0]?.id]);
    assert.deepEqual(ids((await storage.sightings.query({ entryId: 'wl-7', cameraIds: ['cam-a'] })).items), [face[0]?.id]);
    assert.equal((await storage.sightings.query({ kind: 'face' })).items.length, 3);
    assert.equal((await storage.sightings.query({ kind: 'plate' })).items.length, FLEET.length + 1);
  }),
  check('sightings', 'paging by cursor returns every match exactly once, in order, for each kind of query', async ({ storage }) => {
    const plates = ['29A-111.11', '29A-222.22', '30A-111.11'];
    const inputs = Array.from({ length: 45 }, (_, i) => plateRead(i % 2 === 0 ? 'cam-a' : 'cam-b', T0 + (45 - i) * 1000, plates[i % 3] as string));
    await storage.sightings.addMany(inputs);
    for (const query of [{}, { plate: '29A-111.11' }, { plate: '29A*' }, { plate: '*111.11' }, { plate: '*11.1*', cameraIds: ['cam-a'] }] satisfies SightingQuery[]) {
      const all = (await storage.sightings.query({ ...query, limit: 1000 })).items;
      const pages = await allPages(storage, { ...query, limit: 4 });
      assert.ok(pages.every((p) => p.length <= 4), 'a page holds at most limit items');
      assert.deepEqual(pages.flat(), all, `paged ${JSON.stringify(query)} equals the single page`);
      assert.deepEqual([...all].sort((x, y) => (x.id < y.id ? -1 : 1)), all, 'time order');
      assert.ok(all.length > 0);
    }
  }),
  check('sightings', 'removeCrops forgets crops and keeps the sightings', async ({ storage }) => {
    const crop = { path: 'cam-a/2026-01-10/c.jpg', sha256: sha('c'), bytes: 10 };
    const [a, b] = await storage.sightings.addMany([plateRead('cam-a', T0, '29A-123.45', { crop }), plateRead('cam-a', T0 + 1, '29A-123.45', { crop })]);
    await storage.sightings.removeCrops([(a as Sighting).id, 'unknown-id']);
    const { crop: _dropped, ...rest } = a as Sighting;
    assert.deepEqual(await storage.sightings.get((a as Sighting).id), rest);
    assert.deepEqual((await storage.sightings.get((b as Sighting).id))?.crop, crop);
    assert.equal((await storage.sightings.query({ plate: '29A-123.45' })).items.length, 2, 'still indexed');
  }),
  check(
    'sightings',
    'sightings and their indexes survive a reopen; ids stay unique',
    async (ctx) => {
      const before = await seed(ctx.storage);
      const reopened = await ctx.reopen();
      assert.deepEqual(platesOf((await reopened.sightings.query({ plate: '*123.45' })).items).length, 6);
      assert.equal((await reopened.sightings.query({ limit: 1000 })).items.length, before.length);
      const more = await reopened.sightings.add(plateRead('cam-a', T0, '29A-123.45'));
      assert.ok(!before.some((s) => s.id === more.id), 'a sighting id is never reused after reopen');
      assert.deepEqual(await reopened.sightings.get(before[0]?.id as string), before[0]);
    },
    true,
  ),
];
