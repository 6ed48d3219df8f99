import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockDrawtext, clockRegion, findFfmpeg, startSimulator, type Simulator } from '../src/index.js';
import { findFont } from '../src/find-ffmpeg.js';
import { FFMPEG_BUILDS, grabGrayFrames, run, withCredentials } from './helpers.js';

/**
 * The burned-in clock check: no OCR is available, so the test renders the very same drawtext (same font, size,
 * position, background) for every candidate second around the wall time, and finds which rendering matches the
 * decoded RTSP frame best (least squared error over the clock region).
 */
const CLIENT = FFMPEG_BUILDS[FFMPEG_BUILDS.length - 1]![1];
/** The reference is rendered by the same ffmpeg build the simulator encodes with (text rasterisation differs between builds). */
const RENDERER = findFfmpeg();
const W = 640;
const H = 360;

async function bestMatchingSecond(frame: Buffer, fromSec: number, count: number): Promise<{ second: number; errors: number[] }> {
  const r = clockRegion(H);
  const graph = `smptebars=size=${W}x${H}:rate=1,${clockDrawtext(findFont(), H, fromSec * 1000)},crop=${r.w}:${r.h}:${r.x}:${r.y},format=gray`;
  const ref = await run(RENDERER, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', graph, '-frames:v', String(count), '-f', 'rawvideo', 'pipe:1']);
  expect(ref.code, ref.stderr).toBe(0);
  const size = r.w * r.h;
  expect(ref.stdout.length).toBe(size * count);
  const errors: number[] = [];
  for (let k = 0; k < count; k++) {
    let e = 0;
    for (let y = 0; y < r.h; y++) {
      for (let x = 0; x < r.w; x++) {
        const d = frame[(r.y + y) * W + r.x + x]! - ref.stdout[k * size + y * r.w + x]!;
        e += d * d;
      }
    }
    errors.push(e / size);
  }
  const best = errors.indexOf(Math.min(...errors));
  return { second: fromSec + best, errors };
}

describe('burned-in clock', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: [{ id: 'clock', main: { width: W, height: H, fps: 5, gop: 5, bitrateKbps: 800 }, sub: { width: 160, height: 90, fps: 5, gop: 5, bitrateKbps: 80 } }] });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('shows the wall-clock second of the frame, readable back by matching a reference render', async () => {
    const cam = sim.camera('clock');
    const [frame] = await grabGrayFrames(CLIENT, withCredentials(cam.rtspUrl.main, 'admin', 'admin123'), 'tcp', W, H, 1);
    const wall = Math.floor(Date.now() / 1000);
    const { second, errors } = await bestMatchingSecond(frame!, wall - 10, 13);
    // The frame was captured at most a few seconds before it was decoded (probe time), never after.
    expect(second).toBeLessThanOrEqual(wall);
    expect(wall - second).toBeLessThanOrEqual(7);
    const sorted = [...errors].sort((a, b) => a - b);
    // The match is clear: the best rendering is much closer than the next one.
    expect(sorted[0]! * 1.5).toBeLessThan(sorted[1]!);
  });

  it('setClockDrift() moves the burned-in clock by the drift', async () => {
    const cam = sim.camera('clock');
    cam.setClockDrift(90_000);
    try {
      await new Promise((r) => setTimeout(r, 1500));
      const [frame] = await grabGrayFrames(CLIENT, withCredentials(cam.rtspUrl.main, 'admin', 'admin123'), 'tcp', W, H, 1);
      const wall = Math.floor(Date.now() / 1000);
      const drifted = await bestMatchingSecond(frame!, wall + 90 - 10, 13);
      expect(wall + 90 - drifted.second).toBeGreaterThanOrEqual(0);
      expect(wall + 90 - drifted.second).toBeLessThanOrEqual(7);
      const undrifted = await bestMatchingSecond(frame!, wall - 10, 13);
      expect(Math.min(...drifted.errors) * 1.5).toBeLessThan(Math.min(...undrifted.errors));
    } finally {
      cam.setClockDrift(0);
    }
  });
});
