import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRecorderContext,
  type CameraSession,
  type Detection,
  type StationEventOf,
  type TamperKind,
  createMemoryStorage,
  silentLogger,
  systemClock,
} from '@wardwatch/core';
import { type WardwatchRecorder, createRecorder } from '@wardwatch/recorder';
import { type Simulator, startSimulator } from '@wardwatch/simulator';
import { EMPTY, type Subscription } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlateAnalyzer } from '../src/plate-analyzer.js';
import { createPlateReader } from '../src/plate-reader.js';
import { createTamperAnalyzer } from '../src/tamper-analyzer.js';
import { trackPlate } from '../src/track-plate.js';
import { findFfmpeg } from './ffmpeg.js';
import { cameraSpec } from './helpers.js';

/** Three cameras along a street in Hoàn Kiếm, heading east then east-north-east. */
const POSITIONS: Record<string, { lat: number; lon: number }> = {
  'cam-a': { lat: 21.0285, lon: 105.85 },
  'cam-b': { lat: 21.0285, lon: 105.853 },
  'cam-c': { lat: 21.03, lon: 105.856 },
};
const IDS = Object.keys(POSITIONS);
const PLATE = '30A-123.45';

function session(main: string, sub: string): CameraSession {
  return {
    streams: { main: { uri: main }, sub: { uri: sub } },
    events$: EMPTY,
    snapshot: () => Promise.reject(new Error('no snapshot')),
    probe: async () => ({ ok: true, latencyMs: 1 }),
    close: async () => undefined,
  };
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

describe('on simulator footage (simulator → recorder.frames → analyzers)', () => {
  let sim: Simulator;
  let recorder: WardwatchRecorder;
  let dir: string;
  const storage = createMemoryStorage();
  const subs: Subscription[] = [];
  const events: Detection[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ww-analytics-e2e-'));
    const ffmpegPath = findFfmpeg();
    sim = await startSimulator({
      ffmpegPath,
      cameras: IDS.map((id) => ({
        id,
        rtspAuth: 'none' as const,
        scene: 'street' as const,
        main: { width: 320, height: 180, fps: 5, gop: 10, bitrateKbps: 150 },
        sub: { width: 640, height: 360, fps: 5, gop: 10, bitrateKbps: 500 },
      })),
      streets: [{ plate: PLATE, route: IDS, startAfterMs: 6000, legMs: 5000 }],
    });
    recorder = createRecorder({ root: dir, ffmpegPath, segmentSeconds: 30 });
    await recorder.start(createRecorderContext({ storage, clock: systemClock, logger: silentLogger, emit: () => undefined }));
    const reader = await createPlateReader();
    // The near lane, where vehicles drive; pedestrians and the far lane stay outside.
    const plates = createPlateAnalyzer({ plateReader: reader, mergeWindowMs: 3000, motion: { zones: [[[0, 0.5], [1, 0.5], [1, 0.8], [0, 0.8]]] } });
    for (const id of IDS) {
      const spec = cameraSpec(id, POSITIONS[id]!.lat, POSITIONS[id]!.lon);
      await storage.cameras.put(spec);
      const cam = sim.camera(id);
      subs.push(recorder.record(spec, session(cam.rtspUrl.main, cam.rtspUrl.sub)).subscribe());
      const context = { camera: spec, options: {}, clock: systemClock, logger: silentLogger };
      subs.push(
        plates.analyze(recorder.frames(id, plates.frameOptions), context).subscribe((e) => {
          events.push(e);
          void storage.events.append(e);
        }),
      );
    }
  }, 60_000);

  afterAll(async () => {
    for (const s of subs) s.unsubscribe();
    await recorder?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('reads the street vehicle plate at A, B and C and tracks it A → B → C with the direction of travel', async () => {
    const seenAll = await until(() => IDS.every((id) => events.some((e) => e.type === 'plate' && e.cameraId === id && e.plate === PLATE)), 60_000);
    const plates = events.filter((e): e is StationEventOf<'plate'> => e.type === 'plate');
    expect(seenAll, JSON.stringify(plates.map((p) => [p.cameraId, p.plate, p.raw]))).toBe(true);
    // Every read is the vehicle's plate, normalised, with its province and a crop.
    for (const p of plates) {
      expect(p.plate).toBe(PLATE);
      expect(p.province).toBe('Hà Nội');
      expect(p.cropJpeg?.length).toBeGreaterThan(100);
    }
    await until(() => false, 300); // let the last appends land
    const track = await trackPlate(storage, PLATE, { from: sim.startedAt, to: Date.now() });
    expect(track.sightings.map((s) => s.cameraId)).toEqual(IDS);
    expect(track.legs.map((l) => [l.from, l.to, l.compass, l.compassVi])).toEqual([
      ['cam-a', 'cam-b', 'E', 'Đông'],
      ['cam-b', 'cam-c', 'ENE', 'Đông Bắc'],
    ]);
    // The legs are 5 s apart in the simulator's schedule.
    for (const l of track.legs) expect(l.seconds).toBeLessThan(10);
  }, 90_000);

  it('flags black, covered, blurred, turned and night pictures of a camera', async () => {
    const id = 'cam-c';
    const spec = cameraSpec(id, POSITIONS[id]!.lat, POSITIONS[id]!.lon);
    const tamper = createTamperAnalyzer({ confirmMs: 1000, clearMs: 1500, qualityIntervalMs: 0 });
    const seen: Array<StationEventOf<'tamper'>> = [];
    const sub = tamper
      .analyze(recorder.frames(id, tamper.frameOptions), { camera: spec, options: {}, clock: systemClock, logger: silentLogger })
      .subscribe((e) => {
        if (e.type === 'tamper') seen.push(e);
      });
    subs.push(sub);
    const cam = sim.camera(id);
    // Let the analyzer learn the normal view first.
    await until(() => false, 5000);
    const cases: Array<['black' | 'covered' | 'blurred' | 'scene-changed' | 'night', TamperKind]> = [
      ['black', 'black'],
      ['covered', 'covered'],
      ['blurred', 'defocus'],
      ['scene-changed', 'scene-change'],
      ['night', 'low-light'],
    ];
    const results: string[] = [];
    for (const [fault, kind] of cases) {
      cam.picture(fault);
      const started = await until(() => seen.some((e) => e.kind === kind && e.phase === 'start'), 15_000);
      cam.picture('normal');
      const ended = await until(() => seen.some((e) => e.kind === kind && e.phase === 'end'), 15_000);
      const kinds = [...new Set(seen.filter((e) => e.phase === 'start').map((e) => e.kind))].join('+');
      results.push(`${fault}:${started}:${ended}:${kinds}`);
      seen.length = 0;
    }
    sub.unsubscribe();
    // Each fault is flagged as its own kind only, and clears when the picture is normal again.
    expect(results).toEqual(cases.map(([fault, kind]) => `${fault}:true:true:${kind}`));
  }, 120_000);
});
