import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CameraDriver, type Station, type StationEvent, createMemoryStorage, createStation } from '@wardwatch/core';
import { type WardwatchRecorder, createRecorder } from '@wardwatch/recorder';
import { type Simulator, startSimulator } from '@wardwatch/simulator';
import { EMPTY, type Subscription } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsPlugin } from '../src/analytics-plugin.js';
import { createPlateReader } from '../src/plate-reader.js';
import { trackPlate } from '../src/track-plate.js';
import { findFfmpeg } from './ffmpeg.js';

describe('analyticsPlugin in a station (simulator street camera)', () => {
  let sim: Simulator;
  let recorder: WardwatchRecorder;
  let station: Station;
  let dir: string;
  let sub: Subscription;
  const events: StationEvent[] = [];
  const storage = createMemoryStorage();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ww-analytics-station-'));
    const ffmpegPath = findFfmpeg();
    sim = await startSimulator({
      ffmpegPath,
      cameras: [
        {
          id: 'cam-s',
          rtspAuth: 'none',
          scene: 'street',
          main: { width: 320, height: 180, fps: 5, gop: 10, bitrateKbps: 150 },
          sub: { width: 640, height: 360, fps: 5, gop: 10, bitrateKbps: 500 },
        },
      ],
      streets: [{ plate: '29-B1 123.45', route: ['cam-s'], startAfterMs: 7000, legMs: 5000 }],
    });
    recorder = createRecorder({ root: dir, ffmpegPath, segmentSeconds: 30 });
    // A minimal driver: the simulator's RTSP URLs, no ONVIF.
    const driver: CameraDriver = {
      id: 'sim-rtsp',
      connect: async (spec) => {
        const cam = sim.camera(spec.id);
        return {
          streams: { main: { uri: cam.rtspUrl.main }, sub: { uri: cam.rtspUrl.sub } },
          events$: EMPTY,
          snapshot: () => Promise.reject(new Error('no snapshot')),
          probe: async () => ({ ok: true, latencyMs: 1 }),
          close: async () => undefined,
        };
      },
    };
    const reader = createPlateReader();
    station = createStation({ storage, drivers: [driver], recorder, plugins: [analyticsPlugin({ faces: false, plates: { plateReader: reader } })] });
    sub = station.events$.subscribe((e) => events.push(e));
    await station.start();
    await station.addCamera({
      id: 'cam-s',
      name: 'Ngã tư Hàng Bạc',
      site: { ward: 'Hàng Bạc', station: 'CA phường Hàng Bạc' },
      location: { lat: 21.0342, lon: 105.8525 },
      ownership: 'station',
      driver: 'sim-rtsp',
      connection: { host: '127.0.0.1' },
      analytics: {
        analyzers: ['motion', 'plates'],
        options: {
          // Vehicles in the near lane only; the pedestrians on the pavement are masked out.
          motion: { zones: [[[0, 0.5], [1, 0.5], [1, 0.8], [0, 0.8]]] },
          plates: { motion: { zones: [[[0, 0.5], [1, 0.5], [1, 0.8], [0, 0.8]]] }, mergeWindowMs: 3000 },
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    sub?.unsubscribe();
    await station?.stop();
    await recorder?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('emits motion and a normalised motorbike plate as station events, stored for tracks', async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !events.some((e) => e.type === 'plate')) await new Promise((r) => setTimeout(r, 250));
    const plate = events.find((e) => e.type === 'plate');
    expect(plate, JSON.stringify(events.filter((e) => e.type !== 'camera.status').map((e) => e.type))).toMatchObject({
      type: 'plate',
      cameraId: 'cam-s',
      plate: '29-B1 123.45',
      kind: 'motorbike',
      province: 'Hà Nội',
    });
    const motion = events.filter((e) => e.type === 'motion');
    expect(motion[0]).toMatchObject({ type: 'motion', cameraId: 'cam-s', phase: 'start', source: 'analyzer' });
    // The vehicle enters at +7 s: motion in the lane zone starts then, not before.
    expect(motion[0]!.at).toBeGreaterThanOrEqual(sim.startedAt + 6500);
    await station.stop();
    const track = await trackPlate(storage, '29B112345', { from: sim.startedAt, to: Date.now() });
    expect(track.sightings.map((s) => [s.cameraId, s.cameraName])).toEqual([['cam-s', 'Ngã tư Hàng Bạc']]);
  }, 90_000);
});
