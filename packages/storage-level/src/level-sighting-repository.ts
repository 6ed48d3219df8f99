import {
  checkSightingQuery,
  checkStorageRecord,
  compactPlate,
  formatEventId,
  reversePlate,
  sightingMatches,
  SightingInputSchema,
  WardwatchError,
  type CheckedSightingQuery,
  type PlatePattern,
  type Sighting,
  type SightingRepository,
} from '@wardwatch/core';
import type { AbstractIterator } from 'abstract-level';
import type { LevelContext } from './level-context.js';
import type { Sublevel, Sublevels } from './level-database.js';
import type { WriteOp } from './write-queue.js';

/** An iterator over a string-keyed, string-valued sublevel. */
type LevelIterator = AbstractIterator<Sublevel, string, string>;

/** Index keys are `value!sightingId`; `value"` sorts after every key of `value` and before any longer value. */
const AFTER_VALUE = '"';

/** The first key of `value`'s index entries a query can return: at its lower time bound or just after its cursor. */
function firstKey(value: string, q: CheckedSightingQuery): { key: string; exclusive: boolean } {
  if (q.after !== undefined && q.after >= q.low) return { key: `${value}!${q.after}`, exclusive: true };
  return { key: `${value}!${q.low}`, exclusive: false };
}

/**
 * The ids of one index value (`plate` or `entryId`) in time order, inside the query's bounds and cameras (read from
 * the index value, so no record is fetched for filtering), in chunks of up to `chunk`.
 */
async function* idsOf(index: Sublevel, value: string, q: CheckedSightingQuery, chunk: number): AsyncGenerator<string[]> {
  const { key, exclusive } = firstKey(value, q);
  const iterator = index.iterator({ ...(exclusive ? { gt: key } : { gte: key }), lt: q.high === '\uffff' ? value + AFTER_VALUE : `${value}!${q.high}` });
  try {
    for (;;) {
      const entries = await iterator.nextv(chunk);
      if (entries.length === 0) return;
      const ids: string[] = [];
      for (const [k, cameraId] of entries) if (q.cameras === undefined || q.cameras.has(cameraId)) ids.push(k.slice(value.length + 1));
      yield ids;
    }
  } finally {
    await iterator.close();
  }
}

/**
 * Reads the ids of one plate inside the query's bounds and cameras into `found`, at most `limit + 1` (the most a page
 * can take from one plate), seeking `iterator` (over the plate index) to the plate's first key.
 */
async function readPlate(iterator: LevelIterator, plate: string, q: CheckedSightingQuery, found: string[]): Promise<void> {
  const { key, exclusive } = firstKey(plate, q);
  const high = `${plate}!${q.high}`;
  iterator.seek(key);
  let taken = 0;
  while (taken <= q.limit) {
    const entry = await iterator.next();
    if (entry === undefined) return;
    const [k, cameraId] = entry;
    if (k >= high || !k.startsWith(`${plate}!`)) return;
    if ((exclusive && k === key) || (q.cameras !== undefined && !q.cameras.has(cameraId))) continue;
    found.push(k.slice(plate.length + 1));
    taken++;
  }
}

/**
 * The ids of a partial plate whose known start is the longer end: a skip-scan of the plate index under that start.
 * Each distinct plate under the prefix is visited once (one seek past it); a matching one is read inside the time
 * bounds. Cost grows with the distinct plates under the prefix, not with the number of sightings.
 */
async function idsByPrefix(index: Sublevel, plate: PlatePattern, q: CheckedSightingQuery): Promise<string[]> {
  const found: string[] = [];
  const iterator = index.iterator({ gte: plate.prefix, lt: `${plate.prefix}\uffff` });
  try {
    let entry = await iterator.next();
    // Bounded: every pass seeks past the plate just seen.
    while (entry !== undefined) {
      const compact = entry[0].slice(0, entry[0].indexOf('!'));
      if (plate.test(compact)) await readPlate(iterator, compact, q, found);
      iterator.seek(compact + AFTER_VALUE);
      entry = await iterator.next();
    }
  } finally {
    await iterator.close();
  }
  return found;
}

/**
 * The ids of a partial plate whose known end is the longer end: the distinct plates ending so come from the reversed
 * plate set (one key per distinct plate), then each matching plate is read from the plate index.
 */
async function idsBySuffix(sub: Sublevels, plate: PlatePattern, q: CheckedSightingQuery): Promise<string[]> {
  const reversed = reversePlate(plate.suffix);
  const plates: string[] = [];
  for await (const key of sub.sightingPlatesReversed.keys({ gte: reversed, lt: `${reversed}\uffff` })) {
    const compact = reversePlate(key);
    if (plate.test(compact)) plates.push(compact);
  }
  const found: string[] = [];
  const iterator = sub.sightingPlates.iterator();
  try {
    for (const compact of plates) await readPlate(iterator, compact, q, found);
  } finally {
    await iterator.close();
  }
  return found;
}

/** How many plates the writer remembers having put into the reversed plate set (beyond that a plate is put again, harmlessly). */
const SEEN_PLATES = 500_000;

/**
 * Sightings on LevelDB. Records live under their time-ordered id in `sightings`; two indexes hold
 * `value!id → cameraId`: `sighting-plates` (compact plate) and `sighting-entries` (watchlist entry), and
 * `sighting-plates-reversed` holds one key per distinct plate, reversed, for patterns whose known part is at the end.
 * An exact plate over any period is one range scan; a partial plate is a skip-scan of the plate index under its known
 * start, or a scan of the reversed set under its known end, whichever is longer; everything else scans the
 * time-ordered records. Written in one batch with the id counter in `meta`, at event durability (the log
 * survives a process kill; `sync: true` makes it survive a power loss too).
 */
