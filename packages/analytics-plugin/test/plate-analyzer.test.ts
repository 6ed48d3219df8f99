import type { Detection, Frame, StationEventOf } from '@wardwatch/core';
import { firstValueFrom, from, toArray } from 'rxjs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPlateAnalyzer } from '../src/plate-analyzer.js';
import { type PlateReader, createPlateReader } from '../src/plate-reader.js';
import { renderRaw } from './ffmpeg.js';
import { analyzerContext, recordingLogger } from './helpers.js';
import { passingCarGraph } from './plates.js';

const T0 = 1_700_000_000_000;
let reader: PlateReader;
let frames: Frame[];

/** A reader that counts OCR calls. */
function counting(inner: PlateReader): PlateReader & { calls: number } {
  const r = {
    calls: 0,
    lines: inner.lines,
    close: inner.close,
    read: async (image: Parameters<PlateReader['read']>[0], options?: Parameters<PlateReader['read']>[1]) => {
      r.calls += 1;
      return inner.read(image, options);
    },
  };
  return r;
}

beforeAll(async () => {
  reader = await createPlateReader();
  // 2 fps: 4 frames of empty street, then a car (51G-246.80) crossing for 6 frames.
  const raw = await renderRaw(passingCarGraph('51G-246.80', 2, 60), 640, 360, 10, 'rgb');
  frames = raw.map((data, i) => ({ cameraId: 'cam-p', at: T0 + i * 500, width: 640, height: 360, format: 'rgb' as const, data }));
});

async function run(analyzerFrames: Frame[], r: PlateReader, options: Parameters<typeof createPlateAnalyzer>[0] = {}, cameraOptions = {}): Promise<Detection[]> {
  const analyzer = createPlateAnalyzer({ plateReader: r, ...options });
  return firstValueFrom(analyzer.analyze(from(analyzerFrames), analyzerContext('cam-p', cameraOptions)).pipe(toArray()));
}

describe('plate analyzer', () => {
  it('reads a passing car once per sighting, only on frames with motion', async () => {
    const r = counting(reader);
    const events = await run(frames, r);
    const plates = events.filter((e): e is StationEventOf<'plate'> => e.type === 'plate');
    expect(plates.map((p) => p.plate)).toEqual(['51G-246.80']);
    const p = plates[0]!;
    expect(p.cameraId).toBe('cam-p');
    expect(p.province).toBe('TP. Hồ Chí Minh');
    expect(p.kind).toBe('car');
    expect(p.confidence).toBeGreaterThan(0.8);
    // First seen when the car entered (frame 4 at T0 + 2 s), not before.
    expect(p.at).toBeGreaterThanOrEqual(T0 + 2000);
    const crop = await sharp(Buffer.from(p.cropJpeg!, 'base64')).metadata();
    expect(crop.format).toBe('jpeg');
    // The empty street frames were not OCR'd.
    expect(r.calls).toBeLessThanOrEqual(6);
    expect(r.calls).toBeGreaterThanOrEqual(2);
  });

  it('reads nothing while nothing moves, and a still plate when the gate is off', async () => {
    const still = Array.from({ length: 4 }, (_, i) => ({ ...frames[6]!, at: T0 + i * 500 }));
    const gated = counting(reader);
    expect(await run(still, gated)).toEqual([]);
    expect(gated.calls).toBe(0);
    const ungated = counting(reader);
    const events = await run(still, ungated, { motion: false });
    expect(events.map((e) => (e.type === 'plate' ? e.plate : e.type))).toEqual(['51G-246.80']);
    expect(ungated.calls).toBeGreaterThanOrEqual(1);
  });

  it('makes two sightings when the same plate passes twice, further apart than the merge window', async () => {
    const still = frames.slice(6, 7);
    const twice = [
      { ...still[0]!, at: T0 },
      { ...still[0]!, at: T0 + 10_000 },
    ];
    const events = await run(twice, reader, { motion: false, mergeWindowMs: 4000 });
    expect(events.map((e) => [e.type === 'plate' && e.plate, e.at])).toEqual([
      ['51G-246.80', T0],
      ['51G-246.80', T0 + 10_000],
    ]);
  });

  it('rejects corrupt frames and keeps reading', async () => {
    const codes: string[] = [];
    const bad = { ...frames[6]!, data: new Uint8Array(3) };
    const events = await run([bad, { ...frames[6]!, at: T0 + 500 }], reader, { motion: false, onError: (e) => codes.push(e.code) });
    expect(codes).toEqual(['ANALYZER_BAD_FRAME']);
    expect(events.map((e) => (e.type === 'plate' ? e.plate : ''))).toEqual(['51G-246.80']);
  });

  it('reports MODEL_NOT_FOUND once and does not crash when the models are missing', async () => {
    const codes: string[] = [];
    const logger = recordingLogger();
    const analyzer = createPlateAnalyzer({
      reader: { models: { detectionPath: '/missing/det.onnx', recognitionPath: '/missing/rec.onnx', dictionaryPath: '/missing/k.txt' } },
      motion: false,
      onError: (e) => codes.push(e.code),
    });
    const events = await firstValueFrom(analyzer.analyze(from(frames.slice(4, 8)), analyzerContext('cam-p', {}, logger)).pipe(toArray()));
    expect(events).toEqual([]);
    expect(codes).toEqual(['MODEL_NOT_FOUND']);
  });
});
