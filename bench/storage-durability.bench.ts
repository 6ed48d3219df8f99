/**
 * Storage durability benchmark: what the fsyncs of the LevelDB adapter cost (issue 26, power loss).
 *
 * Each figure runs the same load against three adapters on the same disk (the repository's filesystem,
 * not a tmpfs, where an fsync would be free): `sync: 'records'` (the default: segments, evidence, holds,
 * audit, incidents and cameras fsynced, events not), `sync: false` (the baseline) and `sync: true`.
 *
 * - one acknowledged segment write (`segments.add`, awaited, one at a time): p50 and p99 latency;
 * - a station's mixed load: 165 cameras closing 10 s segments (16.5 segments/s) while events arrive at
 *   2,000/s for a few seconds: p99 latency of an event append (an event that shares a batch with a
 *   segment waits for that batch's fsync);
 * - event ingest with `appendMany` (1,000 per call), which `'records'` leaves unsynced.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Segment, StationEvent, StorageAdapter } from '@wardwatch/core';
import { createLevelStorage, type LevelStorageOptions } from '@wardwatch/storage-level';
import type { BenchFigure } from './bench-types.js';

const SINGLE_WRITES = 300;
const MIXED_SECONDS = 5;
const MIXED_CAMERAS = 165;
const MIXED_SEGMENT_MS = 10_000;
const MIXED_EVENTS_PER_S = 2000;
const INGEST_EVENTS = 100_000;
const T0 = Date.UTC(2026, 0, 1);
const SHA = createHash('sha256').update('segment').digest('hex');
/** A directory on the repository's disk (a tmpfs would make every fsync free). */
const scratchParent = fileURLToPath(new URL('./results/', import.meta.url));

type Mode = NonNullable<LevelStorageOptions['sync']>;
const MODES: Array<{ mode: Mode; label: string }> = [
  { mode: 'records', label: "sync 'records' (default)" },
  { mode: false, label: 'sync false' },
  { mode: true, label: 'sync true' },
];

function segment(cameraId: string, start: number, durationMs = 60_000): Segment {
  return { cameraId, start, end: start + durationMs, path: `${cameraId}/${start}.mp4`, bytes: 30_000_000, codec: 'h264', sha256: SHA };
}

function motion(cameraId: string, at: number): StationEvent {
  return { type: 'motion', cameraId, at, phase: 'start', source: 'analyzer', score: 0.5 };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] as number;
}

async function withStorage<T>(mode: Mode, fn: (storage: StorageAdapter) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(scratchParent, 'durability-'));
  const storage = await createLevelStorage({ path: dir, sync: mode });
  try {
    return await fn(storage);
  } finally {
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Latency of one acknowledged segment write at a time. */
async function singleSegmentLatency(storage: StorageAdapter): Promise<{ p50: number; p99: number }> {
  const latencies: number[] = [];
  for (let i = 0; i < SINGLE_WRITES; i++) {
    const began = performance.now();
    await storage.segments.add(segment(`cam-${i % 16}`, T0 + i * 60_000));
    latencies.push(performance.now() - began);
  }
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

/** Event append latency p99 while segments close at a station's rate. */
async function mixedLoad(storage: StorageAdapter): Promise<{ eventP99: number; segmentP99: number }> {
  const eventLatencies: number[] = [];
  const segmentLatencies: number[] = [];
  const pending: Array<Promise<void>> = [];
  const tickMs = 10;
  const ticks = (MIXED_SECONDS * 1000) / tickMs;
  const segmentsPerTick = (MIXED_CAMERAS / MIXED_SEGMENT_MS) * tickMs;
  const eventsPerTick = (MIXED_EVENTS_PER_S / 1000) * tickMs;
  let segmentDebt = 0;
  let segmentsWritten = 0;
  for (let t = 0; t < ticks; t++) {
    const at = T0 + t * tickMs;
    for (let e = 0; e < eventsPerTick; e++) {
      const began = performance.now();
      pending.push(storage.events.append(motion(`cam-${e % MIXED_CAMERAS}`, at)).then(() => void eventLatencies.push(performance.now() - began)));
    }
    segmentDebt += segmentsPerTick;
    for (; segmentDebt >= 1; segmentDebt--) {
      const began = performance.now();
      const n = segmentsWritten++;
      pending.push(storage.segments.add(segment(`cam-${n % MIXED_CAMERAS}`, T0 + Math.floor(n / MIXED_CAMERAS) * MIXED_SEGMENT_MS, MIXED_SEGMENT_MS)).then(() => void segmentLatencies.push(performance.now() - began)));
    }
    await new Promise((r) => setTimeout(r, tickMs));
  }
  await Promise.all(pending);
  return { eventP99: percentile(eventLatencies, 0.99), segmentP99: percentile(segmentLatencies, 0.99) };
}

/** Events per second through `appendMany` of 1,000 at a time. */
async function eventIngest(storage: StorageAdapter): Promise<number> {
  const began = performance.now();
  for (let i = 0; i < INGEST_EVENTS; i += 1000) {
    await storage.events.appendMany(Array.from({ length: 1000 }, (_, k) => motion(`cam-${k % 77}`, T0 + i + k)));
  }
  return INGEST_EVENTS / ((performance.now() - began) / 1000);
}

export default async function storageDurabilityBench(): Promise<BenchFigure[]> {
  const single = new Map<Mode, { p50: number; p99: number }>();
  const mixed = new Map<Mode, { eventP99: number; segmentP99: number }>();
  const ingest = new Map<Mode, number>();
  for (const { mode, label } of MODES) {
    single.set(mode, await withStorage(mode, singleSegmentLatency));
    mixed.set(mode, await withStorage(mode, mixedLoad));
    ingest.set(mode, await withStorage(mode, eventIngest));
    const s = single.get(mode)!;
    const m = mixed.get(mode)!;
    console.log(
      `  ${label}: segment add p50 ${s.p50.toFixed(2)} ms p99 ${s.p99.toFixed(2)} ms; mixed event p99 ${m.eventP99.toFixed(2)} ms, segment p99 ${m.segmentP99.toFixed(2)} ms; event ingest ${ingest.get(mode)!.toFixed(0)}/s`,
    );
  }
  const figures: BenchFigure[] = [];
  for (const { mode, label } of MODES.filter((m) => m.mode !== false)) {
    figures.push(
      { name: `storage-level durability, ${label}: one segment write, p50`, value: single.get(mode)!.p50, unit: 'ms', baseline: single.get(false)!.p50, baselineName: 'sync false' },
      { name: `storage-level durability, ${label}: one segment write, p99`, value: single.get(mode)!.p99, unit: 'ms', baseline: single.get(false)!.p99, baselineName: 'sync false' },
      {
        name: `storage-level durability, ${label}: event append p99 with ${MIXED_CAMERAS} cameras' 10 s segments closing`,
        value: mixed.get(mode)!.eventP99,
        unit: 'ms',
        baseline: mixed.get(false)!.eventP99,
        baselineName: 'sync false',
      },
      {
        name: `storage-level durability, ${label}: event ingest (appendMany × 1,000)`,
        value: ingest.get(mode)!,
        unit: 'events/s',
        baseline: ingest.get(false)!,
        baselineName: 'sync false',
      },
    );
  }
  return figures;
}
