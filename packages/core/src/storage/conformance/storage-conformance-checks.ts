import assert from 'node:assert/strict';
import { hashAuditEntry } from '../../audit/audit-chain.js';
import type { StorageAdapter } from '../../contracts/storage-adapter.js';
import type { AuditEntry } from '../../model/audit.js';
import { CameraSpecSchema } from '../../model/camera-spec.js';
import { IncidentSchema, type Incident } from '../../model/incident.js';
import type { Segment } from '../../model/segment.js';
import type { StationEvent, StoredEvent } from '../../model/station-event.js';
import {
  DAY,
  HOUR,
  makeCamera,
  makeEvidence,
  makeHold,
  makeIncident,
  makeMotion,
  makeSegment,
  makeSegments,
  makeStatusEvent,
  MINUTE,
  T0,
} from './storage-fixtures.js';
import { check, expectCode } from './conformance-assert.js';
import { sightingConformanceChecks } from './sighting-conformance-checks.js';
import { watchlistConformanceChecks } from './watchlist-conformance-checks.js';

/** What a conformance check gets: the adapter under test and, for durable adapters, a way to reopen it. */
export interface StorageCheckContext {
  /** The adapter under test (the reopened one after {@link StorageCheckContext.reopen}). */
  readonly storage: StorageAdapter;
  /** Whether {@link StorageCheckContext.reopen} is available. */
  readonly canReopen: boolean;
  /** Closes the current adapter (which must flush) and opens a new one on the same store. */
  reopen(): Promise<StorageAdapter>;
  /** Size in bytes of the payload used to exceed the adapter's record size limit. */
  readonly oversizedBytes: number;
}

/** One conformance check: a named behaviour of the contract, runnable as a plain async function. */
export interface StorageConformanceCheck {
  /** The repository or concern checked, e.g. `segments`. */
  readonly group: string;
  /** What the check asserts, as a sentence. */
  readonly name: string;
  /** True when the check needs a reopenable (durable) adapter. */
  readonly needsReopen?: boolean;
  /** Runs the check; resolves when the adapter conforms, rejects with an assertion error otherwise. */
  run(ctx: StorageCheckContext): Promise<void>;
}

const keysOf = (segments: readonly Segment[]): Array<[string, number]> => segments.map((s) => [s.cameraId, s.start]);

function shuffled<T>(items: readonly T[]): T[] {
  // Deterministic permutation: stride through the array with a step coprime to its length.
  const n = items.length;
  let step = 7;
  while (n > 1 && gcd(step, n) !== 1) step++;
  return Array.from({ length: n }, (_, i) => items[(i * step) % n] as T);
}
function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

async function allEventPages(storage: StorageAdapter, query: Parameters<StorageAdapter['events']['query']>[0]): Promise<{ pages: StoredEvent[][]; ids: string[] }> {
  const pages: StoredEvent[][] = [];
  let after: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await storage.events.query({ ...query, ...(after === undefined ? {} : { after }) });
    pages.push(page.items);
    if (page.next === undefined) break;
    assert.equal(page.next, page.items[page.items.length - 1]?.id, 'events: next cursor must be the id of the page’s last item');
    after = page.next;
  }
  return { pages, ids: pages.flat().map((e) => e.id) };
}


