import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryStorage,
  verifyEvidencePackage,
  type EvidenceExportEvent,
  type EvidenceService,
  type StorageAdapter,
} from '@wardwatch/core';
import type { WardwatchRecorder } from '@wardwatch/recorder';
import { stationDataPaths } from '../../src/evidence/open-evidence-data.js';
import { cameraSpec, startTestRecorder, tempDataDir, testEvidenceService } from './evidence-test-kit.js';
import { synthSegments } from './synth-segments.js';

const T = Date.UTC(2026, 10, 20, 8, 0, 0);
const THIRTY_MINUTES = 30 * 60_000;

/** A 30-minute export over 180 real 10-second H.264 segments (synthesised with ffmpeg, then stream-copied). */
describe('30-minute evidence export', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let storage: StorageAdapter;
  let recorder: WardwatchRecorder;
  let service: EvidenceService;

  beforeAll(async () => {
    data = await tempDataDir();
    const paths = stationDataPaths(data.dir);
    storage = createMemoryStorage();
    await storage.cameras.put(cameraSpec('cam-a'));
    await synthSegments({ storage, root: paths.recordings, cameraId: 'cam-a', start: T, count: 180, segmentSeconds: 10, kbps: 300 });
    recorder = await startTestRecorder(storage, paths.recordings);
    // This test reads the .zip right after the export (and cancels during its zip phase), so it is written eagerly.
    service = testEvidenceService({ storage, recorder, paths }, { zip: 'eager' });
  }, 120_000);

  afterAll(async () => {
    await recorder?.stop();
    await storage?.close();
    await data?.cleanup();
  });

  const cancelAt = async (phase: EvidenceExportEvent extends infer E ? (E extends { phase: infer P } ? P : never) : never) => {
    const controller = new AbortController();
    const seen: EvidenceExportEvent[] = [];
    const error = await new Promise<unknown>((resolve) => {
      service.exportEvidence({ cameraId: 'cam-a', from: T, to: T + THIRTY_MINUTES, operator: 'officer.lan', reason: 'r', signal: controller.signal }).subscribe({
        next: (event) => {
          seen.push(event);
          if (event.type === 'progress' && event.phase === phase && !controller.signal.aborted) controller.abort();
        },
        error: resolve,
        complete: () => resolve(undefined),
      });
    });
    return { error, seen };
  };

  it('shows progress through every phase and completes a package that verifies', async () => {
    const events: EvidenceExportEvent[] = [];
    await new Promise<void>((resolve, reject) =>
      service.exportEvidence({ cameraId: 'cam-a', from: T, to: T + THIRTY_MINUTES, operator: 'officer.lan', reason: 'r' }).subscribe({ next: (e) => events.push(e), error: reject, complete: resolve }),
    );
    const progress = events.filter((e): e is Extract<EvidenceExportEvent, { type: 'progress' }> => e.type === 'progress');
    expect(progress.length).toBeGreaterThan(20);
    expect(new Set(progress.map((p) => p.phase))).toEqual(new Set(['verify-sources', 'cut', 'package', 'zip']));
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.ratio).toBeGreaterThanOrEqual(progress[i - 1]!.ratio);
    const done = events.at(-1) as Extract<EvidenceExportEvent, { type: 'done' }>;
    expect(done.manifest.sourceSegments).toHaveLength(180);
    expect(done.manifest.actual).toMatchObject({ from: T, to: T + THIRTY_MINUTES });
    expect((await verifyEvidencePackage(done.zipPath)).ok).toBe(true);
  });

  it.each(['verify-sources', 'cut', 'zip'] as const)('can be cancelled during %s without leaving a partial package or a process', async (phase) => {
    const before = (await readdir(stationDataPaths(data.dir).evidence)).sort();
    const evidenceBefore = (await service.listEvidence()).length;
    const { error, seen } = await cancelAt(phase);
    expect(error).toMatchObject({ code: 'CANCELLED' });
    expect(seen.some((e) => e.type === 'progress' && e.phase === phase)).toBe(true);
    expect(seen.some((e) => e.type === 'done')).toBe(false);
    expect((await readdir(stationDataPaths(data.dir).evidence)).sort()).toEqual(before);
    expect((await service.listEvidence()).length).toBe(evidenceBefore);
    expect(recorder.pids()).toEqual([]);
    const last = (await storage.audit.list()).at(-1);
    expect(last).toMatchObject({ action: 'evidence.export.cancelled', actor: 'officer.lan' });
  });
});
