import { checkStorageRecord, EvidenceRecordSchema, type EvidenceRecord, type EvidenceRepository } from '@wardwatch/core';
import type { LevelContext } from './level-context.js';

/** The evidence export records of the LevelDB adapter, keyed by id. */
export function createLevelEvidenceRepository(ctx: LevelContext): EvidenceRepository {
  return {
    async put(record) {
      ctx.assertOpen();
      const { value, json } = checkStorageRecord(EvidenceRecordSchema, record, 'evidence record', ctx.maxRecordBytes);
      await ctx.write([{ type: 'put', sublevel: ctx.sub.evidence, key: value.id, value: json }], 'record');
    },
    get(id) {
      return ctx.read(async () => {
        const json = await ctx.sub.evidence.get(id);
        return json === undefined ? undefined : (JSON.parse(json) as EvidenceRecord);
      });
    },
    list(filter = {}) {
      return ctx.read(async () =>
        (await ctx.sub.evidence.values().all())
          .map((v) => JSON.parse(v) as EvidenceRecord)
          .filter((e) => (filter.cameraId === undefined || e.cameraId === filter.cameraId) && (filter.incidentId === undefined || e.incidentId === filter.incidentId)),
      );
    },
  };
}
