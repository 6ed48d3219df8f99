import type { Detection, Frame, StationEvent, TamperKind } from '@wardwatch/core';
import { firstValueFrom, from, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarizePictureQuality } from '../src/picture-quality-report.js';
import { createTamperAnalyzer } from '../src/tamper-analyzer.js';
import { TamperDetector } from '../src/tamper-detector.js';
import { renderRaw } from './ffmpeg.js';
import { analyzerContext } from './helpers.js';

const W = 320;
const H = 180;
const T0 = 1_700_000_000_000;
const SCENE = `testsrc=size=${W}x${H}:rate=2`;
const FAULTS: Record<string, string> = {
  normal: SCENE,
  black: `color=c=black:size=${W}x${H}:rate=2`,
  covered: `color=c=0x302820:size=${W}x${H}:rate=2,noise=alls=6:allf=t`,
  blurred: `${SCENE},boxblur=6:3`,
  turned: `testsrc2=size=${W}x${H}:rate=2,vflip,hflip`,
  night: `${SCENE},eq=brightness=-0.38:contrast=0.6:saturation=0.2,noise=alls=28:allf=t`,
};
const pictures: Record<string, Uint8Array[]> = {};

beforeAll(async () => {
  for (const [name, graph] of Object.entries(FAULTS)) pictures[name] = await renderRaw(graph, W, H, 8);
});

/** 2 fps: 8 normal frames, 8 faulty frames, 8 normal frames. */
function sequence(fault: string): Frame[] {
  const parts = [pictures.normal!, pictures[fault]!, pictures.normal!];
  return parts.flat().map((data, i) => ({ cameraId: 'cam-t', at: T0 + i * 500, width: W, height: H, format: 'gray' as const, data }));
}

async function analyze(frames: Frame[], options: Record<string, unknown> = {}): Promise<Detection[]> {
  const analyzer = createTamperAnalyzer({ qualityIntervalMs: 2000 });
  return firstValueFrom(analyzer.analyze(from(frames), analyzerContext('cam-t', options)).pipe(toArray()));
}

const tampers = (events: Detection[]): Array<[TamperKind, string]> =>
  events.flatMap((e) => (e.type === 'tamper' ? [[e.kind, e.phase] as [TamperKind, string]] : []));

describe('tamper analyzer', () => {
  it('reports nothing for a normal picture and learns a reference', () => {
    const d = new TamperDetector();
    for (const [i, data] of [...pictures.normal!, ...pictures.normal!].entries()) {
      const step = d.step({ cameraId: 'c', at: T0 + i * 500, width: W, height: H, format: 'gray', data });
      expect(step.conditions).toEqual([]);
      expect(step.quality.score).toBeGreaterThan(0.6);
    }
    expect(d.hasReference).toBe(true);
  });

  it.each([
    ['black', 'black'],
    ['covered', 'covered'],
    ['blurred', 'defocus'],
    ['turned', 'scene-change'],
    ['night', 'low-light'],
  ] as const)('flags a %s picture as %s (start, then end when it is normal again)', async (fault, kind) => {
    const events = await analyze(sequence(fault));
    expect(tampers(events)).toEqual([
      [kind, 'start'],
      [kind, 'end'],
    ]);
    const start = events.find((e) => e.type === 'tamper' && e.phase === 'start')!;
    // The fault begins at frame 8 (T0 + 4 s); confirmation takes 1.5 s.
    expect(start.at).toBeGreaterThanOrEqual(T0 + 4000 + 1500);
    expect(start.at).toBeLessThan(T0 + 8000);
  });

  it('scores night footage low in picture.quality and recommends infrared or lighting', async () => {
    const events = await analyze(sequence('night'));
    const quality = events.filter((e): e is Extract<StationEvent, { type: 'picture.quality' }> => e.type === 'picture.quality');
    expect(quality.length).toBeGreaterThanOrEqual(4);
    const night = quality.filter((q) => q.lowLight);
    const day = quality.filter((q) => !q.lowLight);
    expect(night.length).toBeGreaterThan(0);
    expect(day.length).toBeGreaterThan(0);
    expect(Math.max(...night.map((q) => q.score))).toBeLessThan(Math.min(...day.map((q) => q.score)));
    const dayOnly = (await analyze(sequence('normal'))).map((e) => (e.type === 'picture.quality' ? { ...e, cameraId: 'cam-day' } : e));
    const report = summarizePictureQuality([...events, ...dayOnly]);
    expect(report.map((r) => [r.cameraId, r.recommendation])).toEqual([
      ['cam-t', 'needs-infrared-or-lighting'],
      ['cam-day', 'ok'],
    ]);
  });

  it('rejects a corrupt frame with ANALYZER_BAD_FRAME and goes on', async () => {
    const frames = sequence('black');
    const codes: string[] = [];
    frames.splice(3, 0, { ...frames[3]!, data: new Uint8Array(7) });
    const analyzer = createTamperAnalyzer({ onError: (e) => codes.push(e.code) });
    const events = await firstValueFrom(analyzer.analyze(from(frames), analyzerContext('cam-t')).pipe(toArray()));
    expect(codes).toEqual(['ANALYZER_BAD_FRAME']);
    expect(tampers(events)).toEqual([
      ['black', 'start'],
      ['black', 'end'],
    ]);
  });
});
