import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/index.js';
import { FFMPEG_BUILDS, TINY, grabGrayFrames, httpDigest, run, withCredentials } from './helpers.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLIENT = FFMPEG_BUILDS[FFMPEG_BUILDS.length - 1]![1];

/** Fraction of pixels of the vehicle body colour (0x1e50a0) in a snapshot. */
async function vehiclePixels(jpeg: Buffer): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'sim-street-'));
  try {
    writeFileSync(join(dir, 's.jpg'), jpeg);
    const r = await run(CLIENT, ['-hide_banner', '-loglevel', 'error', '-i', join(dir, 's.jpg'), '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
    let n = 0;
    for (let i = 0; i + 2 < r.stdout.length; i += 3) {
      const [R, G, B] = [r.stdout[i]!, r.stdout[i + 1]!, r.stdout[i + 2]!];
      if (Math.abs(R - 0x1e) < 30 && Math.abs(G - 0x50) < 30 && Math.abs(B - 0xa0) < 30) n++;
    }
    return n / (r.stdout.length / 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('street scene', () => {
  let sim: Simulator;
  const events: Array<{ camera: string; at: number; value: string }> = [];

  beforeAll(async () => {
    sim = await startSimulator({
      cameras: ['a', 'b', 'c'].map((id) => ({ id: `cam-${id}`, scene: 'street' as const, ...TINY })),
      streets: [{ plate: '30A-123.45', route: ['cam-a', 'cam-b', 'cam-c'], startAfterMs: 2000, legMs: 3000 }],
    });
    for (const cam of sim.cameras) {
      const sub = cam.events.subscribe(Date.now() + 120_000);
      void (async () => {
        for (let i = 0; i < 50; i++) {
          const msgs = await sub.pull(10, 1000);
          for (const m of msgs) if (m.topic === 'tns1:VideoSource/MotionAlarm' && m.operation === 'Changed') events.push({ camera: cam.id, at: Date.now(), value: m.data.State! });
          if (!cam.events.subscriptions.has(sub.id)) return;
        }
      })();
    }
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('a vehicle with a plate passes camera A, then B, then C (picture and motion events)', async () => {
    const t0 = sim.startedAt + 2000;
    const snapAt = async (ms: number, id: string): Promise<number> => {
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + ms - Date.now())));
      const cam = sim.camera(id);
      const res = await httpDigest(cam.snapshotUrl, 'admin', 'admin123');
      expect(res.status).toBe(200);
      return vehiclePixels(res.body);
    };
    // Middle of leg A: the car is in A's picture, not in B's.
    const [aDuringA, bDuringA] = await Promise.all([snapAt(1500, 'cam-a'), snapAt(1500, 'cam-b')]);
    // Middle of leg B.
    const [aDuringB, bDuringB] = await Promise.all([snapAt(4500, 'cam-a'), snapAt(4500, 'cam-b')]);
    expect(aDuringA).toBeGreaterThan(0.005);
    expect(bDuringA).toBeLessThan(0.001);
    expect(bDuringB).toBeGreaterThan(0.005);
    expect(aDuringB).toBeLessThan(0.001);
    // Motion events start on A, then B, then C, a leg apart.
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + 7000 - Date.now())));
    const starts = ['cam-a', 'cam-b', 'cam-c'].map((id) => events.find((e) => e.camera === id && e.value === 'true')?.at);
    expect(starts.every((s) => s !== undefined)).toBe(true);
    expect(starts[1]! - starts[0]!).toBeGreaterThan(2000);
    expect(starts[2]! - starts[1]!).toBeGreaterThan(2000);
  });

  it('the street moves (pedestrians, scooter) while a static camera does not', async () => {
    const W = 160;
    const H = 90;
    const change = (frames: Buffer[]): number => {
      const a = frames[0]!.subarray(W * 20, W * 60);
      const b = frames.at(-1)!.subarray(W * 20, W * 60);
      let changed = 0;
      for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > 40) changed++;
      return changed / a.length;
    };
    const street = await grabGrayFrames(CLIENT, withCredentials(sim.camera('cam-c').rtspUrl.sub, 'admin', 'admin123'), 'tcp', W, H, 11, ['-analyzeduration', '1000000']);
    expect(street).toHaveLength(11);
    expect(change(street)).toBeGreaterThan(0.003);
    const fixed = await startSimulator({ cameras: [{ id: 'still', ...TINY }] });
    try {
      const still = await grabGrayFrames(CLIENT, withCredentials(fixed.camera('still').rtspUrl.sub, 'admin', 'admin123'), 'tcp', W, H, 11, ['-analyzeduration', '1000000']);
      expect(change(still)).toBe(0);
    } finally {
      await fixed.stop();
    }
  });
});
