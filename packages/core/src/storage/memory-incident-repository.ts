import type { IncidentQuery, IncidentRepository, Page } from '../contracts/storage-adapter.js';
import { IncidentSchema, type Incident } from '../model/incident.js';
import { checkLimit, checkOptionalString } from './check-query-options.js';
import { checkStorageRecord } from './check-storage-record.js';
import type { MemoryContext } from './memory-context.js';

/** The incidents of a memory storage, indexed by status, category, station and camera. */
export function createMemoryIncidentRepository(context: MemoryContext): IncidentRepository {
  const { assertOpen, maxBytes } = context;
  const incidentMap = new Map<string, { value: Incident; json: string }>();
  const incidentIndex = new Map<string, Set<string>>();
  const indexKeys = (i: Incident): string[] => [
    `status:${i.status}`,
    `category:${i.category}`,
    `station:${i.station}`,
    ...new Set(i.ranges.map((r) => `camera:${r.cameraId}`)),
  ];
  const matches = (i: Incident, q: IncidentQuery): boolean =>
    (q.status === undefined || i.status === q.status) &&
    (q.category === undefined || i.category === q.category) &&
    (q.station === undefined || i.station === q.station) &&
    (q.cameraId === undefined || i.ranges.some((r) => r.cameraId === q.cameraId));
  return {
    async put(incident) {
      assertOpen();
      const checked = checkStorageRecord(IncidentSchema, incident, 'incident', maxBytes);
      const previous = incidentMap.get(checked.value.id);
      if (previous) for (const key of indexKeys(previous.value)) incidentIndex.get(key)?.delete(previous.value.id);
      for (const key of indexKeys(checked.value)) {
        let ids = incidentIndex.get(key);
        if (!ids) incidentIndex.set(key, (ids = new Set()));
        ids.add(checked.value.id);
      }
      incidentMap.set(checked.value.id, checked);
    },
    async get(id) {
      assertOpen();
      const found = incidentMap.get(id);
      return found === undefined ? undefined : (JSON.parse(found.json) as Incident);
    },
    async query(query: IncidentQuery = {}) {
      assertOpen();
      const limit = checkLimit(query.limit, 100);
      const after = checkOptionalString(query.after, 'after');
      const filters: string[] = [];
      if (checkOptionalString(query.status, 'status') !== undefined) filters.push(`status:${query.status}`);
      if (checkOptionalString(query.category, 'category') !== undefined) filters.push(`category:${query.category}`);
      if (checkOptionalString(query.station, 'station') !== undefined) filters.push(`station:${query.station}`);
      if (checkOptionalString(query.cameraId, 'cameraId') !== undefined) filters.push(`camera:${query.cameraId}`);
      let candidates: Set<string> | undefined;
      for (const key of filters) {
        const ids = incidentIndex.get(key) ?? new Set<string>();
        if (candidates === undefined || ids.size < candidates.size) candidates = ids;
      }
      const ids = [...(candidates ?? incidentMap.keys())].filter((id) => after === undefined || id > after).sort();
      const items: Incident[] = [];
      let more = false;
      for (const id of ids) {
        const found = incidentMap.get(id);
        if (!found || !matches(found.value, query)) continue;
        if (items.length === limit) {
          more = true;
          break;
        }
        items.push(JSON.parse(found.json) as Incident);
      }
      const last = items[items.length - 1];
      return more && last ? { items, next: last.id } : ({ items } as Page<Incident>);
    },
  };
}
