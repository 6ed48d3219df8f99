/**
 * Storage benchmark: the LevelDB adapter against the in-memory adapter (baseline) in the same run.
 *
 * - segment ingest of 77 cameras × N days × one segment per minute (N = 3 by default, 30 with
 *   `BENCH_FULL=1`, i.e. 3.3 million records), written hour by hour with `addMany`;
 * - CPU time per record, also counting LevelDB's background compaction that finishes after the flush
 *   (the bench waits for it before the queries, so it is charged to the ingest, not to the queries);
 * - one-hour overlap query and latest-segment query on that index: p50 and p99;
 * - event ingest with `appendMany`;
 * - disk bytes per segment record.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStorage, type Segment, type StationEvent, type StorageAdapter } from '@wardwatch/core';
import { createLevelStorage } from '@wardwatch/storage-level';
import type { BenchFigure } from './bench-types.js';

const FULL = process.env.BENCH_FULL === '1';
const CAMERAS = 77;
const DAYS = FULL ? 30 : 3;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 0, 1);
const QUERIES = 2000;
const INGEST_IN_FLIGHT = 2;
const EVENTS = 200_000;
const SIZE = `${CAMERAS} cameras × ${DAYS} days × 1/min = ${(CAMERAS * DAYS * 1440).toLocaleString('en-US')} segments${FULL ? '' : ', subset; BENCH_FULL=1 for 30 days'}`;

const cameraIds = Array.from({ length: CAMERAS }, (_, i) => `cam-${String(i + 1).padStart(3, '0')}`);
const hashes = Array.from({ length: 997 }, (_, i) => createHash('sha256').update(String(i)).digest('hex'));

/** The segments of one hour of the whole station, all cameras, minute by minute. */
function hourOfSegments(hour: number): Segment[] {
  const out: Segment[] = [];
  for (let m = 0; m < 60; m++) {
    const start = T0 + hour * HOUR + m * MINUTE;
    for (let c = 0; c < CAMERAS; c++) {
      const cameraId = cameraIds[c] as string;
      out.push({
        cameraId,
        start,
        end: start + MINUTE,
        path: `${cameraId}/${new Date(start).toISOString().slice(0, 16)}.mp4`,
        bytes: 30_000_000 + ((start / MINUTE + c) % 1000) * 1000,
        codec: 'h264',
        sha256: hashes[(hour * 60 + m + c) % hashes.length] as string,
      });
    }
  }
  return out;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] as number;
}

/** Deterministic pseudo-random numbers in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await dirBytes(path) : (await stat(path)).size;
  }
  return total;
}

/**
 * Waits (at most 60 s) until this process stops using CPU, i.e. LevelDB's background compaction of
 * what was just ingested has finished, and returns the CPU time used meanwhile in microseconds. The
 * memory adapter has nothing in the background, so it returns at once with (almost) zero.
 */
export async function settle(): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < 120; i++) {
    const window = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const used = process.cpuUsage(window);
    if (used.user + used.system < 25_000) break;
  }
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

interface Measured {
  ingestPerSec: number;
  /** Records per second of this process's CPU time (user + system, LevelDB's threads included). */
  ingestPerCpuSec: number;
  /** Same, also counting the background compaction that was still running after the flush. */
  ingestPerCpuSecSettled: number;

  queryP50: number;
  queryP99: number;
  latestP50: number;
  latestP99: number;
  records: number;
}

