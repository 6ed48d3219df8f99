import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/index.js';
import { FFMPEG_BUILDS, FrameCollector, TINY, httpDigest, httpRaw, lumaStats, rtspTimeoutArgs, run, sharpness, soap, waitFor, withCredentials } from './helpers.js';
import { call, connectOnvif } from './onvif-client.js';

const CLIENT = FFMPEG_BUILDS[FFMPEG_BUILDS.length - 1]![1];

describe.each(FFMPEG_BUILDS)('connection faults seen by %s ffmpeg', (_label, ffmpeg) => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: [{ id: 'f', ...TINY }] });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('stall(): the connection stays open, no packets arrive, ffmpeg read times out; resume() serves again', async () => {
    const cam = sim.camera('f');
    const url = withCredentials(cam.rtspUrl.main, 'admin', 'admin123');
    const client = new FrameCollector(ffmpeg, url, 'tcp', 80, 45, rtspTimeoutArgs(ffmpeg, 3));
    try {
      await waitFor(() => client.frames.length >= 2, 30_000);
      const stalledAt = Date.now();
      cam.stall();
      const sentAtStall = cam.rtpPacketsSent;
      expect(sentAtStall).toBeGreaterThan(0);
      const code = await Promise.race([client.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 25_000))]);
      expect(code).not.toBe('still running');
      const elapsed = Date.now() - stalledAt;
      expect(elapsed).toBeGreaterThanOrEqual(2500);
      // Not one RTP packet left the camera while stalled.
      expect(cam.rtpPacketsSent).toBe(sentAtStall);
      // While stalled, a new client connects (TCP accept works) but gets no answer.
      const probe = await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', ...rtspTimeoutArgs(ffmpeg, 2), '-rtsp_transport', 'tcp', '-i', url, '-frames:v', '1', '-f', 'null', '-'], 20_000);
      expect(probe.code).not.toBe(0);
    } finally {
      cam.resume();
      await client.stop();
    }
    const after = await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', url, '-frames:v', '2', '-f', 'null', '-']);
    expect(after.code, after.stderr).toBe(0);
  });

  it('drop(): every connection is reset and the client stops receiving', async () => {
    const cam = sim.camera('f');
    const url = withCredentials(cam.rtspUrl.main, 'admin', 'admin123');
    const client = new FrameCollector(ffmpeg, url, 'tcp', 80, 45, rtspTimeoutArgs(ffmpeg, 5));
    try {
      await waitFor(() => client.frames.length >= 2, 30_000);
      expect(cam.rtspSessionCount).toBe(1);
      const droppedAt = Date.now();
      cam.drop();
      expect(cam.rtspSessionCount).toBe(0);
      await Promise.race([client.exited, new Promise((r) => setTimeout(r, 15_000))]);
      expect(client.exitCode).not.toBeUndefined();
      expect(Date.now() - droppedAt).toBeLessThan(4000);
      expect(client.since(droppedAt + 300)).toHaveLength(0);
    } finally {
      await client.stop();
    }
  });
});

