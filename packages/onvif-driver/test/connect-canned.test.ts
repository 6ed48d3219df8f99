import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redactUrl, WardwatchError, type CameraSession } from '@wardwatch/core';
import { createOnvifDriver } from '../src/index.js';
import { localSpec } from './helpers/local-spec.js';
import { fault } from './helpers/fake-http-server.js';
import { startCannedCamera, TINY_JPEG, type CannedCamera } from './helpers/canned-camera.js';

const PASSWORD = 'pa:ss@word';

function specFor(port: number, options: Record<string, unknown> = {}) {
  return localSpec(port, PASSWORD, options);
}

describe('connect against a canned ONVIF camera (onvif Cam calls over our transport)', () => {
  let cam: CannedCamera;
  const sessions: CameraSession[] = [];
  beforeEach(async () => {
    cam = await startCannedCamera({ ptz: true });
  });
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close()));
    await cam.server.close();
  });

  it('maps profiles to main/sub, rewrites the internal host and injects encoded credentials', async () => {
    cam.skewMs = 90_000;
    const session = await createOnvifDriver({ events: { enabled: false } }).connect(specFor(cam.server.port));
    sessions.push(session);
    expect(session.streams.main).toEqual({
      uri: 'rtsp://admin:pa%3Ass%40word@127.0.0.1:554/Streaming/Channels/101',
      codec: 'h264',
      width: 1280,
      height: 720,
      fps: 15,
    });
    expect(session.streams.sub?.uri).toBe('rtsp://admin:pa%3Ass%40word@127.0.0.1:554/Streaming/Channels/102');
    expect(redactUrl(session.streams.main.uri)).not.toContain('word');
    expect(session.snapshotUri).toBe(`http://127.0.0.1:${cam.server.port}/snap.jpg`);
    expect(session.device).toEqual({ manufacturer: 'Acme', model: 'X1', firmware: '1.0', serial: '0042', hardwareId: 'hw' });
    // 90 s skew, measured with whole-second resolution (±0.5 s after centring) plus half the round trip.
    expect(Math.abs(session.clockOffsetMs! - 90_000)).toBeLessThan(1000);
    // Every SOAP call after the clock went to the rebased media/device service on the reached port.
    expect(cam.server.requests.map((r) => r.url)).toContain('/onvif/media');
    expect(cam.actions.slice(0, 3)).toEqual(['GetSystemDateAndTime', 'GetCapabilities', 'GetDeviceInformation']);
    // GetSystemDateAndTime was anonymous; later calls carry a WS-UsernameToken with no clear password.
    expect(cam.server.requests[0]!.body).not.toContain('UsernameToken');
    expect(cam.server.requests[1]!.body).toContain('UsernameToken');
    expect(cam.server.requests.some((r) => r.body.includes(PASSWORD))).toBe(false);
    expect(Buffer.from(await session.snapshot())).toEqual(TINY_JPEG);
    const probe = await session.probe();
    expect(probe.ok).toBe(true);
  });

  it('drives PTZ through the onvif package calls', async () => {
    const session = await createOnvifDriver({ events: { enabled: false } }).connect(specFor(cam.server.port));
    sessions.push(session);
    const ptz = session.ptz!;
    expect(ptz).toBeDefined();
    await ptz.continuousMove({ pan: 0.5 }, 1000);
    await ptz.absoluteMove({ pan: 0.1, tilt: 0.2, zoom: 0.3 });
    await ptz.relativeMove({ tilt: -0.1 });
    await ptz.stop();
    await ptz.gotoPreset('preset_7');
    await ptz.home();
    expect(await ptz.setPreset('Gate <1>')).toBe('preset_7');
    expect(await ptz.presets()).toEqual([
      { token: 'preset_7', name: 'Gate' },
      { token: 'preset_8', name: 'Market' },
    ]);
    expect(await ptz.position()).toEqual({ pan: 0.25, tilt: -0.5, zoom: 0.1 });
    const bodies = cam.server.requests.map((r) => r.body);
    expect(bodies.find((b) => b.includes('<AbsoluteMove'))).toMatch(/<PanTilt x="0.1" y="0.2"/);
    expect(bodies.find((b) => b.includes('<ContinuousMove'))).toContain('<Timeout>PT1S</Timeout>');
    expect(bodies.find((b) => b.includes('<SetPreset'))).toContain('Gate &lt;1&gt;');
    expect(cam.server.requests.filter((r) => r.url === '/onvif/ptz').length).toBeGreaterThanOrEqual(9);
    await expect(ptz.absoluteMove({ pan: 3 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('has no PTZ when the device has none', async () => {
    await cam.server.close();
    cam = await startCannedCamera({ ptz: false });
    const session = await createOnvifDriver({ events: { enabled: false } }).connect(specFor(cam.server.port));
    sessions.push(session);
    expect(session.ptz).toBeUndefined();
  });

  it.each([
    ['GetProfiles', () => [200, '<env:Envelope><broken'] as [number, string], 'CAMERA_PROTOCOL_ERROR'],
    ['GetProfiles', () => [400, fault('ter:NotAuthorized', 'Sender not authorized')] as [number, string], 'CAMERA_AUTH_FAILED'],
    ['GetStreamUri', () => [500, fault('ter:InvalidArgVal', 'bad profile')] as [number, string], 'CAMERA_SOAP_FAULT'],
    ['GetCapabilities', () => [200, `<?xml version="1.0"?><x>${' '.repeat(3 * 1024 * 1024)}</x>`] as [number, string], 'CAMERA_RESPONSE_TOO_LARGE'],
  ])('connect fails with a coded error when %s answers badly (%#)', async (action, answer, code) => {
    cam.override.set(action, answer);
    const error = await createOnvifDriver({ events: { enabled: false } })
      .connect(specFor(cam.server.port))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(WardwatchError);
    expect((error as WardwatchError).code).toBe(code);
    expect((error as WardwatchError).details).toMatchObject({ operation: action });
    expect(String((error as WardwatchError).details.address)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/onvif\//);
    expect(JSON.stringify((error as WardwatchError).toJSON())).not.toContain(PASSWORD);
  });

  it('rejects an unknown auth scheme with INVALID_CONFIG', async () => {
    await expect(createOnvifDriver().connect(specFor(cam.server.port, { auth: 'kerberos' }))).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('honours an abort signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(createOnvifDriver().connect(specFor(cam.server.port), { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
