import type { EvidenceRepository } from '../contracts/storage-adapter.js';
import { EvidenceRecordSchema, type EvidenceRecord } from '../model/evidence.js';
import { checkStorageRecord } from './check-storage-record.js';
import type { MemoryContext } from './memory-context.js';

/** The evidence export records of a memory storage. */
export function createMemoryEvidenceRepository(context: MemoryContext): EvidenceRepository {
  const { assertOpen, maxBytes } = context;
  const evidenceMap = new Map<string, { value: EvidenceRecord; json: string }>();
  return {
    async put(record) {
      assertOpen();
      const checked = checkStorageRecord(EvidenceRecordSchema, record, 'evidence record', maxBytes);
      evidenceMap.set(checked.value.id, checked);
    },
    async get(id) {
      assertOpen();
      const found = evidenceMap.get(id);
      return found === undefined ? undefined : (JSON.parse(found.json) as EvidenceRecord);
    },
    async list(filter = {}) {
      assertOpen();
      return [...evidenceMap.keys()]
        .sort()
        .map((id) => evidenceMap.get(id) as { value: EvidenceRecord; json: string })
        .filter(({ value }) => (filter.cameraId === undefined || value.cameraId === filter.cameraId) && (filter.incidentId === undefined || value.incidentId === filter.incidentId))
        .map(({ json }) => JSON.parse(json) as EvidenceRecord);
    },
  };
}
