import type { SightingRepository } from '../contracts/storage-adapter.js';
import { WardwatchError } from '../errors/wardwatch-error.js';
import { SightingInputSchema, type Sighting } from '../model/sighting.js';
import { checkSightingQuery, sightingIdInRange, sightingMatches } from '../sightings/check-sighting-query.js';
import { compactPlate } from '../sightings/plate-pattern.js';
import { checkStorageRecord } from './check-storage-record.js';
import { formatEventId } from './event-id.js';
import type { MemoryContext } from './memory-context.js';
import { lowerBound } from './sorted-search.js';

const identity = (id: string): string => id;

/** Inserts `id` into a sorted id list (appends in the usual time order). */
function insertSorted(list: string[], id: string): void {
  const last = list[list.length - 1];
  if (last === undefined || last < id) list.push(id);
  else list.splice(lowerBound(list, id, identity), 0, id);
}

/**
 * The sightings of a memory storage: records by id, a sorted list of every id (time order), and sorted id
 * lists per compact plate and per watchlist entry. A partial plate tests every distinct plate.
 */
export function createMemorySightingRepository(context: MemoryContext): SightingRepository {
  const { assertOpen, maxBytes } = context;
  const records = new Map<string, string>();
  const ids: string[] = [];
  const byPlate = new Map<string, string[]>();
  const byEntry = new Map<string, string[]>();
  let seq = 0;

  const indexUnder = (map: Map<string, string[]>, key: string, id: string): void => {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    insertSorted(list, id);
  };

  const repository: SightingRepository = {
    async add(input) {
      return (await repository.addMany([input]))[0] as Sighting;
    },
    async addMany(inputs) {
      assertOpen();
      if (!Array.isArray(inputs)) throw new WardwatchError('INVALID_ARGUMENT', 'addMany expects an array of sightings');
      const checked = inputs.map((input) => checkStorageRecord(SightingInputSchema, input, 'sighting', maxBytes));
      const stored: Sighting[] = [];
      for (const { value } of checked) {
        const sighting: Sighting = { ...value, id: formatEventId(value.at, ++seq) };
        records.set(sighting.id, JSON.stringify(sighting));
        insertSorted(ids, sighting.id);
        if (sighting.plate !== undefined) indexUnder(byPlate, compactPlate(sighting.plate), sighting.id);
        if (sighting.entryId !== undefined) indexUnder(byEntry, sighting.entryId, sighting.id);
        stored.push(structuredClone(sighting));
      }
      return stored;
    },
    async get(id) {
      assertOpen();
      const json = records.get(id);
      return json === undefined ? undefined : (JSON.parse(json) as Sighting);
    },
    async query(query = {}) {
      assertOpen();
      const q = checkSightingQuery(query);
      let candidates: readonly string[];
      if (q.entryId !== undefined) candidates = byEntry.get(q.entryId) ?? [];
      else if (q.plate?.exact) candidates = byPlate.get(q.plate.compact) ?? [];
      else if (q.plate !== undefined) {
        const merged: string[] = [];
        for (const [plate, list] of byPlate) if (q.plate.test(plate)) for (const id of list) if (sightingIdInRange(id, q)) merged.push(id);
        candidates = merged.sort();
      } else candidates = ids;
      const start = lowerBound(candidates, q.after !== undefined && q.after >= q.low ? q.after : q.low, identity);
      const items: Sighting[] = [];
      let more = false;
      for (let i = start; i < candidates.length; i++) {
        const id = candidates[i] as string;
        if (id >= q.high) break;
        const sighting = JSON.parse(records.get(id) as string) as Sighting;
        if (!sightingMatches(sighting, q)) continue;
        if (items.length === q.limit) {
          more = true;
          break;
        }
        items.push(sighting);
      }
      const last = items[items.length - 1];
      return more && last ? { items, next: last.id } : { items };
    },
    async removeCrops(list) {
      assertOpen();
      for (const id of list) {
        const json = records.get(id);
        if (json === undefined) continue;
        const { crop: _crop, ...rest } = JSON.parse(json) as Sighting;
        records.set(id, JSON.stringify(rest));
      }
    },
  };
  return repository;
}