async function measure(storage: StorageAdapter, afterIngest?: () => Promise<void>): Promise<Measured> {
  const hours = DAYS * 24;
  let records = 0;
  let ingestMs = 0;
  let ingestCpuUs = 0;
  // Hour batches are generated up front per day (not timed), then written with up to
  // INGEST_IN_FLIGHT addMany calls outstanding, as concurrent recorders would.
  for (let day = 0; day < DAYS; day++) {
    const batches = Array.from({ length: 24 }, (_, h) => hourOfSegments(day * 24 + h));
    const t = performance.now();
    const cpu = process.cpuUsage();
    const inFlight = new Set<Promise<void>>();
    for (const batch of batches) {
      const p: Promise<void> = storage.segments.addMany(batch).then(() => void inFlight.delete(p));
      inFlight.add(p);
      records += batch.length;
      if (inFlight.size >= INGEST_IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    ingestMs += performance.now() - t;
    const used = process.cpuUsage(cpu);
    ingestCpuUs += used.user + used.system;
  }
  const tf = performance.now();
  const cpuF = process.cpuUsage();
  await storage.flush();
  ingestMs += performance.now() - tf;
  const usedF = process.cpuUsage(cpuF);
  ingestCpuUs += usedF.user + usedF.system;
  await afterIngest?.();
  // Compaction debt left by the ingest is charged to the settled CPU figure, not to the queries below.
  const settleCpuUs = await settle();

  // Warm-up (JIT, caches) before the timed queries.
  const warm = rng(7);
  for (let i = 0; i < 300; i++) {
    const cameraId = cameraIds[Math.floor(warm() * CAMERAS)] as string;
    const from = T0 + Math.floor(warm() * (hours - 1) * HOUR);
    await storage.segments.query(cameraId, { from, to: from + HOUR });
    await storage.segments.latest(cameraId);
  }
  const random = rng(42);
  const queryMs: number[] = [];
  const latestMs: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const cameraId = cameraIds[Math.floor(random() * CAMERAS)] as string;
    const from = T0 + Math.floor(random() * (hours - 1) * HOUR) + 17_000; // not aligned to segment starts
    let t = performance.now();
    const found = await storage.segments.query(cameraId, { from, to: from + HOUR });
    queryMs.push(performance.now() - t);
    if (found.length !== 61) throw new Error(`one-hour query returned ${found.length} segments, expected 61`);
    t = performance.now();
    const latest = await storage.segments.latest(cameraId);
    latestMs.push(performance.now() - t);
    if (latest?.start !== T0 + hours * HOUR - MINUTE) throw new Error('latest returned the wrong segment');
  }
  queryMs.sort((a, b) => a - b);
  latestMs.sort((a, b) => a - b);

  return {
    ingestPerSec: records / (ingestMs / 1000),
    ingestPerCpuSec: records / (ingestCpuUs / 1e6),
    ingestPerCpuSecSettled: records / ((ingestCpuUs + settleCpuUs) / 1e6),
    queryP50: percentile(queryMs, 0.5),
    queryP99: percentile(queryMs, 0.99),
    latestP50: percentile(latestMs, 0.5),
    latestP99: percentile(latestMs, 0.99),
    records,
  };
}

/** Event ingest on a fresh store (so segment compaction does not land on the event figures). */
async function measureEvents(storage: StorageAdapter): Promise<{ eventsPerSec: number; eventsPerCpuSec: number }> {
  let eventMs = 0;
  let eventCpuUs = 0;
  for (let done = 0; done < EVENTS; ) {
    const chunk: StationEvent[] = [];
    for (let i = 0; i < 1000; i++, done++) {
      const cameraId = cameraIds[done % CAMERAS] as string;
      const at = T0 + done * 50;
      const kind = done % 3;
      if (kind === 0) chunk.push({ type: 'motion', at, cameraId, phase: 'start', source: 'analyzer', score: 0.7 });
      else if (kind === 1) chunk.push({ type: 'plate', at, cameraId, plate: '51F12345', raw: '51F-123.45', confidence: 0.93, province: 'HCM' });
      else chunk.push({ type: 'camera.status', at, cameraId, status: { state: 'online', since: at }, previous: 'connecting' });
    }
    const t = performance.now();
    const cpu = process.cpuUsage();
    await storage.events.appendMany(chunk);
    eventMs += performance.now() - t;
    const used = process.cpuUsage(cpu);
    eventCpuUs += used.user + used.system;
  }
  const tf2 = performance.now();
  const cpuF = process.cpuUsage();
  await storage.flush();
  eventMs += performance.now() - tf2;
  const usedF = process.cpuUsage(cpuF);
  eventCpuUs += usedF.user + usedF.system;

  return { eventsPerSec: EVENTS / (eventMs / 1000), eventsPerCpuSec: EVENTS / (eventCpuUs / 1e6) };
}

/**
 * The memory adapter's figures. Its stores are only referenced inside this function: the millions of
 * records they hold (a closed memory adapter keeps its data) become garbage before the LevelDB adapter
 * is measured, instead of staying in the heap that every garbage collection of that run walks.
 */
async function measureMemory(): Promise<{ segments: Measured; events: Awaited<ReturnType<typeof measureEvents>> }> {
  const memoryStorage = createMemoryStorage();
  const segments = await measure(memoryStorage);
  await memoryStorage.close();
  const memoryEventStorage = createMemoryStorage();
  const events = await measureEvents(memoryEventStorage);
  await memoryEventStorage.close();
  return { segments, events };
}

export default async function storageBench(): Promise<BenchFigure[]> {
  const { segments: memory, events: memoryEvents } = await measureMemory();

  const dir = await mkdtemp(join(tmpdir(), 'ww-bench-level-'));
  const eventsDir = await mkdtemp(join(tmpdir(), 'ww-bench-level-events-'));
  try {
    const levelStorage = await createLevelStorage({ path: dir });
    // Disk use of the segment index alone: measured right after the segment ingest (log + tables).
    let segmentBytes = 0;
    const level = await measure(levelStorage, async () => {
      segmentBytes = await dirBytes(dir);
    });
    await levelStorage.close();
    const bytesPerRecord = segmentBytes / level.records;
    const eventStorage = await createLevelStorage({ path: eventsDir });
    const levelEvents = await measureEvents(eventStorage);
    await eventStorage.close();

    const base = { baselineName: 'memory adapter' };
    return [
      { name: `storage-level: segment ingest (${SIZE})`, value: level.ingestPerSec, unit: 'records/s', baseline: memory.ingestPerSec, ...base, target: '>= 200000 records/s', met: level.ingestPerSec >= 200_000 },
      { name: `storage-level: segment ingest per CPU-second (${SIZE})`, value: level.ingestPerCpuSec, unit: 'records/cpu-s', baseline: memory.ingestPerCpuSec, ...base, target: '>= 200000 records/s (CPU-time view)', met: level.ingestPerCpuSec >= 200_000 },
      {
        name: `storage-level: segment ingest per CPU-second, including the compaction still running after the flush (${SIZE})`,
        value: level.ingestPerCpuSecSettled,
        unit: 'records/cpu-s',
        baseline: memory.ingestPerCpuSecSettled,
        ...base,
      },
      { name: `storage-level: one-hour overlap query p50 (${SIZE})`, value: level.queryP50, unit: 'ms', baseline: memory.queryP50, ...base },
      { name: `storage-level: one-hour overlap query p99 (${SIZE})`, value: level.queryP99, unit: 'ms', baseline: memory.queryP99, ...base, target: 'p99 <= 2 ms', met: level.queryP99 <= 2 },
      { name: `storage-level: latest-segment query p50 (${SIZE})`, value: level.latestP50, unit: 'ms', baseline: memory.latestP50, ...base },
      { name: `storage-level: latest-segment query p99 (${SIZE})`, value: level.latestP99, unit: 'ms', baseline: memory.latestP99, ...base, target: 'p99 <= 2 ms', met: level.latestP99 <= 2 },
      { name: `storage-level: event ingest (${EVENTS.toLocaleString('en-US')} events, appendMany × 1000)`, value: levelEvents.eventsPerSec, unit: 'events/s', baseline: memoryEvents.eventsPerSec, ...base, target: '>= 50000 events/s', met: levelEvents.eventsPerSec >= 50_000 },
      { name: `storage-level: event ingest per CPU-second (${EVENTS.toLocaleString('en-US')} events)`, value: levelEvents.eventsPerCpuSec, unit: 'events/cpu-s', baseline: memoryEvents.eventsPerCpuSec, ...base, target: '>= 50000 events/s (CPU-time view)', met: levelEvents.eventsPerCpuSec >= 50_000 },
      { name: `storage-level: disk bytes per segment record (${SIZE})`, value: bytesPerRecord, unit: 'bytes' },
      { name: 'storage-level: machine load average (1 min) at the end of the run, on a 2-core host shared with other jobs', value: loadavg()[0] as number, unit: 'load' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(eventsDir, { recursive: true, force: true });
  }
}
