import type { Detection, Frame } from '@wardwatch/core';
import { VirtualTimeScheduler, firstValueFrom, from, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFaceAnalyzer } from '../src/face-analyzer.js';
import { type FaceEngine, createFaceEngine } from '../src/face-engine.js';
import { createFaceWatchlist, faceSimilarity } from '../src/face-watchlist.js';
import { renderPng } from './ffmpeg.js';
import { faceFrame, facePng } from './faces.js';
import { analyzerContext } from './helpers.js';
import { carPlateGraph } from './plates.js';

let engine: FaceEngine;
const T0 = 1_700_000_000_000;

beforeAll(async () => {
  engine = await createFaceEngine();
});

describe('face engine (human models on TensorFlow.js WASM, offline)', () => {
  it('detects one face with a 1024-number descriptor per photo', async () => {
    for (const name of ['personA', 'personAOther', 'personB', 'personC'] as const) {
      const faces = await engine.detect(await facePng(name));
      expect(faces.length, name).toBeGreaterThanOrEqual(1);
      const face = faces.sort((a, b) => b.sizePx - a.sizePx)[0]!;
      expect(face.embedding.length).toBe(1024);
      expect(face.confidence).toBeGreaterThan(0.5);
      expect(face.box.width).toBeGreaterThan(0.3);
    }
  });

  it('finds the face where it is in a frame', async () => {
    const frame = await faceFrame('personAOther', 'c', T0, 400, 200);
    const [face] = await engine.detect(frame);
    expect(face).toBeDefined();
    // Pasted at 400..508 × 200..300 of 640×360.
    expect(face!.box.x).toBeGreaterThan(0.6);
    expect(face!.box.x + face!.box.width).toBeLessThan(0.82);
    expect(face!.box.y).toBeGreaterThan(0.5);
  });

  it('rejects corrupt images and missing models with coded errors', async () => {
    await expect(engine.detect(new Uint8Array([1, 2, 3, 4]))).rejects.toMatchObject({ code: 'IMAGE_DECODE_FAILED' });
    await expect(engine.detect({ cameraId: 'c', at: 1, width: 4, height: 4, format: 'rgb', data: new Uint8Array(3) } as Frame)).rejects.toMatchObject({
      code: 'ANALYZER_BAD_FRAME',
    });
    await expect(createFaceEngine({ modelPath: '/nonexistent/models' })).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
  });
});

describe('face watchlist', () => {
  it('enrols a face from one photo, matches it in another photo, and not different faces', async () => {
    const watchlist = createFaceWatchlist({ engine });
    const entry = await watchlist.enrol({ id: 'suspect-1', label: 'Đối tượng A', images: [await facePng('personA')] });
    expect(entry.embeddings).toHaveLength(1);
    const [other] = await engine.detect(await facePng('personAOther'));
    const match = watchlist.match(other!.embedding);
    expect(match).toMatchObject({ entryId: 'suspect-1', label: 'Đối tượng A' });
    expect(match!.similarity).toBeGreaterThanOrEqual(0.45);
    for (const name of ['personB', 'personC'] as const) {
      const faces = await engine.detect(await facePng(name));
      const face = faces.sort((a, b) => b.sizePx - a.sizePx)[0]!;
      expect(watchlist.match(face.embedding), name).toBeUndefined();
      expect(faceSimilarity(face.embedding, entry.embeddings[0]!)).toBeLessThan(match!.similarity);
    }
    expect(watchlist.remove('suspect-1')).toBe(true);
    expect(watchlist.match(other!.embedding)).toBeUndefined();
    expect(watchlist.remove('suspect-1')).toBe(false);
  });

  it('expires entries on the injected clock and scopes them to cameras', async () => {
    const clock = new VirtualTimeScheduler();
    const watchlist = createFaceWatchlist({ clock });
    const [face] = await engine.detect(await facePng('personA'));
    await watchlist.enrol({ id: 'e1', label: 'A', embeddings: [face!.embedding], expiresAt: 5_000, cameras: ['cam-1'] });
    expect(watchlist.match(face!.embedding, 'cam-1')?.entryId).toBe('e1');
    expect(watchlist.match(face!.embedding, 'cam-2')).toBeUndefined();
    clock.schedule(() => undefined, 5_000);
    clock.flush();
    expect(clock.now()).toBe(5_000);
    expect(watchlist.match(face!.embedding, 'cam-1')).toBeUndefined();
    expect(watchlist.list()).toEqual([]);
    expect(watchlist.purgeExpired()).toBe(1);
    await expect(watchlist.enrol({ label: 'late', embeddings: [face!.embedding], expiresAt: 1_000 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses an enrolment image without a face', async () => {
    const watchlist = createFaceWatchlist({ engine });
    await expect(watchlist.enrol({ label: 'x', images: [await renderPng(carPlateGraph('30A-123.45'))] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('face analyzer', () => {
  async function run(frames: Frame[], options: Parameters<typeof createFaceAnalyzer>[0], cameraOptions: Record<string, unknown> = {}): Promise<Detection[]> {
    const analyzer = createFaceAnalyzer({ faceEngine: engine, ...options });
    return firstValueFrom(analyzer.analyze(from(frames), analyzerContext('cam-f', cameraOptions)).pipe(toArray()));
  }

  it('matches watchlist faces only on cameras that opt in', async () => {
    const watchlist = createFaceWatchlist({ engine });
    await watchlist.enrol({ id: 's1', label: 'Đối tượng A', images: [await facePng('personA')] });
    const frames = [await faceFrame('personAOther', 'cam-f', T0)];
    const optedIn = await run(frames, { watchlist, motion: false }, { matchWatchlist: true });
    expect(optedIn).toHaveLength(1);
    expect(optedIn[0]).toMatchObject({ type: 'face', cameraId: 'cam-f', at: T0, match: { entryId: 's1', label: 'Đối tượng A' } });
    const notOptedIn = await run(frames, { watchlist, motion: false });
    expect(notOptedIn).toHaveLength(1);
    expect(notOptedIn[0]).not.toHaveProperty('match');
    const stranger = await run([await faceFrame('personB', 'cam-f', T0)], { watchlist, motion: false, emit: 'matches' }, { matchWatchlist: true });
    expect(stranger).toEqual([]);
  });

  it('analyses only frames with motion and reports the same face once per repeat window', async () => {
    const still = await faceFrame('personC', 'cam-f', T0, 100, 100);
    const stillFrames = [0, 1, 2].map((i) => ({ ...still, at: T0 + i * 500 }));
    expect(await run(stillFrames, {})).toEqual([]);
    // The face walks across: the first frame is the background the motion gate learns.
    const walking = [
      { ...(await faceFrame('personC', 'cam-f', T0, 100, 100)), at: T0 },
      { ...(await faceFrame('personC', 'cam-f', T0, 200, 110)), at: T0 + 500 },
      { ...(await faceFrame('personC', 'cam-f', T0, 300, 120)), at: T0 + 1000 },
    ];
    const events = await run(walking, {});
    expect(events.filter((e) => e.type === 'face')).toHaveLength(1);
  });
});
