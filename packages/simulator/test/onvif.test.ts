import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/index.js';
import { BUNDLED_FFMPEG, BUNDLED_FFPROBE, TINY, httpDigest, httpRaw, jpegToGray, run, soap, waitFor } from './helpers.js';
import { call, connectOnvif, type OnvifCam } from './onvif-client.js';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('ONVIF device with the real onvif client', () => {
  let sim: Simulator;
  let cam: OnvifCam;

  beforeAll(async () => {
    sim = await startSimulator({
      cameras: [
        { id: 'ptz-cam', name: 'Ngã tư', ptz: true, ...TINY, location: { lat: 21.03, lon: 105.85, address: 'Hàng Bạc, Hoàn Kiếm' } },
        { id: 'digest-only', onvifAuth: 'digest', ...TINY },
        { id: 'ws-only', onvifAuth: 'ws-security', ...TINY },
      ],
    });
    const c = sim.camera('ptz-cam');
    cam = await connectOnvif({ hostname: c.host, port: c.onvifPort, username: 'admin', password: 'admin123' });
  });
  afterAll(async () => {
    cam?.removeAllListeners('event');
    await sim.stop();
  });

  it('connects, reads device information and scopes', async () => {
    const info = await call<Record<string, unknown>>(cam, 'getDeviceInformation');
    expect(info).toMatchObject({ manufacturer: 'WardWatch Sim', model: 'DS-2CD2143G2-I' });
    const scopes = await call<Array<{ scopeItem: string }>>(cam, 'getScopes');
    const items = scopes.map((s) => s.scopeItem);
    expect(items).toContain(`onvif://www.onvif.org/name/${encodeURIComponent('Ngã tư')}`);
    expect(items).toContain('onvif://www.onvif.org/location/geo/21.03,105.85');
  });

  it('lists main and sub profiles matching the stream settings', () => {
    expect(cam.profiles).toHaveLength(2);
    const sizes = (cam.profiles as Array<{ name: string; videoEncoderConfiguration: { resolution: { width: number; height: number } } }>).map((p) => [p.name, p.videoEncoderConfiguration.resolution.width, p.videoEncoderConfiguration.resolution.height]);
    expect(sizes).toEqual([
      ['mainStream', 320, 180],
      ['subStream', 160, 90],
    ]);
    expect(cam.activeSource).toMatchObject({ sourceToken: 'VideoSource_1', profileToken: 'Profile_1', width: 320, height: 180 });
  });

  it('gets stream URIs that are the camera RTSP URLs', async () => {
    const c = sim.camera('ptz-cam');
    const main = await call<{ uri: string }>(cam, 'getStreamUri', { protocol: 'RTSP', profileToken: 'Profile_1' });
    const sub = await call<{ uri: string }>(cam, 'getStreamUri', { protocol: 'RTSP', profileToken: 'Profile_2' });
    expect([main.uri, sub.uri]).toEqual([c.rtspUrl.main, c.rtspUrl.sub]);
    await expect(call(cam, 'getStreamUri', { protocol: 'RTSP', profileToken: 'NoSuchProfile' })).rejects.toThrow(/NoProfile|profile/i);
  });

  it('serves a real JPEG snapshot at the snapshot URI (Digest auth)', async () => {
    const c = sim.camera('ptz-cam');
    const { uri } = await call<{ uri: string }>(cam, 'getSnapshotUri', { profileToken: 'Profile_1' });
    expect(uri).toBe(c.snapshotUrl);
    const unauth = await httpRaw(uri, 'GET', undefined, {});
    expect(unauth.status).toBe(401);
    const res = await httpDigest(uri, 'admin', 'admin123');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect([res.body[0], res.body[1]]).toEqual([0xff, 0xd8]);
    const dir = mkdtempSync(join(tmpdir(), 'sim-snap-'));
    try {
      writeFileSync(join(dir, 's.jpg'), res.body);
      const probe = await run(BUNDLED_FFPROBE, ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'json', join(dir, 's.jpg')]);
      expect(JSON.parse(probe.stdout.toString()).streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 320, height: 180 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('moves PTZ: absolute, relative, continuous + stop, presets and home', async () => {
    const c = sim.camera('ptz-cam');
    // The PTZ line of the OSD (second text line, top left) of a 320×180 snapshot.
    const ptzLine = async (): Promise<Buffer> => (await jpegToGray(BUNDLED_FFMPEG, (await httpDigest(c.snapshotUrl, 'admin', 'admin123')).body)).subarray(320 * 24, 320 * 36);
    const diff = (a: Buffer, b: Buffer): number => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;
    const before = await ptzLine();
    expect(diff(before, await ptzLine())).toBeLessThan(2);
    await call(cam, 'absoluteMove', { x: 0.5, y: -0.25, zoom: 0.3 });
    expect(c.ptzPosition()).toEqual({ pan: 0.5, tilt: -0.25, zoom: 0.3 });
    // The position is burned into the picture (top-left text): the snapshot changes.
    expect(diff(before, await ptzLine())).toBeGreaterThan(5);
    const status = await call<{ position: { x: number; y: number; zoom: number } }>(cam, 'getStatus', {});
    expect(status.position).toEqual({ x: 0.5, y: -0.25, zoom: 0.3 });
    await call(cam, 'relativeMove', { x: 0.1, y: 0.1, zoom: 0 });
    expect(c.ptzPosition().pan).toBeCloseTo(0.6, 5);
    expect(c.ptzPosition().tilt).toBeCloseTo(-0.15, 5);
    await call(cam, 'setPreset', { presetName: 'gate' });
    await call(cam, 'continuousMove', { x: -1, y: 0, zoom: 0 });
    await new Promise((r) => setTimeout(r, 600));
    await call(cam, 'stop', {});
    const moved = c.ptzPosition().pan;
    expect(moved).toBeLessThan(0.6);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.ptzPosition().pan).toBe(moved);
    const presets = await call<Record<string, { $: { token: number | string } }>>(cam, 'getPresets', {});
    expect(Object.keys(presets)).toEqual(['gate']);
    await call(cam, 'gotoPreset', { preset: String(presets.gate!.$.token) });
    expect(c.ptzPosition().pan).toBeCloseTo(0.6, 5);
    await call(cam, 'gotoHomePosition', {});
    expect(c.ptzPosition()).toEqual({ pan: 0, tilt: 0, zoom: 0 });
  });

  it('delivers motion events through a pull-point subscription', async () => {
    const c = sim.camera('ptz-cam');
    const seen: Array<{ topic: string; op: string; value: unknown }> = [];
    cam.on('event', (m: { topic: { _: string }; message: { message: { $: { PropertyOperation: string }; data: { simpleItem: { $: { Value: unknown } } } } } }) => {
      seen.push({ topic: m.topic._, op: m.message.message.$.PropertyOperation, value: m.message.message.data.simpleItem.$.Value });
    });
    await waitFor(() => seen.some((s) => s.op === 'Initialized'));
    c.triggerMotion(300);
    await waitFor(() => seen.filter((s) => s.topic === 'tns1:VideoSource/MotionAlarm' && s.op === 'Changed').length >= 2, 20_000);
    const motion = seen.filter((s) => s.topic === 'tns1:VideoSource/MotionAlarm' && s.op === 'Changed').map((s) => s.value);
    expect(motion.slice(0, 2)).toEqual([true, false]);
    expect(seen.some((s) => s.topic === 'tns1:RuleEngine/CellMotionDetector/Motion' && s.op === 'Changed' && s.value === true)).toBe(true);
    c.triggerTamper('tamper', 200);
    await waitFor(() => seen.some((s) => s.topic === 'tns1:RuleEngine/TamperDetector/Tamper' && s.value === true));
    cam.removeAllListeners('event');
  });

  it('PullMessages really waits up to its timeout when nothing happens, and honours termination time', async () => {
    const c = sim.camera('digest-only');
    const client = await connectOnvif({ hostname: c.host, port: c.onvifPort, username: 'admin', password: 'admin123' });
    const sub = await call<{ subscriptionReference: { address: { href: string } } }>(client, 'createPullPointSubscription');
    expect(sub.subscriptionReference.address.href).toMatch(/\/onvif\/subscription\//);
    const pull = (timeout: string): Promise<{ status: number; body: Buffer }> =>
      httpDigest(sub.subscriptionReference.address.href, 'admin', 'admin123', 'POST', soap(`<PullMessages xmlns="http://www.onvif.org/ver10/events/wsdl"><Timeout>${timeout}</Timeout><MessageLimit>100</MessageLimit></PullMessages>`));
    // The first pull returns the Initialized states at once.
    const first = await pull('PT5S');
    expect(first.status).toBe(200);
    expect(first.body.toString()).toMatch(/PropertyOperation="Initialized"/);
    const started = Date.now();
    const empty = await pull('PT1.5S');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(empty.body.toString()).not.toMatch(/NotificationMessage/);
    // A pull that is waiting is answered as soon as an event is raised.
    const t0 = Date.now();
    setTimeout(() => c.triggerMotion(100), 300);
    const woke = await pull('PT20S');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(woke.body.toString()).toMatch(/tns1:VideoSource\/MotionAlarm/);
    // Renew moves the termination time; Unsubscribe ends the subscription.
    const renewed = await httpDigest(sub.subscriptionReference.address.href, 'admin', 'admin123', 'POST', soap('<Renew xmlns="http://docs.oasis-open.org/wsn/b-2"><TerminationTime>PT120S</TerminationTime></Renew>'));
    const termination = Date.parse(/<wsnt:TerminationTime>([^<]+)</.exec(renewed.body.toString())![1]!);
    expect(Math.abs(termination - (Date.now() + 120_000))).toBeLessThan(5000);
    const unsub = await httpDigest(sub.subscriptionReference.address.href, 'admin', 'admin123', 'POST', soap('<Unsubscribe xmlns="http://docs.oasis-open.org/wsn/b-2"/>'));
    expect(unsub.status).toBe(200);
    const gone = await pull('PT1S');
    expect(gone.status).toBe(400);
    expect(gone.body.toString()).toMatch(/ResourceUnknown/);
    // A subscription created for 1 s is gone after 1.5 s: a fault, as a device answers for an unknown resource.
    const xml = (id: string, body: string): string => soap(body).replace('<s:Body>', `<s:Body data-id="${id}">`);
    const created = await httpDigest(c.onvifUrl.replace('device_service', 'event_service'), 'admin', 'admin123', 'POST', xml('x', '<CreatePullPointSubscription xmlns="http://www.onvif.org/ver10/events/wsdl"><InitialTerminationTime>PT1S</InitialTerminationTime></CreatePullPointSubscription>'));
    expect(created.status).toBe(200);
    const address = /<wsa:Address>([^<]+)</.exec(created.body.toString())![1]!;
    await new Promise((r) => setTimeout(r, 1500));
    const pulled = await httpDigest(address, 'admin', 'admin123', 'POST', soap('<PullMessages xmlns="http://www.onvif.org/ver10/events/wsdl"><Timeout>PT1S</Timeout><MessageLimit>10</MessageLimit></PullMessages>'));
    expect(pulled.status).toBe(400);
    expect(pulled.body.toString()).toMatch(/ResourceUnknown/);
  });

  it('HTTP Digest only: the onvif client authenticates by Digest, wrong password is refused', async () => {
    const c = sim.camera('digest-only');
    const client = await connectOnvif({ hostname: c.host, port: c.onvifPort, username: 'admin', password: 'admin123', useWSSecurity: false });
    expect(client.profiles).toHaveLength(2);
    // GetSystemDateAndTime and GetServices are pre-auth (ONVIF Core); everything else is refused.
    const bad = await connectOnvif({ hostname: c.host, port: c.onvifPort, username: 'admin', password: 'bad', useWSSecurity: false });
    expect(bad.profiles).toEqual([]);
    await expect(call(bad, 'getDeviceInformation')).rejects.toThrow(/401|auth/i);
  });

  it('WS-UsernameToken only: good token accepted, bad token gets a NotAuthorized SOAP fault', async () => {
    const c = sim.camera('ws-only');
    const client = await connectOnvif({ hostname: c.host, port: c.onvifPort, username: 'admin', password: 'admin123' });
    expect(client.profiles).toHaveLength(2);
    const bad = await connectOnvif({ hostname: c.host, port: c.onvifPort, username: 'admin', password: 'bad' });
    expect(bad.profiles).toEqual([]);
    await expect(call(bad, 'getDeviceInformation')).rejects.toThrow(/NotAuthorized|authori/i);
    const raw = await httpRaw(c.onvifUrl, 'POST', soap('<GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/>'), {});
    expect(raw.status).toBe(400);
    expect(raw.body.toString()).toMatch(/ter:NotAuthorized/);
  });

  it('answers unknown actions with an ActionNotSupported SOAP fault, and PTZ is absent on a fixed camera', async () => {
    const c = sim.camera('digest-only');
    const r = await httpDigest(c.onvifUrl, 'admin', 'admin123', 'POST', soap('<GetFrobnicator xmlns="http://www.onvif.org/ver10/device/wsdl"/>'));
    expect(r.status).toBe(400);
    expect(r.body.toString()).toMatch(/ter:ActionNotSupported/);
    const client = await connectOnvif({ hostname: c.host, port: c.onvifPort, username: 'admin', password: 'admin123', useWSSecurity: false });
    expect(client.uri.ptz).toBeUndefined();
  });
});
