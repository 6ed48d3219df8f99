import { chainAuditEntry, verifyAuditChain } from '../audit/audit-chain.js';
import type {
  AuditLog,
  CameraRepository,
  EventQuery,
  EventRepository,
  EvidenceRepository,
  HoldRepository,
  IncidentQuery,
  IncidentRepository,
  Page,
  SegmentRepository,
  StorageAdapter,
} from '../contracts/storage-adapter.js';
import { WardwatchError } from '../errors/wardwatch-error.js';
import { AuditInputSchema, type AuditEntry } from '../model/audit.js';
import { CameraSpecSchema, type CameraSpec } from '../model/camera-spec.js';
import { EvidenceRecordSchema, HoldSchema, type EvidenceRecord, type Hold } from '../model/evidence.js';
import { IncidentSchema, type Incident } from '../model/incident.js';
import { SegmentSchema, type Segment, type TimeRange } from '../model/segment.js';
import { StationEventEnvelopeSchema, type StoredEvent } from '../model/station-event.js';
import { checkLimit, checkOptionalString, checkOptionalTime } from './check-query-options.js';
import { checkStorageRecord, DEFAULT_MAX_RECORD_BYTES } from './check-storage-record.js';
import { checkTimeRange, overlapsRange } from './check-time-range.js';
import { eventIdBound, formatEventId, parseEventId } from './event-id.js';
import { DEFAULT_GAP_TOLERANCE_MS, findRecordingGaps } from './find-recording-gaps.js';
import { lowerBound, upperBound } from './sorted-search.js';
import { sumBytesPerDay } from './sum-bytes-per-day.js';

/** Options of {@link createMemoryStorage}. */
export interface MemoryStorageOptions {
  /**
   * Largest accepted record, in UTF-8 bytes of its JSON; larger ones fail with `STORAGE_RECORD_TOO_LARGE`.
   * @default 1048576
   */
  maxRecordBytes?: number;
}

interface StoredEventEntry {
  id: string;
  type: string;
  json: string;
}

interface CameraSegments {
  /** Segments ordered by start. */
  list: Segment[];
  /** Longest `end - start` ever added: bounds the look-back of overlap queries. */
  maxDuration: number;
}

const byStart = (s: Segment): number => s.start;
const byId = (e: StoredEventEntry): string => e.id;

/**
 * Creates an in-memory {@link StorageAdapter} for tests, demos and small embeds. It validates records
 * like a durable adapter, keeps segments and events in sorted arrays searched by bisection, chains the
 * audit log, and loses everything when the process exits.
 */
