import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriverEvent } from '@wardwatch/core';
import { findFfmpeg, startSimulator, type Simulator } from '@wardwatch/simulator';
import { createOnvifDriver } from '../src/index.js';
import { ffmpegGrabFrame, simSpec, waitFor } from './helpers/sim-specs.js';

const small = { main: { width: 320, height: 180, fps: 5, gop: 10, bitrateKbps: 300 }, sub: { width: 160, height: 90, fps: 5, gop: 10, bitrateKbps: 100 } };

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ cameras: [{ id: 'nvr', onvifAuth: 'ws-security', ...small, quirks: { media2Only: true, h265: true, channels: 2, referenceParameters: true } }] });
}, 120_000);
afterAll(async () => {
  await sim?.stop();
});

const driver = () => createOnvifDriver({ timeoutMs: 3000, events: { pullTimeoutMs: 1000, retryMinMs: 300, retryMaxMs: 1000, motionHoldMs: 30_000 } });

describe('the driver against the simulator quirks (Media2-only NVR, H.265 reports, channels, reference parameters)', () => {
  it('binds a camera to NVR channel 2 over Media2 with the reported codec, and delivers only that channel\'s events', async () => {
    const nvr = sim.camera('nvr');
    const ch1 = await driver().connect({ ...simSpec(nvr, { channel: 1 }), id: 'nvr-ch1' });
    const ch2 = await driver().connect({ ...simSpec(nvr, { channel: 2 }), id: 'nvr-ch2' });
    const events1: DriverEvent[] = [];
    const events2: DriverEvent[] = [];
    const subs = [ch1.events$.subscribe((e) => events1.push(e)), ch2.events$.subscribe((e) => events2.push(e))];
    try {
      expect(ch2.streams.main).toMatchObject({ codec: 'h265', width: 320, height: 180 });
      expect(ch2.streams.main.uri).toBe(`${nvr.rtspUrl.main.replace('rtsp://', `rtsp://${nvr.username}:${nvr.password}@`)}?channel=2`);
      expect(ch2.streams.sub?.codec).toBe('h264');
      const frame = await ffmpegGrabFrame(findFfmpeg(), ch2.streams.sub!.uri);
      expect(frame.code, frame.stderr).toBe(0);
      await waitFor(() => nvr.events.subscriptions.size === 2, 10_000, 'two pull points');
      nvr.triggerMotion(60_000, 2);
      await waitFor(() => events2.some((e) => e.type === 'motion' && e.phase === 'start'), 10_000, 'channel 2 motion');
      await new Promise((r) => setTimeout(r, 1500));
      expect(events2.filter((e) => e.type === 'motion')).toEqual([expect.objectContaining({ phase: 'start', source: 'VideoSource_2' })]);
      expect(events1.filter((e) => e.type === 'motion')).toEqual([]);
    } finally {
      subs.forEach((s) => s.unsubscribe());
      await Promise.all([ch1.close(), ch2.close()]);
    }
  }, 60_000);
});
