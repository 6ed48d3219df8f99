import { afterAll, beforeAll } from 'vitest';
import { cameraDriverChecks, describeCameraDriver, optionalCameraDriverChecks } from '@wardwatch/core/testing';
import { findFfmpeg, startSimulator, type Simulator } from '@wardwatch/simulator';
import { createOnvifDriver } from '../src/index.js';
import { closedPort, simSpec } from './helpers/sim-specs.js';

const small = { main: { width: 320, height: 180, fps: 5, gop: 10, bitrateKbps: 300 }, sub: { width: 160, height: 90, fps: 5, gop: 10, bitrateKbps: 100 } };

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({
    cameras: [
      { id: 'fixed', onvifAuth: 'both', ...small },
      { id: 'dome', onvifAuth: 'digest', ptz: true, ...small },
    ],
  });
}, 120_000);
afterAll(async () => {
  await sim?.stop();
});

for (const id of ['fixed', 'dome']) {
  describeCameraDriver(`onvif (${id})`, async () => {
    const cam = sim.camera(id);
    const port = await closedPort();
    const spec = simSpec(cam);
    return {
      driver: createOnvifDriver({ timeoutMs: 3000, probeTimeoutMs: 1000 }),
      spec,
      unreachableSpec: { ...spec, connection: { ...spec.connection, port, password: 'do-not-leak-me' } },
      supportsPtz: id === 'dome',
      makeUnreachable: () => cam.stall(),
      cleanup: () => cam.resume(),
      wrongPasswordSpec: { ...spec, connection: { ...spec.connection, password: 'wrong-password' } },
      ffmpegPath: findFfmpeg(),
    };
  }, { checks: [...cameraDriverChecks, optionalCameraDriverChecks.wrongPassword, optionalCameraDriverChecks.cancelled, optionalCameraDriverChecks.mainStreamPlays] });
}
