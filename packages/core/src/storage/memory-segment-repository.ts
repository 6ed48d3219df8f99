import type { SegmentRepository } from '../contracts/storage-adapter.js';
import { WardwatchError } from '../errors/wardwatch-error.js';
import type { Hold } from '../model/evidence.js';
import { SegmentSchema, type Segment, type TimeRange } from '../model/segment.js';
import { checkLimit, checkOptionalString, checkOptionalTime } from './check-query-options.js';
import { checkStorageRecord } from './check-storage-record.js';
import { checkTimeRange, overlapsRange } from './check-time-range.js';
import { DEFAULT_GAP_TOLERANCE_MS, findRecordingGaps } from './find-recording-gaps.js';
import type { MemoryContext } from './memory-context.js';
import { segmentHeldError, type HeldSegment } from './segment-held-error.js';
import { lowerBound } from './sorted-search.js';
import { sumBytesPerDay } from './sum-bytes-per-day.js';

interface CameraSegments {
  /** Segments ordered by start. */
  list: Segment[];
  /** Longest `end - start` ever added: bounds the look-back of overlap queries. */
  maxDuration: number;
}

const byStart = (s: Segment): number => s.start;
const isHeld = (segment: Segment, holds: readonly Hold[]): boolean => holds.some((h) => overlapsRange(segment.start, segment.end, h));

/** The segment index of a memory storage: per camera, a sorted array searched by bisection; held segments are never removed. */
export function createMemorySegmentRepository(context: MemoryContext, activeHoldsOf: (cameraId: string) => Hold[]): SegmentRepository {
  const { assertOpen, maxBytes } = context;
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
      const held: HeldSegment[] = [];
      for (const key of keys) {
        const list = segmentsByCamera.get(key.cameraId)?.list;
        if (!list) continue;
        const s = list[lowerBound(list, key.start, byStart)];
        if (s === undefined || s.start !== key.start) continue;
        const holds = activeHoldsOf(key.cameraId).filter((h) => overlapsRange(s.start, s.end, h));
        if (holds.length > 0) held.push({ cameraId: s.cameraId, start: s.start, holds: holds.map((h) => h.id) });
      }
      if (held.length > 0) throw segmentHeldError(held);
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
  return segments;
}
