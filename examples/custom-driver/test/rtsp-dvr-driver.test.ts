import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCameraSpec, type CameraSpec } from '@wardwatch/core';
import { cameraDriverChecks, closedPort, describeCameraDriver, optionalCameraDriverChecks } from '@wardwatch/core/testing';
import { findFfmpeg, startSimulator, type SimCamera, type Simulator } from '@wardwatch/simulator';
import { spawn } from 'node:child_process';
import { DVR_URL_TEMPLATES, createRtspDvrDriver, expandTemplate, parseDvrOptions, rtspOptions } from '../src/index.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({
    cameras: [{ id: 'dvr-1', name: 'Nhà trọ 12', rtspAuth: 'digest', main: { width: 320, height: 180, fps: 5, gop: 10 }, sub: { width: 160, height: 90, fps: 5, gop: 10 } }],
  });
}, 120_000);
afterAll(async () => {
  await sim?.stop();
});

function spec(cam: SimCamera, port = cam.rtspPort, password = cam.password): CameraSpec {
  return parseCameraSpec({
    id: cam.id,
    name: cam.name,
    site: { ward: 'Phường 1', station: 'CA Phường 1' },
    location: { lat: 21, lon: 105.8 },
    ownership: 'boarding-house',
    driver: 'rtsp-dvr',
    connection: {
      host: cam.host,
      port,
      username: cam.username,
      password,
      // The simulator serves Hikvision RTSP paths; its snapshot lives on the ONVIF HTTP port.
      options: { brand: 'hikvision', channel: 1, httpPort: cam.onvifPort, snapshotPath: new URL(cam.snapshotUrl).pathname },
    },
  });
}

describe('URL templates', () => {
  it('expand the Hikvision and Dahua paths', () => {
    expect(expandTemplate(DVR_URL_TEMPLATES.hikvision.main, 1)).toBe('/Streaming/Channels/101');
    expect(expandTemplate(DVR_URL_TEMPLATES.hikvision.sub, 3)).toBe('/Streaming/Channels/302');
    expect(expandTemplate(DVR_URL_TEMPLATES.dahua.main, 1)).toBe('/cam/realmonitor?channel=1&subtype=0');
    expect(expandTemplate(DVR_URL_TEMPLATES.dahua.sub, 2)).toBe('/cam/realmonitor?channel=2&subtype=1');
  });

  it('rejects bad options naming every field', () => {
    expect(() => parseDvrOptions({ brand: 'acme', channel: 0, snapshotPath: 'x' })).toThrow(/brand.*channel.*snapshotPath/);
  });

  it('builds Dahua URIs with encoded credentials', async () => {
    const cam = sim.camera('dvr-1');
    const s = spec(cam);
    const session = await createRtspDvrDriver().connect({ ...s, connection: { ...s.connection, password: 'p@ss:1', options: { brand: 'dahua', channel: 2 } } });
    expect(session.streams.main.uri).toBe(`rtsp://admin:p%40ss%3A1@127.0.0.1:${cam.rtspPort}/cam/realmonitor?channel=2&subtype=0`);
    expect(session.streams.sub?.uri).toBe(`rtsp://admin:p%40ss%3A1@127.0.0.1:${cam.rtspPort}/cam/realmonitor?channel=2&subtype=1`);
    expect(session.snapshotUri).toBe('http://127.0.0.1:80/cgi-bin/snapshot.cgi?channel=2');
    await session.close();
  });
});

describe('rtsp-dvr driver against the simulator', () => {
  it('answers RTSP OPTIONS with the public methods', async () => {
    const cam = sim.camera('dvr-1');
    const answer = await rtspOptions(cam.rtspUrl.main, 3000);
    expect(answer.status).toBe(200);
    expect(answer.methods).toEqual(expect.arrayContaining(['DESCRIBE', 'SETUP', 'PLAY']));
  });

  it('gives a main URI ffmpeg can pull a frame from', async () => {
    const cam = sim.camera('dvr-1');
    const session = await createRtspDvrDriver().connect(spec(cam));
    // Async spawn: the simulator serves RTSP from this very process.
    const child = spawn(findFfmpeg(), ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', session.streams.main.uri, '-frames:v', '1', '-f', 'null', '-'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    expect(code, stderr).toBe(0);
    await session.close();
  });

  it('rejects a wrong snapshot password with CAMERA_AUTH_FAILED', async () => {
    const cam = sim.camera('dvr-1');
    const session = await createRtspDvrDriver().connect(spec(cam, cam.rtspPort, 'wrong'));
    await expect(session.snapshot()).rejects.toMatchObject({ code: 'CAMERA_AUTH_FAILED' });
    await session.close();
  });
});

describeCameraDriver('rtsp-dvr example', async () => {
  const cam = sim.camera('dvr-1');
  return {
    driver: createRtspDvrDriver({ timeoutMs: 1000 }),
    spec: spec(cam),
    unreachableSpec: spec(cam, await closedPort(), 'do-not-leak-me'),
    supportsPtz: false,
    makeUnreachable: () => cam.stall(),
    cleanup: () => cam.resume(),
    ffmpegPath: findFfmpeg(),
  };
  // wrongPassword is not opted into: this driver proves the device with an unauthenticated RTSP OPTIONS, so a wrong
  // password shows at snapshot (tested above), not at connect.
}, { checks: [...cameraDriverChecks, optionalCameraDriverChecks.cancelled, optionalCameraDriverChecks.mainStreamPlays] });
