import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { createMemoryStorage, createStation, type CameraDriver, type Station, type StationEvent } from '@wardwatch/core';
import type { Simulator } from '@wardwatch/simulator';
import { createRecorder, type WardwatchRecorder } from '../src/index.js';
import { makeSession, tempDir, waitFor } from './helpers.js';
import { startLightSimulator } from './sim-cameras.js';

/** The smallest driver: a session over the simulator camera of the same id. */
function simDriver(sim: Simulator): CameraDriver {
  return {
    id: 'sim',
    connect: async (spec) => makeSession(sim.camera(spec.id).rtspUrl.main),
  };
}

const cameraInput = (name: string) => ({
  id: 'cam-rr',
  name,
  site: { ward: 'Phường Test', station: 'CA Test' },
  location: { lat: 21.03, lon: 105.85 },
  ownership: 'station' as const,
  driver: 'sim',
  connection: { host: '127.0.0.1' },
});

describe('re-recording a camera through a real station (update / remove + add)', () => {
  let sim: Simulator;
  let station: Station;
  let recorder: WardwatchRecorder;
  const events: StationEvent[] = [];
  const { dir, cleanup } = tempDir();

  beforeAll(async () => {
    sim = await startLightSimulator(['cam-rr']);
    recorder = createRecorder({ root: dir, segmentSeconds: 1, backoff: { initialMs: 300, maxMs: 2000 } });
    station = createStation({ storage: createMemoryStorage(), recorder, drivers: [simDriver(sim)], health: { offlineAfterMs: 4000, recoverAfterMs: 1000 } });
    station.events$.subscribe((e) => events.push(e));
    await station.addCamera(cameraInput('Gate'));
    await station.start();
  });

  afterAll(async () => {
    await station?.stop();
    expect(recorder.pids()).toEqual([]);
    await sim?.stop();
    cleanup();
  });

  const online = () => firstValueFrom(station.camera('cam-rr')!.status$.pipe(filter((s) => s.state === 'online'), timeout(30_000)));
  const segmentsAfter = (t: number) => events.filter((e) => e.type === 'segment.closed' && e.segment.start >= t).length;
  const recordingErrors = () => events.filter((e) => e.type === 'recording.error');

  it('records, then comes back online with new segments after updateCamera', async () => {
    await online();
    await waitFor(() => segmentsAfter(0) >= 1, 30_000, 'first segment');
    const pidBefore = recorder.pids()[0];
    expect(pidBefore).toBeDefined();

    const updatedAt = Date.now();
    await station.updateCamera('cam-rr', { name: 'Gate (renamed)' });
    // the old process is stopping while the new record() arrives: it must wait, not refuse
    await waitFor(() => station.camera('cam-rr')?.status.state === 'online' && station.camera('cam-rr')!.status.since >= updatedAt, 30_000, 'online again after update');
    await waitFor(() => segmentsAfter(updatedAt) >= 2, 30_000, 'segments after the update');
    expect(recorder.pids()).toHaveLength(1);
    expect(recorder.pids()[0]).not.toBe(pidBefore);
    expect(recordingErrors()).toEqual([]);
  });

  it('comes back after removeCamera then addCamera with the same id', async () => {
    const pidBefore = recorder.pids()[0];
    const removedAt = Date.now();
    await station.removeCamera('cam-rr');
    await station.addCamera(cameraInput('Gate again'));
    await online();
    await waitFor(() => station.camera('cam-rr')!.status.state === 'online' && station.camera('cam-rr')!.status.since >= removedAt, 30_000, 'online after re-add');
    await waitFor(() => segmentsAfter(removedAt) >= 2, 30_000, 'segments after re-add');
    expect(recorder.pids()).toHaveLength(1);
    expect(recorder.pids()[0]).not.toBe(pidBefore);
    expect(recordingErrors()).toEqual([]);
  });
});
