import { CameraSpecSchema, checkStorageRecord, type CameraRepository, type CameraSpec } from '@wardwatch/core';
import type { LevelContext } from './level-context.js';

/** The camera specs of the LevelDB adapter, keyed by camera id. */
export function createLevelCameraRepository(ctx: LevelContext): CameraRepository {
  return {
    async put(spec) {
      ctx.assertOpen();
      const { value, json } = checkStorageRecord(CameraSpecSchema, spec, 'camera spec', ctx.maxRecordBytes);
      await ctx.write([{ type: 'put', sublevel: ctx.sub.cameras, key: value.id, value: json }], 'record');
    },
    get(id) {
      return ctx.read(async () => {
        const json = await ctx.sub.cameras.get(id);
        return json === undefined ? undefined : (JSON.parse(json) as CameraSpec);
      });
    },
    list() {
      return ctx.read(async () => (await ctx.sub.cameras.values().all()).map((v) => JSON.parse(v) as CameraSpec));
    },
    async delete(id) {
      ctx.assertOpen();
      await ctx.write([{ type: 'del', sublevel: ctx.sub.cameras, key: id }], 'record');
    },
  };
}
