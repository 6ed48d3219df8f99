import type { WatchlistRepository } from '../contracts/storage-adapter.js';
import { WatchlistEntrySchema } from '../model/watchlist-entry.js';
import { checkStorageRecord } from './check-storage-record.js';
import type { MemoryContext } from './memory-context.js';

/** The watchlist of a memory storage: entries by id. */
export function createMemoryWatchlistRepository(context: MemoryContext): WatchlistRepository {
  const { assertOpen, maxBytes } = context;
  const entries = new Map<string, string>();
  return {
    async put(entry) {
      assertOpen();
      const { value, json } = checkStorageRecord(WatchlistEntrySchema, entry, 'watchlist entry', maxBytes);
      entries.set(value.id, json);
    },
    async get(id) {
      assertOpen();
      const json = entries.get(id);
      return json === undefined ? undefined : JSON.parse(json);
    },
    async list(filter = {}) {
      assertOpen();
      return [...entries.keys()]
        .sort()
        .map((id) => JSON.parse(entries.get(id) as string))
        .filter((e) => filter.kind === undefined || e.kind === filter.kind);
    },
    async delete(id) {
      assertOpen();
      entries.delete(id);
    },
  };
}
