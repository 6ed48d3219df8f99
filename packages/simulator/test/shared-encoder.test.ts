import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/index.js';
import { FFMPEG_BUILDS, TINY, alive, grabGrayFrames, lumaStats, waitFor, withCredentials } from './helpers.js';

const CLIENT = FFMPEG_BUILDS[FFMPEG_BUILDS.length - 1]![1];

describe('sharedEncoder: encode once, serve many', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ sharedEncoder: true, cameras: ['s1', 's2', 's3', 's4'].map((id) => ({ id, ...TINY })) });
  });
  afterAll(async () => {
    const pids = sim.encoderPids();
    await sim.stop();
    expect(pids.filter(alive)).toEqual([]);
  });

  it('runs one encoder per stream for all cameras, each camera serving it on its own port', async () => {
    expect(sim.encoderPids()).toHaveLength(2);
    const ports = new Set(sim.cameras.map((c) => c.rtspPort));
    expect(ports.size).toBe(4);
    const [a, b] = await Promise.all([
      grabGrayFrames(CLIENT, withCredentials(sim.camera('s1').rtspUrl.sub, 'admin', 'admin123'), 'tcp', 160, 90, 2, ['-analyzeduration', '1000000']),
      grabGrayFrames(CLIENT, withCredentials(sim.camera('s4').rtspUrl.sub, 'admin', 'admin123'), 'udp', 160, 90, 2, ['-analyzeduration', '1000000']),
    ]);
    expect([a.length, b.length]).toEqual([2, 2]);
  });

  it('a picture fault gives that camera private encoders; the others keep the shared picture', async () => {
    const cam = sim.camera('s2');
    cam.picture('black');
    await waitFor(() => sim.encoderPids().length === 4, 30_000);
    expect(cam.encoderPids).toHaveLength(2);
    await waitFor(async () => {
      const [f] = await grabGrayFrames(CLIENT, withCredentials(cam.rtspUrl.sub, 'admin', 'admin123'), 'tcp', 160, 90, 1, ['-analyzeduration', '1000000']);
      return lumaStats(f!.subarray(160 * 30, 160 * 60)).mean < 25;
    }, 40_000, 500);
    const [other] = await grabGrayFrames(CLIENT, withCredentials(sim.camera('s3').rtspUrl.sub, 'admin', 'admin123'), 'tcp', 160, 90, 1, ['-analyzeduration', '1000000']);
    expect(lumaStats(other!.subarray(160 * 30, 160 * 60)).mean).toBeGreaterThan(60);
  });
});