/** Every check of the storage conformance kit, in run order. */
export const storageConformanceChecks: readonly StorageConformanceCheck[] = [
  // ------------------------------------------------------------------ cameras
  check('cameras', 'put/get/list/delete round-trip with defaults applied, list ordered by id, put replaces', async ({ storage }) => {
    assert.equal(await storage.cameras.get('cam-b'), undefined);
    assert.deepEqual(await storage.cameras.list(), []);
    const b = CameraSpecSchema.parse(makeCamera('cam-b'));
    const a = CameraSpecSchema.parse(makeCamera('cam-a', { tags: ['market'] }));
    await storage.cameras.put(b);
    await storage.cameras.put(makeCamera('cam-a', { tags: ['market'] }) as never);
    assert.deepEqual(await storage.cameras.get('cam-a'), a, 'cameras.get must return the parsed spec with defaults');
    assert.deepEqual(await storage.cameras.list(), [a, b], 'cameras.list must be ordered by id');
    await storage.cameras.put({ ...b, name: 'Renamed' });
    assert.equal((await storage.cameras.get('cam-b'))?.name, 'Renamed', 'cameras.put must replace');
    assert.equal((await storage.cameras.list()).length, 2);
    await storage.cameras.delete('cam-a');
    await storage.cameras.delete('no-such-camera');
    assert.equal(await storage.cameras.get('cam-a'), undefined);
    assert.deepEqual((await storage.cameras.list()).map((c) => c.id), ['cam-b']);
  }),
  check('cameras', 'rejects an invalid camera spec with STORAGE_RECORD_INVALID and stores nothing', async ({ storage }) => {
    await expectCode('cameras.put(bad id)', 'STORAGE_RECORD_INVALID', () => storage.cameras.put({ ...CameraSpecSchema.parse(makeCamera('x')), id: '../etc' }));
    await expectCode('cameras.put(bad lat)', 'STORAGE_RECORD_INVALID', () => storage.cameras.put({ ...CameraSpecSchema.parse(makeCamera('cam-z')), location: { lat: 123, lon: 0 } }));
    assert.deepEqual(await storage.cameras.list(), []);
  }),

  // ------------------------------------------------------------------ segments
  check('segments', 'query returns the exact records ordered by start, whatever the insertion order', async ({ storage }) => {
    const segs = makeSegments('cam-a', T0, 30);
    for (const s of shuffled(segs).slice(0, 10)) await storage.segments.add(s);
    await storage.segments.addMany(shuffled(segs).slice(10));
    const got = await storage.segments.query('cam-a', { from: T0, to: T0 + HOUR });
    assert.deepEqual(got, segs, 'segments.query must return every stored field, ordered by start');
    assert.deepEqual(await storage.segments.query('cam-a', { from: T0 + 5 * MINUTE, to: T0 + 8 * MINUTE }), segs.slice(5, 8));
  }),
  check('segments', 'overlap is half-open [from, to): touching ends are excluded, partial overlaps included', async ({ storage }) => {
    const [s0, s1, s2] = makeSegments('cam-a', T0, 3) as [Segment, Segment, Segment];
    await storage.segments.addMany([s2, s0, s1]);
    const q = (from: number, to: number) => storage.segments.query('cam-a', { from, to }).then(keysOf);
    assert.deepEqual(await q(T0 + MINUTE, T0 + 2 * MINUTE), keysOf([s1]), 'exactly one segment’s span');
    assert.deepEqual(await q(T0 + MINUTE - 1, T0 + MINUTE + 1), keysOf([s0, s1]), 'straddling a boundary');
    assert.deepEqual(await q(T0 + 30_000, T0 + 30_001), keysOf([s0]), 'a 1 ms range inside a segment');
    assert.deepEqual(await q(T0 - HOUR, T0), [], 'a range ending exactly where the first segment starts');
    assert.deepEqual(await q(T0 + 3 * MINUTE, T0 + HOUR), [], 'a range starting exactly where the last segment ends');
    assert.deepEqual(await q(T0 - HOUR, T0 + HOUR), keysOf([s0, s1, s2]), 'a range covering all');
    assert.deepEqual(await q(T0 + 90_000, T0 + 90_000), [], 'an empty range');
  }),
  check('segments', 'overlap finds a long segment that starts well before `from` (look-back)', async ({ storage }) => {
    const long = makeSegment('cam-a', T0, 3 * HOUR);
    const shorts = makeSegments('cam-a', T0 + 3 * HOUR, 60);
    await storage.segments.addMany([...shorts, long]);
    await storage.segments.addMany(makeSegments('cam-b', T0 - HOUR, 10, 10 * MINUTE));
    assert.deepEqual(keysOf(await storage.segments.query('cam-a', { from: T0 + 2 * HOUR, to: T0 + 2 * HOUR + MINUTE })), keysOf([long]));
    assert.deepEqual(keysOf(await storage.segments.query('cam-a', { from: T0 + 3 * HOUR - 1, to: T0 + 3 * HOUR + 1 })), keysOf([long, shorts[0] as Segment]));
  }),
  check('segments', 'queries are per camera; unknown cameras give empty results', async ({ storage }) => {
    await storage.segments.addMany([...makeSegments('cam-a', T0, 5), ...makeSegments('cam-a1', T0, 5), ...makeSegments('cam-b', T0, 5)]);
    const got = await storage.segments.query('cam-a', { from: T0, to: T0 + DAY });
    assert.deepEqual(new Set(got.map((s) => s.cameraId)), new Set(['cam-a']), 'cam-a must not see cam-a1 (prefix) or cam-b');
    assert.equal(got.length, 5);
    assert.deepEqual(await storage.segments.query('cam-', { from: T0, to: T0 + DAY }), []);
    assert.equal(await storage.segments.latest('nope'), undefined);
    assert.deepEqual(await storage.segments.bytesPerDay('nope', { from: T0, to: T0 + DAY }), []);
  }),
  check('segments', 'adding a segment with an existing (camera, start) replaces it', async ({ storage }) => {
    await storage.segments.add(makeSegment('cam-a', T0));
    const replacement = { ...makeSegment('cam-a', T0), bytes: 42, path: 'cam-a/replaced.mp4' };
    await storage.segments.add(replacement);
    assert.deepEqual(await storage.segments.query('cam-a', { from: T0, to: T0 + DAY }), [replacement]);
  }),
  check('segments', 'latest is the greatest start per camera, also after out-of-order adds and removals', async ({ storage }) => {
    const segs = makeSegments('cam-a', T0, 10);
    await storage.segments.addMany(shuffled(segs));
    await storage.segments.add(makeSegment('cam-b', T0 + DAY));
    assert.deepEqual(await storage.segments.latest('cam-a'), segs[9]);
    await storage.segments.add(makeSegment('cam-a', T0 - DAY));
    assert.deepEqual(await storage.segments.latest('cam-a'), segs[9], 'an older add must not become latest');
    await storage.segments.remove([{ cameraId: 'cam-a', start: (segs[9] as Segment).start }]);
    assert.deepEqual(await storage.segments.latest('cam-a'), segs[8]);
  }),
  check('segments', 'gaps reports holes longer than the tolerance, clipped to the range', async ({ storage }) => {
    // [T0, T0+1m) hole 500 ms [.., ..) hole 5 s [..): then nothing
    const a = makeSegment('cam-a', T0, MINUTE);
    const b = makeSegment('cam-a', T0 + MINUTE + 500, MINUTE);
    const c = makeSegment('cam-a', b.end + 5000, MINUTE);
    await storage.segments.addMany([c, a, b]);
    const range = { from: T0 - 10_000, to: c.end + 20_000 };
    assert.deepEqual(await storage.segments.gaps('cam-a', range), [
      { cameraId: 'cam-a', from: range.from, to: T0 },
      { cameraId: 'cam-a', from: b.end, to: c.start },
      { cameraId: 'cam-a', from: c.end, to: range.to },
    ]);
    assert.deepEqual(await storage.segments.gaps('cam-a', range, 0), [
      { cameraId: 'cam-a', from: range.from, to: T0 },
      { cameraId: 'cam-a', from: a.end, to: b.start },
      { cameraId: 'cam-a', from: b.end, to: c.start },
      { cameraId: 'cam-a', from: c.end, to: range.to },
    ]);
    assert.deepEqual(await storage.segments.gaps('cam-a', range, 30_000), [], 'every hole within a 30 s tolerance');
    assert.deepEqual(await storage.segments.gaps('cam-a', { from: T0 + 10_000, to: b.end - 10_000 }), [], 'range inside coverage');
    assert.deepEqual(await storage.segments.gaps('cam-a', { from: T0 + 30_000, to: c.start + 1000 }), [{ cameraId: 'cam-a', from: b.end, to: c.start }]);
    assert.deepEqual(await storage.segments.gaps('cam-x', { from: T0, to: T0 + HOUR }), [{ cameraId: 'cam-x', from: T0, to: T0 + HOUR }], 'a camera without recordings is one gap');
  }),
  check('segments', 'gaps treats overlapping segments as merged coverage', async ({ storage }) => {
    await storage.segments.addMany([makeSegment('cam-a', T0, 10 * MINUTE), makeSegment('cam-a', T0 + MINUTE, MINUTE), makeSegment('cam-a', T0 + 12 * MINUTE, MINUTE)]);
    assert.deepEqual(await storage.segments.gaps('cam-a', { from: T0, to: T0 + 13 * MINUTE }), [{ cameraId: 'cam-a', from: T0 + 10 * MINUTE, to: T0 + 12 * MINUTE }]);
  }),
  check('segments', 'bytesPerDay sums bytes per UTC day of the segment start inside [from, to)', async ({ storage }) => {
    const day2 = T0 + DAY;
    await storage.segments.addMany([
      makeSegment('cam-a', day2 - 2 * MINUTE, MINUTE, 100),
      makeSegment('cam-a', day2 - MINUTE + 30_000, MINUTE, 200), // starts before midnight, ends after
      makeSegment('cam-a', day2, MINUTE, 1000),
      makeSegment('cam-a', day2 + HOUR, MINUTE, 3000),
      makeSegment('cam-a', T0 + 3 * DAY, MINUTE, 7),
      makeSegment('cam-b', day2, MINUTE, 99_999),
    ]);
    assert.deepEqual(await storage.segments.bytesPerDay('cam-a', { from: T0, to: T0 + 4 * DAY }), [
      { day: '2026-01-10', bytes: 300 },
      { day: '2026-01-11', bytes: 4000 },
      { day: '2026-01-13', bytes: 7 },
    ]);
    assert.deepEqual(await storage.segments.bytesPerDay('cam-a', { from: day2, to: day2 + HOUR }), [{ day: '2026-01-11', bytes: 1000 }], 'a segment starting at `to` is excluded');
  }),
  check('segments', 'oldestUnheld returns the oldest segments across cameras, skipping ones overlapped by active holds', async ({ storage }) => {
    const a = makeSegments('cam-a', T0, 5);
    const b = makeSegments('cam-b', T0 + 30_000, 5);
    await storage.segments.addMany([...b, ...a]);
    const all = await storage.segments.oldestUnheld({ limit: 4 });
    assert.deepEqual(keysOf(all), keysOf([a[0], b[0], a[1], b[1]] as Segment[]), 'oldest first across cameras');
    // Hold overlapping a[0] and a[1] (touching a[2]'s start exactly: not overlapping it).
    await storage.holds.put(makeHold('h1', 'cam-a', T0 + 10_000, T0 + 2 * MINUTE));
    assert.deepEqual(keysOf(await storage.segments.oldestUnheld({ limit: 3 })), keysOf([b[0], b[1], a[2]] as Segment[]));
    assert.deepEqual(keysOf(await storage.segments.oldestUnheld({ limit: 10, cameraId: 'cam-a' })), keysOf(a.slice(2)));
    assert.deepEqual(keysOf(await storage.segments.oldestUnheld({ limit: 10, before: T0 + 2 * MINUTE })), keysOf([b[0], b[1]] as Segment[]), '`before` bounds the start');
    await storage.holds.put({ ...makeHold('h1', 'cam-a', T0 + 10_000, T0 + 2 * MINUTE), releasedAt: T0 + DAY, releasedBy: 'officer-2' });
    assert.deepEqual(keysOf(await storage.segments.oldestUnheld({ limit: 2, cameraId: 'cam-a' })), keysOf(a.slice(0, 2)), 'a released hold no longer protects');
    await storage.holds.put(makeHold('h2', 'cam-b', T0, T0 + DAY));
    assert.deepEqual(keysOf(await storage.segments.oldestUnheld({ limit: 100 })), keysOf(a), 'a hold on cam-b protects only cam-b');
  }),
  check('segments', 'remove deletes by (camera, start), refuses held segments with SEGMENT_HELD atomically, updates cameraIds', async ({ storage }) => {
    const a = makeSegments('cam-a', T0, 4);
    await storage.segments.addMany([...a, makeSegment('cam-b', T0)]);
    assert.deepEqual(await storage.segments.cameraIds(), ['cam-a', 'cam-b']);
    await storage.holds.put(makeHold('h1', 'cam-a', T0 + 3 * MINUTE + 1, T0 + 3 * MINUTE + 2));
    await expectCode('segments.remove(held)', 'SEGMENT_HELD', () => storage.segments.remove([{ cameraId: 'cam-a', start: T0 }, { cameraId: 'cam-a', start: T0 + 3 * MINUTE }]));
    assert.equal((await storage.segments.query('cam-a', { from: T0, to: T0 + DAY })).length, 4, 'a refused remove removes nothing');
    await storage.segments.remove([{ cameraId: 'cam-a', start: T0 }, { cameraId: 'cam-a', start: T0 + 7 }, { cameraId: 'cam-q', start: T0 }]);
    assert.deepEqual(keysOf(await storage.segments.query('cam-a', { from: T0, to: T0 + DAY })), keysOf(a.slice(1)));
    await storage.holds.put({ ...makeHold('h1', 'cam-a', T0 + 3 * MINUTE + 1, T0 + 3 * MINUTE + 2), releasedAt: T0 + DAY });
    await storage.segments.remove(a.slice(1).map((s) => ({ cameraId: s.cameraId, start: s.start })));
    assert.deepEqual(await storage.segments.query('cam-a', { from: T0, to: T0 + DAY }), []);
    assert.equal(await storage.segments.latest('cam-a'), undefined);
    assert.deepEqual(await storage.segments.cameraIds(), ['cam-b'], 'a camera without segments leaves cameraIds');
  }),
  check('segments', 'addMany validates every record first: one invalid segment rejects the whole batch', async ({ storage }) => {
    const good = makeSegments('cam-a', T0, 3);
    await expectCode('addMany(bad sha)', 'STORAGE_RECORD_INVALID', () => storage.segments.addMany([...good, { ...makeSegment('cam-a', T0 + HOUR), sha256: 'XYZ' }]));
    await expectCode('add(end < start)', 'STORAGE_RECORD_INVALID', () => storage.segments.add({ ...makeSegment('cam-a', T0), end: T0 - 1 }));
    await expectCode('add(bad camera id)', 'STORAGE_RECORD_INVALID', () => storage.segments.add(makeSegment('../x', T0)));
    await expectCode('add(negative bytes)', 'STORAGE_RECORD_INVALID', () => storage.segments.add({ ...makeSegment('cam-a', T0), bytes: -1 }));
    await expectCode('add(NaN start)', 'STORAGE_RECORD_INVALID', () => storage.segments.add({ ...makeSegment('cam-a', T0), start: Number.NaN }));
    assert.deepEqual(await storage.segments.query('cam-a', { from: 0, to: T0 + DAY }), []);
    assert.deepEqual(await storage.segments.cameraIds(), []);
  }),
  check('segments', 'a reversed or non-finite range is INVALID_ARGUMENT', async ({ storage }) => {
    await expectCode('query(to < from)', 'INVALID_ARGUMENT', () => storage.segments.query('cam-a', { from: T0, to: T0 - 1 }));
    await expectCode('gaps(NaN)', 'INVALID_ARGUMENT', () => storage.segments.gaps('cam-a', { from: Number.NaN, to: T0 }));
    await expectCode('bytesPerDay(to < from)', 'INVALID_ARGUMENT', () => storage.segments.bytesPerDay('cam-a', { from: T0, to: 0 }));
    await expectCode('covering(to < from)', 'INVALID_ARGUMENT', () => storage.holds.covering('cam-a', { from: T0, to: 0 }));
  }),
  check('segments', 'returned segments are copies: mutating them does not change the store', async ({ storage }) => {
    await storage.segments.add(makeSegment('cam-a', T0));
    const [got] = await storage.segments.query('cam-a', { from: T0, to: T0 + 1 });
    (got as Segment).bytes = -5;
    const latest = await storage.segments.latest('cam-a');
    (latest as Segment).path = 'mutated';
    assert.deepEqual(await storage.segments.latest('cam-a'), makeSegment('cam-a', T0));
  }),

  // ------------------------------------------------------------------ events
  check('events', 'append assigns unique ids that sort in time order; query returns time order, reverse the opposite', async ({ storage }) => {
    const input = [makeMotion('cam-a', T0 + 2000), makeMotion('cam-a', T0 + 1000), makeStatusEvent('cam-b', T0 + 3000)];
    const first = await storage.events.append(input[0] as StationEvent);
    const rest = await storage.events.appendMany(input.slice(1));
    assert.deepEqual({ ...first, id: undefined }, { ...input[0], id: undefined }, 'append returns the event with its id');
    assert.equal(typeof first.id, 'string');
    const stored = [first, ...rest];
    assert.equal(new Set(stored.map((e) => e.id)).size, 3, 'ids are unique');
    const page = await storage.events.query();
    assert.deepEqual(page.items.map((e) => e.at), [T0 + 1000, T0 + 2000, T0 + 3000]);
    assert.deepEqual(page.items, [stored[1], stored[0], stored[2]], 'query returns the stored events');
    const ids = page.items.map((e) => e.id);
    assert.deepEqual([...ids].sort(), ids, 'ids sort lexicographically in query order');
    assert.deepEqual((await storage.events.query({ reverse: true })).items.map((e) => e.id), [...ids].reverse());
    assert.equal(page.next, undefined);
    const same = await storage.events.appendMany([makeMotion('cam-a', T0 + 5000), makeMotion('cam-a', T0 + 5000, 'end')]);
    assert.ok((same[0] as StoredEvent).id < (same[1] as StoredEvent).id, 'events at the same time keep append order');
  }),
  check('events', 'filters by camera, types and [from, to) combine', async ({ storage }) => {
    const input: StationEvent[] = [];
    for (let i = 0; i < 20; i++) input.push(i % 2 === 0 ? makeMotion(i % 4 === 0 ? 'cam-a' : 'cam-b', T0 + i * 1000) : makeStatusEvent(i % 3 === 0 ? 'cam-a' : 'cam-b', T0 + i * 1000));
    input.push({ type: 'storage.low', at: T0 + 4500, path: '/rec', usedRatio: 0.9, freeBytes: 1, action: 'warn', message: 'low' });
    await storage.events.appendMany(input);
    const q = (query: Parameters<StorageAdapter['events']['query']>[0]) => storage.events.query({ limit: 1000, ...query }).then((p) => p.items.map((e) => `${e.type}@${e.at - T0}`));
    const expect = (pred: (e: StationEvent) => boolean) => [...input].sort((x, y) => x.at - y.at).filter(pred).map((e) => `${e.type}@${e.at - T0}`);
    const cam = (e: StationEvent) => (e as { cameraId?: string }).cameraId;
    assert.deepEqual(await q({ cameraId: 'cam-a' }), expect((e) => cam(e) === 'cam-a'), 'camera filter');
    assert.deepEqual(await q({ types: ['camera.status'] }), expect((e) => e.type === 'camera.status'), 'type filter');
    assert.deepEqual(await q({ types: ['camera.status', 'storage.low'] }), expect((e) => e.type === 'camera.status' || e.type === 'storage.low'), 'several types');
    assert.deepEqual(await q({ from: T0 + 4000, to: T0 + 9000 }), expect((e) => e.at >= T0 + 4000 && e.at < T0 + 9000), 'time range is [from, to)');
    assert.deepEqual(await q({ cameraId: 'cam-b', types: ['motion'], from: T0 + 2000, to: T0 + 15_000 }), expect((e) => cam(e) === 'cam-b' && e.type === 'motion' && e.at >= T0 + 2000 && e.at < T0 + 15_000), 'all filters');
    assert.deepEqual(await q({ cameraId: 'cam-b', reverse: true, from: T0 + 2000, to: T0 + 15_000 }), expect((e) => cam(e) === 'cam-b' && e.at >= T0 + 2000 && e.at < T0 + 15_000).reverse(), 'reverse with filters');
    assert.deepEqual(await q({ cameraId: 'cam-zzz' }), []);
    assert.deepEqual(await q({ types: [] }), [], 'an empty type list matches nothing');
  }),
  check('events', 'paging with cursors visits every match once, in order, and the last page has no cursor', async ({ storage }) => {
    const input = Array.from({ length: 25 }, (_, i) => makeMotion(i % 5 === 0 ? 'cam-b' : 'cam-a', T0 + i * 100));
    await storage.events.appendMany(input);
    const all = (await storage.events.query({ limit: 1000 })).items.map((e) => e.id);
    const forward = await allEventPages(storage, { limit: 10 });
    assert.deepEqual(forward.pages.map((p) => p.length), [10, 10, 5]);
    assert.deepEqual(forward.ids, all);
    const exact = await allEventPages(storage, { limit: 5 });
    assert.deepEqual(exact.pages.map((p) => p.length), [5, 5, 5, 5, 5], 'when the matches fill the last page exactly, it has no next cursor');
    const backward = await allEventPages(storage, { limit: 7, reverse: true });
    assert.deepEqual(backward.ids, [...all].reverse());
    const filtered = await allEventPages(storage, { limit: 3, cameraId: 'cam-b' });
    assert.deepEqual(filtered.pages.map((p) => p.length), [3, 2]);
    assert.deepEqual(filtered.pages.flat().map((e) => e.at - T0), [0, 500, 1000, 1500, 2000]);
    const ranged = await allEventPages(storage, { limit: 4, from: T0 + 1000, to: T0 + 2000, reverse: true });
    assert.deepEqual(ranged.pages.flat().map((e) => e.at - T0), [1900, 1800, 1700, 1600, 1500, 1400, 1300, 1200, 1100, 1000]);
    await expectCode('query(after: garbage)', 'INVALID_ARGUMENT', () => storage.events.query({ after: 'not a cursor' }));
    await expectCode('query(limit: 0)', 'INVALID_ARGUMENT', () => storage.events.query({ limit: 0 }));
  }),
  check('events', 'concurrent appends all get distinct ids and are all readable', async ({ storage }) => {
    const stored = await Promise.all(Array.from({ length: 60 }, (_, i) => storage.events.append(makeMotion('cam-a', T0 + (i % 10)))));
    assert.equal(new Set(stored.map((e) => e.id)).size, 60);
    const page = await storage.events.query({ limit: 100 });
    assert.equal(page.items.length, 60);
    assert.deepEqual(new Set(page.items.map((e) => e.id)), new Set(stored.map((e) => e.id)));
  }),
  check('events', 'invalid events are STORAGE_RECORD_INVALID, oversized ones STORAGE_RECORD_TOO_LARGE; a bad batch stores nothing', async ({ storage, oversizedBytes }) => {
    await expectCode('append(no type)', 'STORAGE_RECORD_INVALID', () => storage.events.append({ at: T0 } as unknown as StationEvent));
    await expectCode('append(negative at)', 'STORAGE_RECORD_INVALID', () => storage.events.append(makeMotion('cam-a', -5)));
    await expectCode('appendMany(one bad)', 'STORAGE_RECORD_INVALID', () => storage.events.appendMany([makeMotion('cam-a', T0), { ...makeMotion('cam-a', T0), at: 1.5 }]));
    const huge: StationEvent = { type: 'plate', at: T0, cameraId: 'cam-a', plate: '51F12345', raw: '51F-123.45', confidence: 0.9, cropJpeg: 'A'.repeat(oversizedBytes) };
    await expectCode('append(oversized)', 'STORAGE_RECORD_TOO_LARGE', () => storage.events.append(huge));
    await expectCode('appendMany(one oversized)', 'STORAGE_RECORD_TOO_LARGE', () => storage.events.appendMany([makeMotion('cam-a', T0), huge]));
    assert.deepEqual((await storage.events.query()).items, []);
  }),

  // ------------------------------------------------------------------ incidents
  check('incidents', 'put/get round-trip with defaults; unknown ids are undefined; put replaces', async ({ storage }) => {
    assert.equal(await storage.incidents.get('inc-1'), undefined);
    const input = makeIncident('inc-1');
    const { description: _d, history: _h, evidenceIds: _e, ...minimal } = input;
    await storage.incidents.put(minimal as Incident);
    assert.deepEqual(await storage.incidents.get('inc-1'), IncidentSchema.parse(minimal));
    await storage.incidents.put({ ...input, title: 'Changed' });
    assert.equal((await storage.incidents.get('inc-1'))?.title, 'Changed');
    assert.equal((await storage.incidents.query()).items.length, 1);
  }),
  check('incidents', 'query filters by status, category, station and camera; all given filters must match', async ({ storage }) => {
    const incidents = [
      makeIncident('i1', { status: 'open', category: 'theft', station: 'S1', ranges: [{ cameraId: 'cam-a', from: T0, to: T0 + 1 }] }),
      makeIncident('i2', { status: 'investigating', category: 'theft', station: 'S1', ranges: [{ cameraId: 'cam-b', from: T0, to: T0 + 1 }] }),
      makeIncident('i3', { status: 'open', category: 'assault', station: 'S2', ranges: [{ cameraId: 'cam-a', from: T0, to: T0 + 1 }, { cameraId: 'cam-b', from: T0, to: T0 + 1 }] }),
      makeIncident('i4', { status: 'closed', category: 'waste-dumping', station: 'S2', ranges: [] }),
    ];
    for (const i of shuffled(incidents)) await storage.incidents.put(i);
    const ids = (q: Parameters<StorageAdapter['incidents']['query']>[0]) => storage.incidents.query(q).then((p) => p.items.map((i) => i.id));
    assert.deepEqual(await ids({}), ['i1', 'i2', 'i3', 'i4'], 'ordered by id');
    assert.deepEqual(await ids({ status: 'open' }), ['i1', 'i3']);
    assert.deepEqual(await ids({ category: 'theft' }), ['i1', 'i2']);
    assert.deepEqual(await ids({ station: 'S2' }), ['i3', 'i4']);
    assert.deepEqual(await ids({ cameraId: 'cam-b' }), ['i2', 'i3']);
    assert.deepEqual(await ids({ status: 'open', cameraId: 'cam-b' }), ['i3']);
    assert.deepEqual(await ids({ category: 'theft', station: 'S2' }), []);
    assert.deepEqual(await ids({ status: 'resolved' }), []);
  }),
  check('incidents', 'secondary indexes follow updates: a changed status, category, station or camera leaves the old filter', async ({ storage }) => {
    const ids = (q: Parameters<StorageAdapter['incidents']['query']>[0]) => storage.incidents.query(q).then((p) => p.items.map((i) => i.id));
    await storage.incidents.put(makeIncident('i1', { status: 'open', ranges: [{ cameraId: 'cam-a', from: T0, to: T0 + 1 }] }));
    await storage.incidents.put(makeIncident('i2', { status: 'open' }));
    await storage.incidents.put(makeIncident('i1', { status: 'investigating', category: 'assault', station: 'S9', ranges: [{ cameraId: 'cam-c', from: T0, to: T0 + 1 }] }));
    assert.deepEqual(await ids({ status: 'open' }), ['i2'], 'i1 must leave the old status filter');
    assert.deepEqual(await ids({ status: 'investigating' }), ['i1']);
    assert.deepEqual(await ids({ category: 'theft' }), ['i2'], 'old category');
    assert.deepEqual(await ids({ category: 'assault' }), ['i1']);
    assert.deepEqual(await ids({ station: 'CA-BN' }), ['i2'], 'old station');
    assert.deepEqual(await ids({ station: 'S9' }), ['i1']);
    assert.deepEqual(await ids({ cameraId: 'cam-a' }), ['i2'], 'old camera');
    assert.deepEqual(await ids({ cameraId: 'cam-c' }), ['i1']);
    // Two quick updates in a row (possibly in one write batch).
    await Promise.all([storage.incidents.put(makeIncident('i2', { status: 'resolved' }))]);
    await storage.incidents.put(makeIncident('i2', { status: 'closed' }));
    assert.deepEqual(await ids({ status: 'resolved' }), []);
    assert.deepEqual(await ids({ status: 'closed' }), ['i2']);
    assert.deepEqual(await ids({ status: 'open' }), []);
    const page = await storage.incidents.query({ status: 'closed' });
    assert.equal(page.items[0]?.status, 'closed', 'the record itself is the new version');
  }),
  check('incidents', 'paging with cursors under a filter visits every match once, in id order', async ({ storage }) => {
    for (let i = 0; i < 23; i++) await storage.incidents.put(makeIncident(`inc-${String(i).padStart(3, '0')}`, { status: i % 3 === 0 ? 'closed' : 'open' }));
    const seen: string[] = [];
    const sizes: number[] = [];
    let after: string | undefined;
    for (let n = 0; n < 100; n++) {
      const page = await storage.incidents.query({ status: 'open', limit: 5, ...(after === undefined ? {} : { after }) });
      seen.push(...page.items.map((i) => i.id));
      sizes.push(page.items.length);
      if (page.next === undefined) break;
      after = page.next;
    }
    const expected = Array.from({ length: 23 }, (_, i) => i).filter((i) => i % 3 !== 0).map((i) => `inc-${String(i).padStart(3, '0')}`);
    assert.deepEqual(seen, expected);
    assert.deepEqual(sizes, [5, 5, 5]);
  }),
  check('incidents', 'invalid incidents are STORAGE_RECORD_INVALID, oversized ones STORAGE_RECORD_TOO_LARGE, and nothing is stored', async ({ storage, oversizedBytes }) => {
    await expectCode('put(bad status)', 'STORAGE_RECORD_INVALID', () => storage.incidents.put({ ...makeIncident('i1'), status: 'lost' as never }));
    await expectCode('put(bad range)', 'STORAGE_RECORD_INVALID', () => storage.incidents.put(makeIncident('i1', { ranges: [{ cameraId: 'cam-a', from: T0, to: T0 - 5 }] })));
    await expectCode('put(bad category)', 'STORAGE_RECORD_INVALID', () => storage.incidents.put(makeIncident('i1', { category: 'Not A Slug' })));
    const history = Array.from({ length: Math.ceil(oversizedBytes / 5000) }, (_, i) => ({ at: T0 + i, by: 'x', status: 'open' as const, note: 'n'.repeat(5000) }));
    await expectCode('put(oversized)', 'STORAGE_RECORD_TOO_LARGE', () => storage.incidents.put(makeIncident('i1', { history })));
    assert.equal(await storage.incidents.get('i1'), undefined);
    assert.deepEqual((await storage.incidents.query({ status: 'open' })).items, []);
  }),

  // ------------------------------------------------------------------ evidence and holds
  check('evidence', 'put/get/list with camera and incident filters, ordered by id', async ({ storage }) => {
    const e1 = makeEvidence('ev-1', 'cam-a', { incidentId: 'inc-1' });
    const e2 = makeEvidence('ev-2', 'cam-b', { incidentId: 'inc-1' });
    const e3 = makeEvidence('ev-3', 'cam-a');
    for (const e of [e3, e1, e2]) await storage.evidence.put(e);
    assert.deepEqual(await storage.evidence.get('ev-2'), e2);
    assert.equal(await storage.evidence.get('ev-9'), undefined);
    assert.deepEqual(await storage.evidence.list(), [e1, e2, e3]);
    assert.deepEqual(await storage.evidence.list({ cameraId: 'cam-a' }), [e1, e3]);
    assert.deepEqual(await storage.evidence.list({ incidentId: 'inc-1' }), [e1, e2]);
    assert.deepEqual(await storage.evidence.list({ cameraId: 'cam-a', incidentId: 'inc-1' }), [e1]);
    await expectCode('evidence.put(bad hash)', 'STORAGE_RECORD_INVALID', () => storage.evidence.put({ ...e1, id: 'ev-bad', clipSha256: 'nope' }));
    assert.equal(await storage.evidence.get('ev-bad'), undefined);
  }),
  check('holds', 'put/get/list/covering: active filter, camera filter, [from, to) overlap, release by put', async ({ storage }) => {
    const h1 = makeHold('h1', 'cam-a', T0, T0 + HOUR);
    const h2 = makeHold('h2', 'cam-a', T0 + 2 * HOUR, T0 + 3 * HOUR);
    const h3 = makeHold('h3', 'cam-b', T0, T0 + DAY);
    for (const h of [h3, h2, h1]) await storage.holds.put(h);
    assert.deepEqual(await storage.holds.get('h2'), h2);
    assert.equal(await storage.holds.get('h9'), undefined);
    assert.deepEqual(await storage.holds.list(), [h1, h2, h3]);
    assert.deepEqual(await storage.holds.list({ cameraId: 'cam-a' }), [h1, h2]);
    const ids = (hs: Array<{ id: string }>) => hs.map((h) => h.id);
    assert.deepEqual(ids(await storage.holds.covering('cam-a', { from: T0 + HOUR, to: T0 + 2 * HOUR })), [], 'touching ends do not overlap');
    assert.deepEqual(ids(await storage.holds.covering('cam-a', { from: T0 + HOUR - 1, to: T0 + 2 * HOUR + 1 })), ['h1', 'h2']);
    assert.deepEqual(ids(await storage.holds.covering('cam-b', { from: T0 + HOUR, to: T0 + HOUR + 1 })), ['h3']);
    const released = { ...h1, releasedAt: T0 + DAY, releasedBy: 'officer-2' };
    await storage.holds.put(released);
    assert.deepEqual(await storage.holds.get('h1'), released);
    assert.deepEqual(ids(await storage.holds.list({ active: true })), ['h2', 'h3']);
    assert.deepEqual(ids(await storage.holds.list({ active: false })), ['h1']);
    assert.deepEqual(ids(await storage.holds.list({ cameraId: 'cam-a', active: true })), ['h2']);
    assert.deepEqual(ids(await storage.holds.covering('cam-a', { from: T0, to: T0 + DAY })), ['h2'], 'released holds do not cover');
    await expectCode('holds.put(to <= from)', 'STORAGE_RECORD_INVALID', () => storage.holds.put(makeHold('h4', 'cam-a', T0, T0)));
    assert.equal(await storage.holds.get('h4'), undefined);
  }),

  // ------------------------------------------------------------------ audit
  check('audit', 'append chains entries (seq, prevHash, hash); list pages by fromSeq/limit; verify reports ok', async ({ storage }) => {
    assert.deepEqual(await storage.audit.verify(), { ok: true, entries: 0, lastHash: '0'.repeat(64) });
    const entries: AuditEntry[] = [];
    for (let i = 0; i < 12; i++) entries.push(await storage.audit.append({ at: T0 + i, actor: 'officer-1', action: 'evidence.export', target: `ev-${i}`, details: { n: i, nested: { ok: true } } }));
    entries.forEach((e, i) => {
      assert.equal(e.seq, i + 1);
      assert.equal(e.prevHash, i === 0 ? '0'.repeat(64) : entries[i - 1]?.hash);
      const { hash, ...rest } = e;
      assert.equal(hash, hashAuditEntry(rest), 'hash must be hashAuditEntry of the entry');
    });
    assert.deepEqual(await storage.audit.list(), entries);
    assert.deepEqual(await storage.audit.list({ fromSeq: 5, limit: 3 }), entries.slice(4, 7));
    assert.deepEqual(await storage.audit.list({ fromSeq: 12 }), entries.slice(11));
    assert.deepEqual(await storage.audit.list({ fromSeq: 13 }), []);
    assert.deepEqual(await storage.audit.verify(), { ok: true, entries: 12, lastHash: entries[11]?.hash });
  }),
  check('audit', 'concurrent appends form one unbroken chain', async ({ storage }) => {
    const out = await Promise.all(Array.from({ length: 25 }, (_, i) => storage.audit.append({ at: T0, actor: `a${i}`, action: 'login' })));
    assert.deepEqual(out.map((e) => e.seq).sort((a, b) => a - b), Array.from({ length: 25 }, (_, i) => i + 1));
    const verification = await storage.audit.verify();
    assert.equal(verification.ok, true, JSON.stringify(verification));
    assert.equal(verification.entries, 25);
  }),
  check('audit', 'invalid and oversized audit inputs are rejected with codes and do not break the chain', async ({ storage, oversizedBytes }) => {
    await storage.audit.append({ at: T0, actor: 'a', action: 'x' });
    await expectCode('audit.append(no actor)', 'STORAGE_RECORD_INVALID', () => storage.audit.append({ at: T0, actor: '', action: 'x' }));
    await expectCode('audit.append(oversized)', 'STORAGE_RECORD_TOO_LARGE', () => storage.audit.append({ at: T0, actor: 'a', action: 'x', details: { blob: 'b'.repeat(oversizedBytes) } }));
    const next = await storage.audit.append({ at: T0 + 1, actor: 'a', action: 'y' });
    assert.equal(next.seq, 2);
    assert.deepEqual(await storage.audit.verify(), { ok: true, entries: 2, lastHash: next.hash });
  }),

  // ------------------------------------------------------------------ consistency and lifecycle
  check('consistency', 'every read sees every acknowledged write, without flush', async ({ storage }) => {
    for (let i = 0; i < 40; i++) {
      const s = makeSegment('cam-a', T0 + i * MINUTE);
      await storage.segments.add(s);
      assert.deepEqual(await storage.segments.latest('cam-a'), s, `segment ${i} visible after add resolved`);
      const e = await storage.events.append(makeMotion('cam-a', T0 + i));
      assert.equal((await storage.events.query({ reverse: true, limit: 1 })).items[0]?.id, e.id, `event ${i} visible after append resolved`);
      if (i % 8 === 0) {
        await storage.incidents.put(makeIncident('i1', { status: i % 16 === 0 ? 'open' : 'investigating' }));
        assert.deepEqual((await storage.incidents.query({ status: i % 16 === 0 ? 'open' : 'investigating' })).items.map((x) => x.id), ['i1']);
        const entry = await storage.audit.append({ at: T0 + i, actor: 'a', action: 'x' });
        assert.deepEqual((await storage.audit.list({ fromSeq: entry.seq }))[0], entry);
      }
    }
    await storage.flush();
    assert.equal((await storage.segments.query('cam-a', { from: T0, to: T0 + DAY })).length, 40);
  }),
  check('lifecycle', 'close is idempotent and every later call fails with STORAGE_CLOSED', async ({ storage }) => {
    await storage.segments.add(makeSegment('cam-a', T0));
    await storage.close();
    await storage.close();
    const range = { from: T0, to: T0 + HOUR };
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['cameras.put', () => storage.cameras.put(CameraSpecSchema.parse(makeCamera('cam-a')))],
      ['cameras.get', () => storage.cameras.get('cam-a')],
      ['cameras.list', () => storage.cameras.list()],
      ['cameras.delete', () => storage.cameras.delete('cam-a')],
      ['segments.add', () => storage.segments.add(makeSegment('cam-a', T0 + HOUR))],
      ['segments.addMany', () => storage.segments.addMany([makeSegment('cam-a', T0 + HOUR)])],
      ['segments.query', () => storage.segments.query('cam-a', range)],
      ['segments.latest', () => storage.segments.latest('cam-a')],
      ['segments.gaps', () => storage.segments.gaps('cam-a', range)],
      ['segments.bytesPerDay', () => storage.segments.bytesPerDay('cam-a', range)],
      ['segments.oldestUnheld', () => storage.segments.oldestUnheld({ limit: 1 })],
      ['segments.remove', () => storage.segments.remove([{ cameraId: 'cam-a', start: T0 }])],
      ['segments.cameraIds', () => storage.segments.cameraIds()],
      ['events.append', () => storage.events.append(makeMotion('cam-a', T0))],
      ['events.appendMany', () => storage.events.appendMany([makeMotion('cam-a', T0)])],
      ['events.query', () => storage.events.query()],
      ['incidents.put', () => storage.incidents.put(makeIncident('i1'))],
      ['incidents.get', () => storage.incidents.get('i1')],
      ['incidents.query', () => storage.incidents.query()],
      ['evidence.put', () => storage.evidence.put(makeEvidence('e1', 'cam-a'))],
      ['evidence.get', () => storage.evidence.get('e1')],
      ['evidence.list', () => storage.evidence.list()],
      ['holds.put', () => storage.holds.put(makeHold('h1', 'cam-a', T0, T0 + 1))],
      ['holds.get', () => storage.holds.get('h1')],
      ['holds.list', () => storage.holds.list()],
      ['holds.covering', () => storage.holds.covering('cam-a', range)],
      ['audit.append', () => storage.audit.append({ at: T0, actor: 'a', action: 'x' })],
      ['audit.list', () => storage.audit.list()],
      ['audit.verify', () => storage.audit.verify()],
      ['flush', () => storage.flush()],
    ];
    for (const [name, call] of calls) await expectCode(`${name} after close`, 'STORAGE_CLOSED', call);
  }),
  check(
    'persistence',
    'after close and reopen every record is back, the chain continues, event ids stay unique and holds still protect',
    async (ctx) => {
      const { storage } = ctx;
      const segs = makeSegments('cam-a', T0, 50);
      await storage.segments.addMany(segs.slice(0, 25));
      for (const s of segs.slice(25)) await storage.segments.add(s);
      await storage.segments.add(makeSegment('cam-b', T0, 3 * HOUR));
      await storage.cameras.put(CameraSpecSchema.parse(makeCamera('cam-a')));
      const events = await storage.events.appendMany(Array.from({ length: 30 }, (_, i) => makeMotion('cam-a', T0 + i)));
      await storage.incidents.put(makeIncident('i1', { status: 'open' }));
      await storage.incidents.put(makeIncident('i1', { status: 'investigating' }));
      await storage.evidence.put(makeEvidence('ev-1', 'cam-a'));
      await storage.holds.put(makeHold('h1', 'cam-a', T0, T0 + MINUTE));
      const audit: AuditEntry[] = [];
      for (let i = 0; i < 5; i++) audit.push(await storage.audit.append({ at: T0 + i, actor: 'a', action: `act-${i}` }));
      // No explicit flush: close() must flush.
      const reopened = await ctx.reopen();
      assert.deepEqual(await reopened.segments.query('cam-a', { from: T0, to: T0 + DAY }), segs);
      assert.deepEqual(keysOf(await reopened.segments.query('cam-b', { from: T0 + 2 * HOUR, to: T0 + 2 * HOUR + 1 })), [['cam-b', T0]], 'look-back survives reopen');
      assert.deepEqual(await reopened.segments.latest('cam-a'), segs[49]);
      assert.deepEqual(await reopened.segments.cameraIds(), ['cam-a', 'cam-b']);
      assert.deepEqual((await reopened.cameras.list()).map((c) => c.id), ['cam-a']);
      assert.deepEqual((await reopened.events.query({ limit: 100 })).items, events);
      assert.deepEqual((await reopened.incidents.query({ status: 'investigating' })).items.map((i) => i.id), ['i1']);
      assert.deepEqual((await reopened.incidents.query({ status: 'open' })).items, []);
      assert.deepEqual((await reopened.evidence.list()).map((e) => e.id), ['ev-1']);
      assert.deepEqual(await reopened.audit.list(), audit);
      assert.deepEqual(await reopened.audit.verify(), { ok: true, entries: 5, lastHash: audit[4]?.hash });
      const next = await reopened.audit.append({ at: T0 + 9, actor: 'a', action: 'after-reopen' });
      assert.equal(next.seq, 6);
      assert.equal(next.prevHash, audit[4]?.hash, 'the chain continues after reopen');
      const more = await reopened.events.append(makeMotion('cam-a', T0 + 29));
      assert.ok(!events.some((e) => e.id === more.id), 'event ids stay unique after reopen');
      assert.ok(more.id > (events[29] as StoredEvent).id, 'a later-appended event at the same time sorts after');
      await expectCode('remove(held) after reopen', 'SEGMENT_HELD', () => reopened.segments.remove([{ cameraId: 'cam-a', start: T0 }]));
      assert.deepEqual(keysOf(await reopened.segments.oldestUnheld({ limit: 1, cameraId: 'cam-a' })), [['cam-a', T0 + MINUTE]]);
      await reopened.segments.remove([{ cameraId: 'cam-a', start: T0 + MINUTE }]);
      const again = await ctx.reopen();
      assert.equal((await again.segments.query('cam-a', { from: T0, to: T0 + DAY })).length, 49, 'a removal persists');
      assert.deepEqual(await again.audit.verify(), { ok: true, entries: 6, lastHash: next.hash });
    },
    true,
  ),
  ...sightingConformanceChecks,
  ...watchlistConformanceChecks,
];
