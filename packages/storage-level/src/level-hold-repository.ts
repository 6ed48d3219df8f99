import { checkStorageRecord, checkTimeRange, HoldSchema, type Hold, type HoldRepository } from '@wardwatch/core';
import type { LevelContext } from './level-context.js';

/** Reads every hold (holds are few: one per incident or export), ordered by id. */
export async function readAllHolds(ctx: LevelContext): Promise<Hold[]> {
  const values = await ctx.sub.holds.values().all();
  return values.map((v) => JSON.parse(v) as Hold);
}

/** Active (not released) holds of `cameraId`. */
export async function readActiveHolds(ctx: LevelContext, cameraId?: string): Promise<Hold[]> {
  return (await readAllHolds(ctx)).filter((h) => h.releasedAt === undefined && (cameraId === undefined || h.cameraId === cameraId));
}

/** The evidence locks of the LevelDB adapter, keyed by hold id. */
export function createLevelHoldRepository(ctx: LevelContext): HoldRepository {
  return {
    async put(hold) {
      ctx.assertOpen();
      const { value, json } = checkStorageRecord(HoldSchema, hold, 'hold', ctx.maxRecordBytes);
      await ctx.withHoldLock(() => ctx.write([{ type: 'put', sublevel: ctx.sub.holds, key: value.id, value: json }], 'record'));
    },
    get(id) {
      return ctx.read(async () => {
        const json = await ctx.sub.holds.get(id);
        return json === undefined ? undefined : (JSON.parse(json) as Hold);
      });
    },
    list(filter = {}) {
      return ctx.read(async () =>
        (await readAllHolds(ctx)).filter(
          (h) => (filter.cameraId === undefined || h.cameraId === filter.cameraId) && (filter.active === undefined || (h.releasedAt === undefined) === filter.active),
        ),
      );
    },
    covering(cameraId, range) {
      return ctx.read(async () => {
        checkTimeRange(range);
        if (range.to <= range.from) return [];
        return (await readActiveHolds(ctx, cameraId)).filter((h) => h.from < range.to && h.to > range.from);
      });
    },
  };
}
