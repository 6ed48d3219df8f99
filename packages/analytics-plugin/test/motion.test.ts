import type { Detection, Frame, WardwatchError } from '@wardwatch/core';
import { firstValueFrom, from, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createMotionAnalyzer } from '../src/motion-analyzer.js';
import { MotionDetector } from '../src/motion-detector.js';
import { analyzerContext, background, grayFrame, recordingLogger } from './helpers.js';

const W = 320;
const H = 180;
const base = background(W, H);
const T0 = 1_700_000_000_000;

/** 5 fps: 10 still frames, then a 30×30 block moving right for `moving` frames, then still again. */
function scene(blockY: number, moving = 15, still = 15): Frame[] {
  const frames: Frame[] = [];
  let i = 0;
  for (; i < 10; i += 1) frames.push(grayFrame('cam-1', T0 + i * 200, base, W, H));
  for (let k = 0; k < moving; k += 1, i += 1) {
    frames.push(grayFrame('cam-1', T0 + i * 200, base, W, H, [{ x: 20 + k * 6, y: blockY, w: 30, h: 30, value: 240 }]));
  }
  for (let k = 0; k < still; k += 1, i += 1) frames.push(grayFrame('cam-1', T0 + i * 200, base, W, H));
  return frames;
}

async function run(frames: Frame[], options: Record<string, unknown>): Promise<Detection[]> {
  const analyzer = createMotionAnalyzer();
  return firstValueFrom(analyzer.analyze(from(frames), analyzerContext('cam-1', options)).pipe(toArray()));
}

describe('motion analyzer', () => {
  // Top half is the zone; a mask covers the bottom-left quarter.
  const zones = [[[0, 0], [1, 0], [1, 0.5], [0, 0.5]]];
  const masks = [[[0, 0.5], [0.6, 0.5], [0.6, 1], [0, 1]]];

  it('fires start and end for motion inside a zone, with a box where the object moved', async () => {
    const events = await run(scene(30), { zones, masks });
    expect(events.map((e) => (e.type === 'motion' ? e.phase : e.type))).toEqual(['start', 'end']);
    const start = events[0];
    if (start?.type !== 'motion') throw new Error('expected motion');
    expect(start.source).toBe('analyzer');
    expect(start.cameraId).toBe('cam-1');
    expect(start.at).toBeGreaterThanOrEqual(T0 + 10 * 200);
    const box = start.boxes?.[0];
    expect(box).toBeDefined();
    // The block is at y 30..60 of 180 → 0.17..0.33; x starts near 20/320.
    expect(box!.y).toBeLessThan(0.25);
    expect(box!.y + box!.height).toBeGreaterThan(0.25);
    expect(box!.x).toBeLessThan(0.3);
    expect(start.score).toBeGreaterThan(0);
    const end = events[1]!;
    expect(end.at).toBeGreaterThan(start.at);
  });

  it('does not fire for motion inside a mask, nor outside the zones', async () => {
    expect(await run(scene(120), { zones, masks })).toEqual([]); // bottom-left: masked
    expect(await run(scene(120), { zones })).toEqual([]); // bottom half: outside the zone
    expect((await run(scene(120), {})).length).toBe(2); // no zones, no masks: fires
  });

  it('ignores sensor noise and needs the motion to last (hysteresis)', async () => {
    const noisy = Array.from({ length: 40 }, (_, i) => grayFrame('cam-1', T0 + i * 200, base, W, H, [], 6));
    expect(await run(noisy, {})).toEqual([]);
    // One frame of motion is shorter than startAfterMs.
    expect(await run(scene(30, 1), {})).toEqual([]);
  });

  it('ends an active motion when the frames complete', async () => {
    const events = await run(scene(30, 15, 0), {});
    expect(events.map((e) => (e.type === 'motion' ? e.phase : ''))).toEqual(['start', 'end']);
  });

  it('rejects frames of the wrong size with ANALYZER_BAD_FRAME and goes on', async () => {
    const errors: WardwatchError[] = [];
    const logger = recordingLogger();
    const frames = scene(30);
    frames.splice(12, 0, grayFrame('cam-1', T0 + 12 * 200 + 1, background(160, 90), 160, 90));
    frames.splice(13, 0, { ...frames[13]!, data: new Uint8Array(10) });
    const analyzer = createMotionAnalyzer({ onError: (e) => errors.push(e) });
    const events = await firstValueFrom(analyzer.analyze(from(frames), analyzerContext('cam-1', {}, logger)).pipe(toArray()));
    expect(errors.map((e) => e.code)).toEqual(['ANALYZER_BAD_FRAME', 'ANALYZER_BAD_FRAME']);
    expect(logger.warnings).toHaveLength(2);
    expect(events.map((e) => (e.type === 'motion' ? e.phase : ''))).toEqual(['start', 'end']);
  });

  it('rejects bad zones with INVALID_CONFIG', () => {
    expect(() => new MotionDetector({ zones: [[[0, 0], [2, 0], [0, 1]]] })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => new MotionDetector({ sensitivity: 3 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
