import {
  checkLimit,
  checkOptionalString,
  checkOptionalTime,
  checkStorageRecord,
  checkTimeRange,
  DEFAULT_GAP_TOLERANCE_MS,
  findRecordingGaps,
  overlapsRange,
  segmentHeldError,
  SegmentSchema,
  sumBytesPerDay,
  WardwatchError,
  type Hold,
  type Segment,
  type SegmentRepository,
  type TimeRange,
  type HeldSegment,
} from '@wardwatch/core';
import type { LevelContext } from './level-context.js';
import { readActiveHolds } from './level-hold-repository.js';
import type { WriteOp } from './write-queue.js';
import { fastCheckSegment } from './segment-fast-check.js';
import { cameraHigh, cameraLow, decodeSegment, decodeStartAndBytes, encodeSegmentValue, segmentKey, segmentKeyBefore } from './segment-codec.js';

/** Per-camera segment stats kept in `segment-cameras` and cached in memory. */
interface CameraSegmentStats {
  /** Longest `end - start` ever indexed for the camera: bounds the look-back of overlap queries. */
  maxDuration: number;
}

/**
 * A segment's schema bounds its size (path ≤ 1024, codec ≤ 64, camera id ≤ 64 chars): even with every
 * character escaped as `\uXXXX` its JSON stays under this many bytes, so the size check can be skipped
 * when the limit is at least this.
 */
const SEGMENT_JSON_BOUND = 8 * 1024;

/**
 * The recording index on LevelDB. Segments are keyed `cameraId!start` (start zero-padded), so every
 * query is a range scan of one camera: overlap looks back by the camera's longest segment, latest is a
 * reverse scan of length one, retention walks each camera from its oldest key.
 */
