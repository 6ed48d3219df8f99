import { checkStorageRecord, WatchlistEntrySchema, type WatchlistEntry, type WatchlistRepository } from '@wardwatch/core';
import type { LevelContext } from './level-context.js';

/** Watchlist entries on LevelDB: entry id → JSON in `watchlist`, written durably (fsynced under the default sync mode). */
export function createLevelWatchlistRepository(ctx: LevelContext): WatchlistRepository {
  const { sub } = ctx;
  return {
    async put(entry) {
      ctx.assertOpen();
      const { value, json } = checkStorageRecord(WatchlistEntrySchema, entry, 'watchlist entry', ctx.maxRecordBytes);
      await ctx.write([{ type: 'put', sublevel: sub.watchlist, key: value.id, value: json }], 'record');
    },
    get(id) {
      return ctx.read(async () => {
        const json = await sub.watchlist.get(id);
        return json === undefined ? undefined : (JSON.parse(json) as WatchlistEntry);
      });
    },
    list(filter = {}) {
      return ctx.read(async () => {
        const entries: WatchlistEntry[] = [];
        for await (const json of sub.watchlist.values()) {
          const entry = JSON.parse(json) as WatchlistEntry;
          if (filter.kind === undefined || entry.kind === filter.kind) entries.push(entry);
        }
        return entries;
      });
    },
    async delete(id) {
      ctx.assertOpen();
      await ctx.write([{ type: 'del', sublevel: sub.watchlist, key: id }], 'record');
    },
  };
}