export function createMemoryStorage(options: MemoryStorageOptions = {}): StorageAdapter {
  const maxBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < 1) {
    throw new WardwatchError('INVALID_CONFIG', `maxRecordBytes must be a positive integer, got ${String(maxBytes)}`);
  }
  let closed = false;
  const assertOpen = (): void => {
    if (closed) throw new WardwatchError('STORAGE_CLOSED', 'The in-memory storage was used after close()');
  };

  // ---- cameras ----
  const cameraJson = new Map<string, string>();
  const cameras: CameraRepository = {
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

  // ---- holds (needed by segments) ----
  const holdMap = new Map<string, Hold>();
  const activeHoldsOf = (cameraId: string): Hold[] =>
    [...holdMap.values()].filter((h) => h.cameraId === cameraId && h.releasedAt === undefined);
  const isHeld = (segment: Segment, holds: readonly Hold[]): boolean =>
    holds.some((h) => overlapsRange(segment.start, segment.end, h));

  // ---- segments ----
  const segmentsByCamera = new Map<string, CameraSegments>();
  const overlapping = (cameraId: string, range: TimeRange): Segment[] => {
    const entry = segmentsByCamera.get(cameraId);
    if (!entry || range.to <= range.from) return [];
    const out: Segment[] = [];
    const list = entry.list;
    for (let i = lowerBound(list, range.from - entry.maxDuration, byStart); i < list.length; i++) {
      const s = list[i] as Segment;
      if (s.start >= range.to) break;
      if (overlapsRange(s.start, s.end, range)) out.push(s);
    }
    return out;
  };
  const segments: SegmentRepository = {
    async add(segment) {
      await segments.addMany([segment]);
    },
    async addMany(input) {
      assertOpen();
      if (!Array.isArray(input)) throw new WardwatchError('INVALID_ARGUMENT', 'addMany expects an array of segments');
      const checked = input.map((s) => checkStorageRecord(SegmentSchema, s, 'segment', maxBytes).value);
      for (const s of checked) {
        let entry = segmentsByCamera.get(s.cameraId);
        if (!entry) {
          entry = { list: [], maxDuration: 0 };
          segmentsByCamera.set(s.cameraId, entry);
        }
        const list = entry.list;
        const last = list[list.length - 1];
        if (last === undefined || s.start > last.start) list.push(s);
        else {
          const at = lowerBound(list, s.start, byStart);
          if (list[at]?.start === s.start) list[at] = s;
          else list.splice(at, 0, s);
        }
        if (s.end - s.start > entry.maxDuration) entry.maxDuration = s.end - s.start;
      }
    },
    async query(cameraId, range) {
      assertOpen();
      checkTimeRange(range);
      return overlapping(cameraId, range).map((s) => ({ ...s }));
    },
    async latest(cameraId) {
      assertOpen();
      const list = segmentsByCamera.get(cameraId)?.list;
      const last = list?.[list.length - 1];
      return last === undefined ? undefined : { ...last };
    },
    async gaps(cameraId, range, toleranceMs = DEFAULT_GAP_TOLERANCE_MS) {
      assertOpen();
      checkTimeRange(range);
      if (!Number.isFinite(toleranceMs) || toleranceMs < 0) {
        throw new WardwatchError('INVALID_ARGUMENT', `toleranceMs must be a non-negative number, got ${String(toleranceMs)}`);
      }
      if (range.to <= range.from) return [];
      return findRecordingGaps(cameraId, range, overlapping(cameraId, range), toleranceMs);
    },
    async bytesPerDay(cameraId, range) {
      assertOpen();
      checkTimeRange(range);
      const list = segmentsByCamera.get(cameraId)?.list ?? [];
      return sumBytesPerDay(list.slice(lowerBound(list, range.from, byStart), lowerBound(list, range.to, byStart)));
    },
    async oldestUnheld(opts) {
      assertOpen();
      const limit = checkLimit(opts?.limit, 100, 1_000_000);
      const before = checkOptionalTime(opts?.before, 'before');
      const only = checkOptionalString(opts?.cameraId, 'cameraId');
      const ids = only === undefined ? [...segmentsByCamera.keys()] : segmentsByCamera.has(only) ? [only] : [];
      const found: Segment[] = [];
      for (const id of ids) {
        const holds = activeHoldsOf(id);
        let taken = 0;
        for (const s of (segmentsByCamera.get(id) as CameraSegments).list) {
          if (taken >= limit || (before !== undefined && s.start >= before)) break;
          if (isHeld(s, holds)) continue;
          found.push(s);
          taken++;
        }
      }
      found.sort((a, b) => a.start - b.start || (a.cameraId < b.cameraId ? -1 : a.cameraId > b.cameraId ? 1 : 0));
      return found.slice(0, limit).map((s) => ({ ...s }));
    },
    async remove(keys) {
      assertOpen();
      if (!Array.isArray(keys)) throw new WardwatchError('INVALID_ARGUMENT', 'remove expects an array of { cameraId, start }');
      const held: Array<{ cameraId: string; start: number; holds: string[] }> = [];
      for (const key of keys) {
        const list = segmentsByCamera.get(key.cameraId)?.list;
        if (!list) continue;
        const s = list[lowerBound(list, key.start, byStart)];
        if (s === undefined || s.start !== key.start) continue;
        const holds = activeHoldsOf(key.cameraId).filter((h) => overlapsRange(s.start, s.end, h));
        if (holds.length > 0) held.push({ cameraId: s.cameraId, start: s.start, holds: holds.map((h) => h.id) });
      }
      if (held.length > 0) {
        const first = held[0] as (typeof held)[number];
        throw new WardwatchError(
          'SEGMENT_HELD',
          `${held.length} segment(s) are held and cannot be removed (first: camera ${first.cameraId} at ${new Date(first.start).toISOString()}, hold ${first.holds.join(', ')}); nothing was removed`,
          { details: { held } },
        );
      }
      for (const key of keys) {
        const entry = segmentsByCamera.get(key.cameraId);
        if (!entry) continue;
        const at = lowerBound(entry.list, key.start, byStart);
        if (entry.list[at]?.start !== key.start) continue;
        entry.list.splice(at, 1);
        if (entry.list.length === 0) segmentsByCamera.delete(key.cameraId);
      }
    },
    async cameraIds() {
      assertOpen();
      return [...segmentsByCamera.keys()].sort();
    },
  };

  // ---- events ----
  const allEvents: StoredEventEntry[] = [];
  const eventsByCamera = new Map<string, StoredEventEntry[]>();
  let eventSeq = 0;
  const insertSorted = (list: StoredEventEntry[], entry: StoredEventEntry): void => {
    const last = list[list.length - 1];
    if (last === undefined || entry.id > last.id) list.push(entry);
    else list.splice(lowerBound(list, entry.id, byId), 0, entry);
  };
  const events: EventRepository = {
    async append(event) {
      return (await events.appendMany([event]))[0] as StoredEvent;
    },
    async appendMany(input) {
      assertOpen();
      if (!Array.isArray(input)) throw new WardwatchError('INVALID_ARGUMENT', 'appendMany expects an array of events');
      const checked = input.map((e) => checkStorageRecord(StationEventEnvelopeSchema, e, `${String((e as { type?: unknown })?.type)} event`, maxBytes));
      return checked.map(({ value, json: envelope }) => {
        const id = formatEventId(value.at, ++eventSeq);
        // The envelope JSON is a non-empty object: append the id instead of serialising again.
        const json = `${envelope.slice(0, -1)},"id":"${id}"}`;
        const entry: StoredEventEntry = { id, type: value.type, json };
        insertSorted(allEvents, entry);
        if (typeof value.cameraId === 'string') {
          let list = eventsByCamera.get(value.cameraId);
          if (!list) eventsByCamera.set(value.cameraId, (list = []));
          insertSorted(list, entry);
        }
        return JSON.parse(json) as StoredEvent;
      });
    },
    async query(query: EventQuery = {}) {
      assertOpen();
      const limit = checkLimit(query.limit, 100);
      const from = checkOptionalTime(query.from, 'from');
      const to = checkOptionalTime(query.to, 'to');
      const cameraId = checkOptionalString(query.cameraId, 'cameraId');
      if (query.after !== undefined) parseEventId(query.after);
      if (query.types !== undefined && !Array.isArray(query.types)) throw new WardwatchError('INVALID_ARGUMENT', 'types must be an array of event types');
      const types = query.types === undefined ? undefined : new Set<string>(query.types);
      const list = cameraId === undefined ? allEvents : (eventsByCamera.get(cameraId) ?? []);
      const lo = from === undefined ? 0 : lowerBound(list, eventIdBound(from), byId);
      const hi = to === undefined ? list.length : lowerBound(list, eventIdBound(to), byId);
      const items: StoredEvent[] = [];
      let more = false;
      const visit = (entry: StoredEventEntry): boolean => {
        if (types !== undefined && !types.has(entry.type)) return true;
        if (items.length === limit) {
          more = true;
          return false;
        }
        items.push(JSON.parse(entry.json) as StoredEvent);
        return true;
      };
      if (query.reverse) {
        const start = query.after === undefined ? hi - 1 : Math.min(hi, lowerBound(list, query.after, byId)) - 1;
        for (let i = start; i >= lo; i--) if (!visit(list[i] as StoredEventEntry)) break;
      } else {
        const start = query.after === undefined ? lo : Math.max(lo, upperBound(list, query.after, byId));
        for (let i = start; i < hi; i++) if (!visit(list[i] as StoredEventEntry)) break;
      }
      const last = items[items.length - 1];
      return more && last ? { items, next: last.id } : { items };
    },
  };

  // ---- incidents ----
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
  const incidents: IncidentRepository = {
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

  // ---- evidence ----
  const evidenceMap = new Map<string, { value: EvidenceRecord; json: string }>();
  const evidence: EvidenceRepository = {
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

  // ---- holds ----
  const holds: HoldRepository = {
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
      return activeHoldsOf(cameraId)
        .filter((h) => h.from < range.to && h.to > range.from)
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((h) => structuredClone(h));
    },
  };

  // ---- audit ----
  const auditJson: string[] = [];
  let lastAudit: AuditEntry | undefined;
  const audit: AuditLog = {
    async append(input) {
      assertOpen();
      const { value } = checkStorageRecord(AuditInputSchema, input, 'audit entry', maxBytes);
      const entry = chainAuditEntry(lastAudit, value);
      const json = JSON.stringify(entry);
      auditJson.push(json);
      lastAudit = JSON.parse(json) as AuditEntry;
      return JSON.parse(json) as AuditEntry;
    },
    async list(opts = {}) {
      assertOpen();
      const fromSeq = opts.fromSeq ?? 1;
      if (!Number.isInteger(fromSeq) || fromSeq < 1) throw new WardwatchError('INVALID_ARGUMENT', `fromSeq must be an integer >= 1, got ${String(fromSeq)}`);
      const limit = checkLimit(opts.limit, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      return auditJson.slice(fromSeq - 1, fromSeq - 1 + Math.min(limit, auditJson.length)).map((j) => JSON.parse(j) as AuditEntry);
    },
    async verify() {
      assertOpen();
      return verifyAuditChain(auditJson.map((j) => JSON.parse(j) as AuditEntry));
    },
  };

  return {
    cameras,
    segments,
    events,
    incidents,
    evidence,
    holds,
    audit,
    async flush() {
      assertOpen();
    },
    async close() {
      closed = true;
    },
  };
}
