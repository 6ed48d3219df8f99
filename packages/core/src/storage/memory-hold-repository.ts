import type { HoldRepository } from '../contracts/storage-adapter.js';
import { HoldSchema, type Hold } from '../model/evidence.js';
import { checkStorageRecord } from './check-storage-record.js';
import { checkTimeRange } from './check-time-range.js';
import type { MemoryContext } from './memory-context.js';

/** The holds of a memory storage, plus the active holds of a camera for the segments to consult (internal). */
export interface MemoryHoldRepository extends HoldRepository {
  activeOf(cameraId: string): Hold[];
}

/** The holds (evidence locks) of a memory storage. */
export function createMemoryHoldRepository(context: MemoryContext): MemoryHoldRepository {
  const { assertOpen, maxBytes } = context;
  const holdMap = new Map<string, Hold>();
  const activeOf = (cameraId: string): Hold[] => [...holdMap.values()].filter((h) => h.cameraId === cameraId && h.releasedAt === undefined);
  return {
    activeOf,
    async put(hold) {
      assertOpen();
      const { value } = checkStorageRecord(HoldSchema, hold, 'hold', maxBytes);
      holdMap.set(value.id, value);
    },
    async get(id) {
      assertOpen();
      const found = holdMap.get(id);
      return found === undefined ? undefined : structuredClone(found);
    },
    async list(filter = {}) {
      assertOpen();
      return [...holdMap.keys()]
        .sort()
        .map((id) => holdMap.get(id) as Hold)
        .filter((h) => (filter.cameraId === undefined || h.cameraId === filter.cameraId) && (filter.active === undefined || (h.releasedAt === undefined) === filter.active))
        .map((h) => structuredClone(h));
    },
    async covering(cameraId, range) {
      assertOpen();
      checkTimeRange(range);
      if (range.to <= range.from) return [];
      return activeOf(cameraId)
        .filter((h) => h.from < range.to && h.to > range.from)
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((h) => structuredClone(h));
    },
  };
}