export async function createLevelSightingRepository(ctx: LevelContext): Promise<SightingRepository> {
  const storedSeq = await ctx.sub.meta.get('sighting-seq');
  let seq = storedSeq === undefined ? 0 : Number(storedSeq);
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new WardwatchError('STORAGE_CORRUPT', `The sighting counter of the database at ${ctx.location} is unreadable: ${String(storedSeq)}`, { details: { path: ctx.location } });
  }
  const { sub } = ctx;
  /** Plates known to be in the reversed plate set (insertion-ordered, oldest forgotten first). */
  const seen = new Set<string>();

  /** Fetches the records of `ids` and keeps those passing every filter, up to `limit + 1` in `items`. */
  const collect = async (ids: readonly string[], q: CheckedSightingQuery, items: Sighting[]): Promise<boolean> => {
    if (ids.length === 0) return true;
    const values = await sub.sightings.getMany(ids as string[]);
    for (const json of values) {
      if (json === undefined) continue;
      const sighting = JSON.parse(json) as Sighting;
      if (!sightingMatches(sighting, q)) continue;
      items.push(sighting);
      if (items.length > q.limit) return false;
    }
    return true;
  };

  const scanRecords = async (q: CheckedSightingQuery, items: Sighting[]): Promise<void> => {
    const bounds = q.after !== undefined && q.after >= q.low ? { gt: q.after } : { gte: q.low };
    const iterator = sub.sightings.iterator({ ...bounds, lt: q.high });
    try {
      for (;;) {
        const chunk = await iterator.nextv(1000);
        if (chunk.length === 0) return;
        for (const [, json] of chunk) {
          const sighting = JSON.parse(json) as Sighting;
          if (!sightingMatches(sighting, q)) continue;
          items.push(sighting);
          if (items.length > q.limit) return;
        }
      }
    } finally {
      await iterator.close();
    }
  };

  const repository: SightingRepository = {
    async add(input) {
      return (await repository.addMany([input]))[0] as Sighting;
    },
    async addMany(inputs) {
      ctx.assertOpen();
      if (!Array.isArray(inputs)) throw new WardwatchError('INVALID_ARGUMENT', 'addMany expects an array of sightings');
      const checked = inputs.map((input) => checkStorageRecord(SightingInputSchema, input, 'sighting', ctx.maxRecordBytes));
      const ops: WriteOp[] = [];
      const stored: Sighting[] = [];
      const newPlates = new Set<string>();
      for (const { value, json } of checked) {
        const id = formatEventId(value.at, ++seq);
        stored.push({ ...value, id });
        ops.push({ type: 'put', sublevel: sub.sightings, key: id, value: `${json.slice(0, -1)},"id":"${id}"}` });
        if (value.plate !== undefined) {
          const compact = compactPlate(value.plate);
          ops.push({ type: 'put', sublevel: sub.sightingPlates, key: `${compact}!${id}`, value: value.cameraId });
          if (!seen.has(compact) && !newPlates.has(compact)) {
            newPlates.add(compact);
            ops.push({ type: 'put', sublevel: sub.sightingPlatesReversed, key: reversePlate(compact), value: '' });
          }
        }
        if (value.entryId !== undefined) ops.push({ type: 'put', sublevel: sub.sightingEntries, key: `${value.entryId}!${id}`, value: value.cameraId });
      }
      if (ops.length > 0) ops.push({ type: 'put', sublevel: sub.meta, key: 'sighting-seq', value: String(seq) });
      await ctx.write(ops, 'event');
      // Remembered only once written: a failed batch puts its plates again next time.
      for (const compact of newPlates) {
        seen.add(compact);
        if (seen.size > SEEN_PLATES) seen.delete(seen.values().next().value as string);
      }
      return stored;
    },
    get(id) {
      return ctx.read(async () => {
        const json = await sub.sightings.get(id);
        return json === undefined ? undefined : (JSON.parse(json) as Sighting);
      });
    },
    query(query = {}) {
      return ctx.read(async () => {
        const q = checkSightingQuery(query);
        const items: Sighting[] = [];
        const plate = q.plate;
        if (q.entryId !== undefined || plate?.exact) {
          const [index, value] = q.entryId !== undefined ? [sub.sightingEntries, q.entryId] : [sub.sightingPlates, (plate as { compact: string }).compact];
          for await (const ids of idsOf(index, value, q, Math.min(1000, q.limit + 1))) if (!(await collect(ids, q, items))) break;
        } else if (plate !== undefined) {
          if (q.kind !== 'face') {
            const ids = plate.prefix.length >= plate.suffix.length ? await idsByPrefix(sub.sightingPlates, plate, q) : await idsBySuffix(sub, plate, q);
            await collect(ids.sort().slice(0, q.limit + 1), q, items);
          }
        } else {
          await scanRecords(q, items);
        }
        const more = items.length > q.limit;
        if (more) items.length = q.limit;
        const last = items[items.length - 1];
        return more && last ? { items, next: last.id } : { items };
      });
    },
    async removeCrops(ids) {
      ctx.assertOpen();
      const values = await ctx.read(() => sub.sightings.getMany([...ids]));
      const ops: WriteOp[] = [];
      values.forEach((json, i) => {
        if (json === undefined) return;
        const { crop, ...rest } = JSON.parse(json) as Sighting;
        if (crop !== undefined) ops.push({ type: 'put', sublevel: sub.sightings, key: ids[i] as string, value: JSON.stringify(rest) });
      });
      await ctx.write(ops, 'record');
    },
  };
  return repository;
}