export async function createLevelSegmentRepository(ctx: LevelContext): Promise<SegmentRepository> {
  const stats = new Map<string, CameraSegmentStats>();
  for (const [cameraId, json] of await ctx.sub.segmentCameras.iterator().all()) stats.set(cameraId, JSON.parse(json) as CameraSegmentStats);

  const validate = (input: unknown): Segment => {
    if (ctx.maxRecordBytes >= SEGMENT_JSON_BOUND) {
      const parsed = SegmentSchema.safeParse(input);
      if (parsed.success) return parsed.data;
    }
    return checkStorageRecord(SegmentSchema, input, 'segment', ctx.maxRecordBytes).value;
  };

  const overlapping = async (cameraId: string, range: TimeRange): Promise<Segment[]> => {
    const camera = stats.get(cameraId);
    if (!camera || range.to <= range.from) return [];
    const entries = await ctx.sub.segments
      .iterator({ gte: segmentKey(cameraId, range.from - camera.maxDuration), lt: segmentKeyBefore(cameraId, range.to) })
      .all();
    const out: Segment[] = [];
    for (const [key, value] of entries) {
      const segment = decodeSegment(key, value);
      if (overlapsRange(segment.start, segment.end, range)) out.push(segment);
    }
    return out;
  };

  const isHeld = (segment: Segment, holds: readonly Hold[]): boolean => holds.some((h) => h.cameraId === segment.cameraId && overlapsRange(segment.start, segment.end, h));

  const repository: SegmentRepository = {
    add(segment) {
      return repository.addMany([segment]);
    },
    async addMany(input) {
      ctx.assertOpen();
      if (!Array.isArray(input)) throw new WardwatchError('INVALID_ARGUMENT', 'addMany expects an array of segments');
      // Validate everything before touching the cache or the queue: a bad record rejects the whole call.
      const segments = new Array<Segment>(input.length);
      // The structural check skips the size check, so it is only used when a valid segment cannot exceed the limit.
      const fast = ctx.maxRecordBytes >= SEGMENT_JSON_BOUND;
      for (let i = 0; i < input.length; i++) segments[i] = (fast ? fastCheckSegment(input[i]) : undefined) ?? validate(input[i]);
      const ops: WriteOp[] = [];
      for (const s of segments) {
        ops.push({ type: 'put', sublevel: ctx.sub.segments, key: segmentKey(s.cameraId, s.start), value: encodeSegmentValue(s) });
        const duration = s.end - s.start;
        const camera = stats.get(s.cameraId);
        if (camera === undefined || duration > camera.maxDuration) {
          const next = { maxDuration: Math.max(duration, camera?.maxDuration ?? 0) };
          stats.set(s.cameraId, next);
          ops.push({ type: 'put', sublevel: ctx.sub.segmentCameras, key: s.cameraId, value: JSON.stringify(next) });
        }
      }
      await ctx.write(ops, 'record');
    },
    query(cameraId, range) {
      return ctx.read(async () => overlapping(cameraId, checkTimeRange(range)));
    },
    latest(cameraId) {
      return ctx.read(async () => {
        const [entry] = await ctx.sub.segments.iterator({ gte: cameraLow(cameraId), lt: cameraHigh(cameraId), reverse: true, limit: 1 }).all();
        return entry === undefined ? undefined : decodeSegment(entry[0], entry[1]);
      });
    },
    gaps(cameraId, range, toleranceMs = DEFAULT_GAP_TOLERANCE_MS) {
      return ctx.read(async () => {
        checkTimeRange(range);
        if (!Number.isFinite(toleranceMs) || toleranceMs < 0) {
          throw new WardwatchError('INVALID_ARGUMENT', `toleranceMs must be a non-negative number, got ${String(toleranceMs)}`);
        }
        if (range.to <= range.from) return [];
        return findRecordingGaps(cameraId, range, await overlapping(cameraId, range), toleranceMs);
      });
    },
    bytesPerDay(cameraId, range) {
      return ctx.read(async () => {
        checkTimeRange(range);
        if (range.to <= range.from || !stats.has(cameraId)) return [];
        const entries = await ctx.sub.segments.iterator({ gte: segmentKey(cameraId, range.from), lt: segmentKeyBefore(cameraId, range.to) }).all();
        return sumBytesPerDay(entries.map(([key, value]) => decodeStartAndBytes(key, value)));
      });
    },
    oldestUnheld(options) {
      return ctx.read(async () => {
        const limit = checkLimit(options?.limit, 100, 1_000_000);
        const before = checkOptionalTime(options?.before, 'before');
        const only = checkOptionalString(options?.cameraId, 'cameraId');
        const cameras = only === undefined ? [...stats.keys()] : stats.has(only) ? [only] : [];
        const holds = await readActiveHolds(ctx);
        const found: Segment[] = [];
        for (const cameraId of cameras) {
          const cameraHolds = holds.filter((h) => h.cameraId === cameraId);
          const iterator = ctx.sub.segments.iterator({ gte: cameraLow(cameraId), lt: before === undefined ? cameraHigh(cameraId) : segmentKeyBefore(cameraId, before) });
          try {
            let taken = 0;
            while (taken < limit) {
              const chunk = await iterator.nextv(Math.min(1000, limit - taken + cameraHolds.length + 1));
              if (chunk.length === 0) break;
              for (const [key, value] of chunk) {
                const segment = decodeSegment(key, value);
                if (isHeld(segment, cameraHolds)) continue;
                found.push(segment);
                if (++taken >= limit) break;
              }
            }
          } finally {
            await iterator.close();
          }
        }
        found.sort((a, b) => a.start - b.start || (a.cameraId < b.cameraId ? -1 : a.cameraId > b.cameraId ? 1 : 0));
        return found.slice(0, limit);
      });
    },
    async remove(keys) {
      ctx.assertOpen();
      if (!Array.isArray(keys) || keys.some((k) => typeof k?.cameraId !== 'string' || k.cameraId.includes('!') || !Number.isSafeInteger(k.start) || k.start < 0)) {
        throw new WardwatchError('INVALID_ARGUMENT', 'remove expects an array of { cameraId, start } with camera ids and non-negative integer starts');
      }
      // Under the hold lock: no hold can be written between the check below and the removal's commit.
      await ctx.withHoldLock(async () => {
        const ops = await ctx.read(async () => {
          const storedKeys = keys.map((k) => segmentKey(k.cameraId, k.start));
          const values = await ctx.sub.segments.getMany(storedKeys);
          const holds = await readActiveHolds(ctx);
          const held: HeldSegment[] = [];
          const out: WriteOp[] = [];
          values.forEach((value, i) => {
            if (value === undefined) return;
            const segment = decodeSegment(storedKeys[i] as string, value);
            const blocking = holds.filter((h) => h.cameraId === segment.cameraId && overlapsRange(segment.start, segment.end, h));
            if (blocking.length > 0) held.push({ cameraId: segment.cameraId, start: segment.start, holds: blocking.map((h) => h.id) });
            out.push({ type: 'del', sublevel: ctx.sub.segments, key: storedKeys[i] as string });
          });
          if (held.length > 0) throw segmentHeldError(held);
          return out;
        });
        await ctx.write(ops, 'record');
      });
    },
    cameraIds() {
      return ctx.read(async () => {
        const ids = [...stats.keys()].sort();
        const present = await Promise.all(ids.map(async (id) => (await ctx.sub.segments.keys({ gte: cameraLow(id), lt: cameraHigh(id), limit: 1 }).all()).length > 0));
        return ids.filter((_, i) => present[i]);
      });
    },
  };
  return repository;
}
