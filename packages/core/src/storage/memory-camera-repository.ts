import type { CameraRepository } from '../contracts/storage-adapter.js';
import { CameraSpecSchema, type CameraSpec } from '../model/camera-spec.js';
import { checkStorageRecord } from './check-storage-record.js';
import type { MemoryContext } from './memory-context.js';

/** The cameras of a memory storage: specs kept as validated JSON, listed by id. */
export function createMemoryCameraRepository(context: MemoryContext): CameraRepository {
  const { assertOpen, maxBytes } = context;
  const cameraJson = new Map<string, string>();
  return {
    async put(spec) {
      assertOpen();
      const { value, json } = checkStorageRecord(CameraSpecSchema, spec, 'camera spec', maxBytes);
      cameraJson.set(value.id, json);
    },
    async get(id) {
      assertOpen();
      const json = cameraJson.get(id);
      return json === undefined ? undefined : (JSON.parse(json) as CameraSpec);
    },
    async list() {
      assertOpen();
      return [...cameraJson.keys()].sort().map((id) => JSON.parse(cameraJson.get(id) as string) as CameraSpec);
    },
    async delete(id) {
      assertOpen();
      cameraJson.delete(id);
    },
  };
}