describe('device faults', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: [{ id: 'r', ...TINY }, { id: 'p', ...TINY, sub: { ...TINY.sub } }] });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('reboot(ms): RTSP and ONVIF refuse connections, then come back on the same ports', async () => {
    const cam = sim.camera('r');
    const ports = [cam.rtspPort, cam.onvifPort];
    const url = withCredentials(cam.rtspUrl.sub, 'admin', 'admin123');
    const rebooted = cam.reboot(2500);
    await new Promise((r) => setTimeout(r, 200));
    const refused = await run(CLIENT, ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', url, '-frames:v', '1', '-f', 'null', '-'], 10_000);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/refused/i);
    await expect(httpRaw(cam.onvifUrl, 'POST', soap('<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>'), {})).rejects.toThrow(/ECONNREFUSED/);
    await rebooted;
    expect([cam.rtspPort, cam.onvifPort]).toEqual(ports);
    const ok = await run(CLIENT, ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', url, '-frames:v', '1', '-f', 'null', '-']);
    expect(ok.code, ok.stderr).toBe(0);
    const onvif = await connectOnvif({ hostname: cam.host, port: cam.onvifPort, username: 'admin', password: 'admin123' });
    expect(onvif.profiles).toHaveLength(2);
  });

  it('stall() holds ONVIF answers (client times out) and drop() resets a waiting PullMessages', async () => {
    const cam = sim.camera('r');
    const body = soap('<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>');
    cam.stall();
    try {
      await expect(httpRaw(cam.onvifUrl, 'POST', body, {}, 1500)).rejects.toThrow(/timeout|socket hang up/);
    } finally {
      cam.resume();
    }
    expect((await httpRaw(cam.onvifUrl, 'POST', body, {})).status).toBe(200);
    const created = await httpDigest(cam.onvifUrl.replace('device_service', 'event_service'), 'admin', 'admin123', 'POST', soap('<CreatePullPointSubscription xmlns="http://www.onvif.org/ver10/events/wsdl"/>'));
    const address = /<wsa:Address>([^<]+)</.exec(created.body.toString())![1]!;
    await httpDigest(address, 'admin', 'admin123', 'POST', soap('<PullMessages xmlns="http://www.onvif.org/ver10/events/wsdl"><Timeout>PT1S</Timeout><MessageLimit>100</MessageLimit></PullMessages>'));
    const waiting = httpDigest(address, 'admin', 'admin123', 'POST', soap('<PullMessages xmlns="http://www.onvif.org/ver10/events/wsdl"><Timeout>PT30S</Timeout><MessageLimit>10</MessageLimit></PullMessages>'));
    await new Promise((r) => setTimeout(r, 500));
    cam.drop();
    await expect(waiting).rejects.toThrow(/ECONNRESET|socket hang up/);
  });

  it('setCredentials(): old credentials get 401 on RTSP and ONVIF, new ones work', async () => {
    const cam = sim.camera('r');
    cam.setCredentials('admin', 'changed!');
    try {
      const old = await run(CLIENT, ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', withCredentials(cam.rtspUrl.sub, 'admin', 'admin123'), '-frames:v', '1', '-f', 'null', '-']);
      expect(old.stderr).toMatch(/401/);
      const fresh = await run(CLIENT, ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', withCredentials(cam.rtspUrl.sub, 'admin', 'changed!'), '-frames:v', '1', '-f', 'null', '-']);
      expect(fresh.code, fresh.stderr).toBe(0);
      const r = await httpDigest(cam.onvifUrl, 'admin', 'admin123', 'POST', soap('<GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/>'));
      expect(r.status).toBe(401);
    } finally {
      cam.setCredentials('admin', 'admin123');
    }
  });

  it('malformed(): bad SDP breaks DESCRIBE, bad SOAP breaks the onvif client, oversized SOAP is 16 MiB', async () => {
    const cam = sim.camera('r');
    const client = await connectOnvif({ hostname: cam.host, port: cam.onvifPort, username: 'admin', password: 'admin123' });
    try {
      cam.malformed('sdp');
      const sdp = await run(CLIENT, ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', withCredentials(cam.rtspUrl.main, 'admin', 'admin123'), '-frames:v', '1', '-f', 'null', '-'], 20_000);
      expect(sdp.code).not.toBe(0);
      cam.malformed('soap');
      await expect(call(client, 'getDeviceInformation')).rejects.toThrow();
      cam.malformed('oversized-soap');
      const big = await httpDigest(cam.onvifUrl, 'admin', 'admin123', 'POST', soap('<GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/>'));
      expect(big.status).toBe(200);
      expect(big.body.length).toBeGreaterThan(16 * 1024 * 1024);
      expect(big.body.toString('utf8', big.body.length - 200)).toMatch(/<\/env:Envelope>$/);
    } finally {
      cam.malformed(null);
    }
    const info = await call<{ manufacturer: string }>(client, 'getDeviceInformation');
    expect(info.manufacturer).toBe('WardWatch Sim');
  });

  it('setClockDrift(): GetSystemDateAndTime reports the drifted clock', async () => {
    const cam = sim.camera('r');
    cam.setClockDrift(-3_600_000);
    try {
      const client = await connectOnvif({ hostname: cam.host, port: cam.onvifPort, username: 'admin', password: 'admin123' });
      const date = await call<Date>(client, 'getSystemDateAndTime');
      expect(Math.abs(date.getTime() - (Date.now() - 3_600_000))).toBeLessThan(5000);
    } finally {
      cam.setClockDrift(0);
    }
  });

  it('picture(): black, night, blurred, covered, scene-changed reach a client that stays connected', async () => {
    const cam = sim.camera('p');
    const W = 160;
    const H = 90;
    const client = new FrameCollector(CLIENT, withCredentials(cam.rtspUrl.sub, 'admin', 'admin123'), 'tcp', W, H);
    // The middle band of the picture, away from the burned-in texts.
    const middle = (f: Buffer): Buffer => f.subarray(W * 30, W * 60);
    const settle = async (): Promise<Buffer> => {
      const t = Date.now();
      await waitFor(() => client.since(t + 2500).length >= 3, 30_000);
      return middle(client.since(t + 2500).at(-1)!);
    };
    try {
      await waitFor(() => client.frames.length >= 3, 30_000);
      const normal = middle(client.frames.at(-1)!.data);
      const base = lumaStats(normal);
      const baseSharp = sharpness(normal, W);
      expect(base.mean).toBeGreaterThan(60);

      cam.picture('black');
      const black = lumaStats(await settle());
      expect(black.mean).toBeLessThan(25);
      expect(black.std).toBeLessThan(5);

      cam.picture('night');
      const nightFrame = await settle();
      const night = lumaStats(nightFrame);
      expect(night.mean).toBeLessThan(base.mean * 0.75);
      expect(sharpness(nightFrame, W)).toBeGreaterThan(50); // noisy

      cam.picture('blurred');
      expect(sharpness(await settle(), W)).toBeLessThan(baseSharp * 0.5);

      cam.picture('covered');
      const covered = lumaStats(await settle());
      expect(covered.mean).toBeLessThan(50);

      cam.picture('scene-changed');
      const changed = await settle();
      let diff = 0;
      for (let i = 0; i < changed.length; i++) diff += Math.abs(changed[i]! - normal[i]!);
      expect(diff / changed.length).toBeGreaterThan(30);

      cam.picture('normal');
      const back = await settle();
      let backDiff = 0;
      for (let i = 0; i < back.length; i++) backDiff += Math.abs(back[i]! - normal[i]!);
      expect(backDiff / back.length).toBeLessThan(10);
      // One client, one connection all along.
      expect(client.exitCode).toBeUndefined();
    } finally {
      await client.stop();
    }
  });
});
