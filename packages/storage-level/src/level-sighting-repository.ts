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
  type Sighting,
  type SightingRepository,
} from '@wardwatch/core';
import type { LevelContext } from './level-context.js';
import type { Sublevel } from './level-database.js';
import type { WriteOp } from './write-queue.js';

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
 * A partial plate by skip-scan over a plate index: the iterator visits each distinct plate under `prefix` once; a
 * plate that does not match is skipped with one seek past its entries, a matching one is read inside the query's
 * time bounds for at most `limit + 1` ids (the most a page can take from it). Cost grows with the distinct plates
 * under the prefix, not with the number of sightings.
 */
async function idsOfPattern(index: Sublevel, prefix: string, matches: (indexed: string) => boolean, q: CheckedSightingQuery): Promise<string[]> {
  const found: string[] = [];
  const iterator = index.iterator({ gte: prefix, lt: `${prefix}\uffff` });
  try {
    let entry = await iterator.next();
    // Bounded: every pass moves the iterator past at least one key.
    while (entry !== undefined) {
      const plate = entry[0].slice(0, entry[0].indexOf('!'));
      if (!matches(plate)) {
        iterator.seek(plate + AFTER_VALUE);
        entry = await iterator.next();
        continue;
      }
      const { key, exclusive } = firstKey(plate, q);
      iterator.seek(key);
      const high = `${plate}!${q.high}`;
      let taken = 0;
      for (;;) {
        entry = await iterator.next();
        if (entry === undefined) break;
        const [k, cameraId] = entry;
        if (!k.startsWith(plate) || k.charAt(plate.length) !== '!') break;
        if (k >= high || taken > q.limit) {
          iterator.seek(plate + AFTER_VALUE);
          entry = await iterator.next();
          break;
        }
        if ((exclusive && k === key) || (q.cameras !== undefined && !q.cameras.has(cameraId))) continue;
        found.push(k.slice(plate.length + 1));
        taken++;
      }
    }
  } finally {
    await iterator.close();
  }
  return found.sort().slice(0, q.limit + 1);
}

/**
 * Sightings on LevelDB. Records live under their time-ordered id in `sightings`; three indexes hold
 * `value!id → cameraId`: `sighting-plates` (compact plate), `sighting-plates-reversed` (the compact plate reversed,
 * for patterns whose known part is at the end) and `sighting-entries` (watchlist entry). An exact plate over any
 * period is one range scan; a partial plate is a skip-scan of the index whose known end is longer; everything else
 * scans the time-ordered records. Written in one batch with the id counter in `meta`, at event durability (the log
 * survives a process kill; `sync: true` makes it survive a power loss too).
 */
export async function createLevelSightingRepository(ctx: LevelContext): Promise<SightingRepository> {
  const storedSeq = await ctx.sub.meta.get('sighting-seq');
  let seq = storedSeq === undefined ? 0 : Number(storedSeq);
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new WardwatchError('STORAGE_CORRUPT', `The sighting counter of the database at ${ctx.location} is unreadable: ${String(storedSeq)}`, { details: { path: ctx.location } });
  }
  const { sub } = ctx;

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
      for (const { value, json } of checked) {
        const id = formatEventId(value.at, ++seq);
        stored.push({ ...value, id });
        ops.push({ type: 'put', sublevel: sub.sightings, key: id, value: `${json.slice(0, -1)},"id":"${id}"}` });
        if (value.plate !== undefined) {
          const compact = compactPlate(value.plate);
          ops.push({ type: 'put', sublevel: sub.sightingPlates, key: `${compact}!${id}`, value: value.cameraId });
          ops.push({ type: 'put', sublevel: sub.sightingPlatesReversed, key: `${reversePlate(compact)}!${id}`, value: value.cameraId });
        }
        if (value.entryId !== undefined) ops.push({ type: 'put', sublevel: sub.sightingEntries, key: `${value.entryId}!${id}`, value: value.cameraId });
      }
      if (ops.length > 0) ops.push({ type: 'put', sublevel: sub.meta, key: 'sighting-seq', value: String(seq) });
      await ctx.write(ops, 'event');
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
            const forward = plate.prefix.length >= plate.suffix.length;
            const ids = forward
              ? await idsOfPattern(sub.sightingPlates, plate.prefix, (p) => plate.test(p), q)
              : await idsOfPattern(sub.sightingPlatesReversed, reversePlate(plate.suffix), (p) => plate.test(reversePlate(p)), q);
            await collect(ids, q, items);
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
