import { firstValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraSession, DriverEvent } from '@wardwatch/core';
import { findFfmpeg, startSimulator, type Simulator } from '@wardwatch/simulator';
import { createOnvifDriver } from '../src/index.js';
import { codedFailure as rejection } from './helpers/coded-failure.js';
import { ffmpegGrabFrame, simSpec, waitFor } from './helpers/sim-specs.js';

const small = { main: { width: 320, height: 180, fps: 5, gop: 10, bitrateKbps: 300 }, sub: { width: 160, height: 90, fps: 5, gop: 10, bitrateKbps: 100 } };

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({
    discovery: { port: 0 },
    sharedEncoder: true,
    cameras: [
      { id: 'cam-ptz', name: 'Cổng chợ', ptz: true, onvifAuth: 'both', ...small, location: { lat: 21.03, lon: 105.85, address: 'Chợ Hôm' } },
      { id: 'cam-digest', name: 'Ngõ 5', onvifAuth: 'digest', ...small },
      { id: 'cam-ws', name: 'Nhà trọ', onvifAuth: 'ws-security', ...small },
    ],
  });
}, 120_000);
afterAll(async () => {
  await sim?.stop();
});

const driver = (events: Record<string, number> = {}) =>
  createOnvifDriver({ timeoutMs: 3000, events: { pullTimeoutMs: 2000, retryMinMs: 300, retryMaxMs: 1500, motionHoldMs: 30_000, ...events } });


