// Two copies of core in one process: the CommonJS driver throws with the CommonJS build of @wardwatch/core, the ES
// module station recognises the error with the ESM build (brand, not class identity).
import { createRequire } from 'node:module';
import { isWardwatchError, parseCameraSpec, toWardwatchError, WardwatchError } from '@wardwatch/core';
import { startSimulator } from '@wardwatch/simulator';

const require = createRequire(import.meta.url);
const cjsCore = require('@wardwatch/core');
const { createRtspDvrDriver } = require('./rtsp-dvr-driver/index.cjs');

const assert = (ok, what) => {
  if (!ok) throw new Error(`check failed: ${what}`);
  console.log(`ok   ${what}`);
};

assert(cjsCore.WardwatchError !== WardwatchError, 'the CommonJS and ESM builds are two copies (two classes)');
const sim = await startSimulator({ cameras: [{ id: 'dvr-1', main: { width: 320, height: 180, fps: 5 }, sub: { width: 160, height: 90, fps: 5 } }] });
try {
  const cam = sim.camera('dvr-1');
  const spec = parseCameraSpec({
    id: cam.id,
    name: 'dvr',
    site: { ward: 'w', station: 's' },
    location: { lat: 21, lon: 105.8 },
    ownership: 'household',
    driver: 'rtsp-dvr',
    connection: { host: cam.host, port: cam.rtspPort, username: cam.username, password: 'wrong-password', options: { httpPort: cam.onvifPort, snapshotPath: new URL(cam.snapshotUrl).pathname } },
  });
  const session = await createRtspDvrDriver().connect(spec);
  let thrown;
  try {
    await session.snapshot();
  } catch (error) {
    thrown = error;
  } finally {
    await session.close();
  }
  assert(thrown instanceof cjsCore.WardwatchError, 'the driver threw a WardwatchError of the CommonJS build');
  assert(isWardwatchError(thrown, 'CAMERA_AUTH_FAILED'), 'the ESM build recognises it: CAMERA_AUTH_FAILED');
  const normalised = toWardwatchError(thrown, 'CAMERA_UNREACHABLE');
  assert(normalised === thrown && normalised.code === 'CAMERA_AUTH_FAILED' && normalised.retryable === false, 'toWardwatchError keeps it (not a retryable CAMERA_UNREACHABLE)');
  assert(thrown instanceof WardwatchError, 'instanceof the ESM class holds too');
} finally {
  await sim.stop();
}