describe('onvif driver against the simulator (real HTTP/SOAP, RTSP, UDP)', () => {
  it.each([
    ['cam-ptz', 'auto'],
    ['cam-ptz', 'ws-security'],
    ['cam-ptz', 'digest'],
    ['cam-digest', 'auto'],
    ['cam-digest', 'digest'],
    ['cam-ws', 'ws-security'],
    ['cam-ws', 'auto'],
  ])('connects to %s with auth %s and maps main/sub streams', async (id, auth) => {
    const cam = sim.camera(id);
    const session = await driver().connect(simSpec(cam, { auth }));
    try {
      expect(session.streams.main.uri).toBe(cam.rtspUrl.main.replace('rtsp://', `rtsp://${cam.username}:${cam.password}@`));
      expect(session.streams.sub?.uri).toBe(cam.rtspUrl.sub.replace('rtsp://', `rtsp://${cam.username}:${cam.password}@`));
      expect(session.streams.main).toMatchObject({ width: 320, height: 180 });
      expect(session.device?.manufacturer).toBeTruthy();
      expect(session.snapshotUri).toBe(cam.snapshotUrl);
    } finally {
      await session.close();
    }
  });

  it('rejects the wrong scheme and wrong credentials with CAMERA_AUTH_FAILED', async () => {
    const digestOnly = sim.camera('cam-digest');
    const wsOnly = sim.camera('cam-ws');
    const e1 = await rejection(driver().connect(simSpec(digestOnly, { auth: 'ws-security' })));
    expect(e1.code).toBe('CAMERA_AUTH_FAILED');
    const e2 = await rejection(driver().connect(simSpec(wsOnly, { auth: 'digest' })));
    expect(e2.code).toBe('CAMERA_AUTH_FAILED');
    const e3 = await rejection(driver().connect(simSpec(digestOnly, {}, { password: 'wrong-password' })));
    expect(e3.code).toBe('CAMERA_AUTH_FAILED');
    expect(e3.details).toMatchObject({ address: expect.stringContaining(`127.0.0.1:${digestOnly.onvifPort}`), operation: 'GetCapabilities' });
    expect(JSON.stringify(e3.toJSON())).not.toContain('wrong-password');
  });

  it('reports the camera clock offset, and WS-Security still works with a 10-minute skew', async () => {
    const cam = sim.camera('cam-ws');
    cam.setClockDrift(600_000);
    try {
      const session = await driver().connect(simSpec(cam, { auth: 'ws-security' }));
      expect(Math.abs(session.clockOffsetMs! - 600_000)).toBeLessThan(1000);
      const probe = await session.probe();
      expect(probe.ok).toBe(true);
      await session.close();
    } finally {
      cam.setClockDrift(0);
    }
  });

  it('gives stream URIs ffmpeg can pull a frame from, and a JPEG snapshot', async () => {
    const cam = sim.camera('cam-digest');
    const session = await driver().connect(simSpec(cam));
    try {
      const ffmpeg = findFfmpeg();
      const main = await ffmpegGrabFrame(ffmpeg, session.streams.main.uri);
      expect(main.code, main.stderr).toBe(0);
      const sub = await ffmpegGrabFrame(ffmpeg, session.streams.sub!.uri);
      expect(sub.code, sub.stderr).toBe(0);
      const jpeg = await session.snapshot();
      expect(jpeg[0]).toBe(0xff);
      expect(jpeg[1]).toBe(0xd8);
      expect(jpeg[jpeg.length - 2]).toBe(0xff);
      expect(jpeg[jpeg.length - 1]).toBe(0xd9);
    } finally {
      await session.close();
    }
  });

  it('moves PTZ (absolute, relative, continuous + stop, presets, home) and has none on fixed cameras', async () => {
    const cam = sim.camera('cam-ptz');
    const session = await driver().connect(simSpec(cam));
    try {
      const ptz = session.ptz!;
      expect(ptz).toBeDefined();
      await ptz.absoluteMove({ pan: 0.5, tilt: -0.25, zoom: 0.5 });
      await waitFor(() => Math.abs(cam.ptzPosition().pan - 0.5) < 0.01, 5000, 'absolute move');
      expect((await ptz.position()).pan).toBeCloseTo(0.5, 2);
      await ptz.relativeMove({ pan: -0.25 });
      await waitFor(() => Math.abs(cam.ptzPosition().pan - 0.25) < 0.01, 5000, 'relative move');
      const token = await ptz.setPreset('Gate');
      expect((await ptz.presets()).map((p) => p.token)).toContain(token);
      const before = cam.ptzPosition().pan;
      await ptz.continuousMove({ pan: 1 });
      await waitFor(() => cam.ptzPosition().pan > before + 0.05, 5000, 'continuous move');
      await ptz.stop();
      const stopped = cam.ptzPosition().pan;
      await new Promise((r) => setTimeout(r, 300));
      expect(cam.ptzPosition().pan).toBeCloseTo(stopped, 2);
      await ptz.gotoPreset(token);
      await waitFor(() => Math.abs(cam.ptzPosition().pan - 0.25) < 0.01, 5000, 'goto preset');
      await ptz.home();
    } finally {
      await session.close();
    }
    const fixed = await driver().connect(simSpec(sim.camera('cam-digest')));
    expect(fixed.ptz).toBeUndefined();
    await fixed.close();
  });

  it('delivers motion start and end from the pull point', async () => {
    const cam = sim.camera('cam-ptz');
    const session = await driver().connect(simSpec(cam));
    const events: DriverEvent[] = [];
    const sub = session.events$.subscribe((e) => events.push(e));
    try {
      await waitFor(() => cam.events.subscriptions.size > 0, 10_000, 'a pull-point subscription');
      cam.triggerMotion(1000);
      await waitFor(() => events.some((e) => e.type === 'motion' && e.phase === 'end'), 15_000, 'motion end');
      const motion = events.filter((e) => e.type === 'motion');
      expect(motion.map((e) => (e as { phase: string }).phase)).toEqual(['start', 'end']);
      expect(Math.abs(motion[0]!.at - Date.now())).toBeLessThan(15_000);
      cam.triggerTamper('tamper', 500);
      await waitFor(() => events.some((e) => e.type === 'tamper' && e.phase === 'end'), 15_000, 'tamper end');
    } finally {
      sub.unsubscribe();
      await session.close();
    }
  });

  it('resumes events by itself after a dropped connection and a reboot', async () => {
    const cam = sim.camera('cam-digest');
    const session = await driver().connect(simSpec(cam));
    const events: DriverEvent[] = [];
    const sub = session.events$.subscribe((e) => events.push(e));
    try {
      await waitFor(() => cam.events.subscriptions.size > 0, 10_000, 'first subscription');
      // A dropped connection (TCP reset mid-pull) is survived too.
      cam.drop();
      await new Promise((r) => setTimeout(r, 500));
      cam.triggerMotion(300);
      await waitFor(() => events.some((e) => e.type === 'motion' && e.phase === 'end'), 15_000, 'motion after a drop');
      const startsBefore = events.filter((e) => e.type === 'motion' && e.phase === 'start').length;
      expect(startsBefore).toBe(1);
      await cam.reboot(1500);
      // The old subscription is gone; the watchdog must create a new one.
      await waitFor(() => cam.events.subscriptions.size > 0, 20_000, 'resubscription after reboot');
      cam.triggerMotion(500);
      await waitFor(() => events.filter((e) => e.type === 'motion' && e.phase === 'start').length === 2, 15_000, 'motion after reboot');
      expect((await session.probe()).ok).toBe(true);
    } finally {
      sub.unsubscribe();
      await session.close();
    }
  }, 60_000);

  it('renews the pull point before it terminates, and unsubscribes on close', async () => {
    const cam = sim.camera('cam-ws');
    const session = await driver({ terminationMs: 2000, pullTimeoutMs: 500 }).connect(simSpec(cam));
    const sub = session.events$.subscribe();
    try {
      await waitFor(() => cam.events.subscriptions.size === 1, 10_000, 'subscription');
      const [id] = [...cam.events.subscriptions.keys()];
      await new Promise((r) => setTimeout(r, 3500));
      // Without Renew the simulator would have expired it at 2 s and the loop would hold a new id.
      expect([...cam.events.subscriptions.keys()]).toEqual([id]);
    } finally {
      sub.unsubscribe();
      await session.close();
    }
    expect(cam.events.subscriptions.size).toBe(0);
  });

  it('replaces a pull point that stays silent, releasing the old one', async () => {
    const cam = sim.camera('cam-ws');
    const session = await driver({ silentResubscribeMs: 1000, pullTimeoutMs: 500 }).connect(simSpec(cam));
    const sub = session.events$.subscribe();
    try {
      await waitFor(() => cam.events.subscriptions.size === 1, 10_000, 'subscription');
      const [first] = [...cam.events.subscriptions.keys()];
      await waitFor(() => cam.events.subscriptions.size === 1 && !cam.events.subscriptions.has(first!), 10_000, 'a fresh subscription');
    } finally {
      sub.unsubscribe();
      await session.close();
    }
  });

  it('synthesises motion end when the camera never sends one', async () => {
    const cam = sim.camera('cam-ws');
    const session = await driver({ motionHoldMs: 800 }).connect(simSpec(cam));
    const events: DriverEvent[] = [];
    const sub = session.events$.subscribe((e) => events.push(e));
    try {
      await waitFor(() => cam.events.subscriptions.size > 0, 10_000, 'subscription');
      cam.triggerMotion(20_000);
      await waitFor(() => events.some((e) => e.type === 'motion' && e.phase === 'end'), 10_000, 'synthetic end');
      expect(events.filter((e) => e.type === 'motion').map((e) => (e as { phase: string }).phase)).toEqual(['start', 'end']);
    } finally {
      sub.unsubscribe();
      await session.close();
    }
  });

  it('turns garbage XML, an oversized answer and a stalled camera into distinct coded errors', async () => {
    const cam = sim.camera('cam-digest');
    try {
      cam.malformed('soap');
      const garbage = await rejection(driver().connect(simSpec(cam)));
      expect(garbage.code).toBe('CAMERA_PROTOCOL_ERROR');
      expect(garbage.details).toMatchObject({ operation: 'GetCapabilities', address: expect.stringContaining(`:${cam.onvifPort}/`) });
      cam.malformed('oversized-soap');
      const big = await rejection(driver().connect(simSpec(cam)));
      expect(big.code).toBe('CAMERA_RESPONSE_TOO_LARGE');
      cam.malformed(null);
      cam.stall();
      const slow = await rejection(createOnvifDriver({ timeoutMs: 800 }).connect(simSpec(cam)));
      expect(slow.code).toBe('CAMERA_TIMEOUT');
      expect(slow.retryable).toBe(true);
      expect(slow.details).toMatchObject({ operation: 'GetSystemDateAndTime' });
    } finally {
      cam.malformed(null);
      cam.resume();
    }
  });

  it('probe fails with a cause while the camera is down and recovers', async () => {
    const cam = sim.camera('cam-ws');
    const session = await createOnvifDriver({ probeTimeoutMs: 800, events: { enabled: false } }).connect(simSpec(cam));
    try {
      cam.stall();
      const stalled = await session.probe();
      expect(stalled).toMatchObject({ ok: false, cause: 'CAMERA_TIMEOUT' });
      cam.resume();
      const rebooting = cam.reboot(1000);
      await new Promise((r) => setTimeout(r, 200));
      const down = await session.probe();
      expect(down).toMatchObject({ ok: false, cause: 'CAMERA_UNREACHABLE' });
      await rebooting;
      expect((await session.probe()).ok).toBe(true);
    } finally {
      cam.resume();
      await session.close();
    }
  });

  it('discovers every camera by unicast WS-Discovery with name and hardware from scopes', async () => {
    const found = await firstValueFrom(driver().discover!({ address: '127.0.0.1', port: sim.discoveryPort!, timeoutMs: 1500 }).pipe(toArray()));
    expect(found.map((c) => c.port).sort()).toEqual(sim.cameras.map((c) => c.onvifPort).sort());
    const gate = found.find((c) => c.port === sim.camera('cam-ptz').onvifPort)!;
    expect(gate).toMatchObject({ driver: 'onvif', host: '127.0.0.1', name: 'Cổng chợ', xaddrs: [sim.camera('cam-ptz').onvifUrl] });
    expect(gate.hardware).toBeTruthy();
    // The simulator publishes no location scope (parsing it is covered in parsers.test.ts).
    expect(gate.scopes).toContain('onvif://www.onvif.org/type/video_encoder');
    expect(gate.endpoint).toMatch(/^urn:uuid:/);
  });
});

export type { CameraSession };
