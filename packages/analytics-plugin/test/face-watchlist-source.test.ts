import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage, createStation } from '@wardwatch/core';
import { createFaceEngine, createFaceWatchlist, faceEmbeddingsFromPhoto } from '@wardwatch/analytics-plugin';
import { renderPng } from './ffmpeg.js';
import { facePng } from './faces.js';
import { carPlateGraph } from './plates.js';

describe('face watchlist fed by the station’s persisted watchlist', () => {
  it('matches persisted entries, follows their changes and expiry, and keeps its own enrolled ones', async () => {
    const clock = new VirtualTimeScheduler();
    clock.frame = 1_700_000_000_000;
    const station = createStation({ storage: createMemoryStorage(), clock });
    await station.start();
    const watchlist = createFaceWatchlist({ clock, entries: () => station.watchlists.faces() });
    const a = [0.1, 0.2, 0.3, 0.4];
    const probe = Float32Array.from(a);
    expect(watchlist.match(probe, 'cam-a')).toBeUndefined();
    await station.watchlists.add({ id: 'wl-a', kind: 'face', label: 'Nguyễn Văn A', reason: 'truy nã', embeddings: [a], cameras: ['cam-a'], expiresAt: clock.now() + 60_000 }, 'officer-lan');
    expect(watchlist.match(probe, 'cam-a')).toEqual({ entryId: 'wl-a', label: 'Nguyễn Văn A', similarity: 1 });
    expect(watchlist.match(probe, 'cam-b')).toBeUndefined();
    await watchlist.enrol({ id: 'local', label: 'Local', embeddings: [Float32Array.from([10, 10, 10, 10])] });
    expect(watchlist.match(Float32Array.from([10, 10, 10, 10]))?.entryId).toBe('local');
    clock.schedule(() => undefined, 60_000);
    clock.flush();
    expect(watchlist.match(probe, 'cam-a')).toBeUndefined();
    await station.stop();
  });
});

describe('enrolling a persisted face entry from an uploaded photo', () => {
  it('gives the largest face’s descriptor, which then matches another photo of the person; bad photos get coded errors', async () => {
    const engine = await createFaceEngine();
    const station = createStation({ storage: createMemoryStorage() });
    await station.start();
    const embeddings = await faceEmbeddingsFromPhoto(engine, await facePng('personA'));
    expect(embeddings).toHaveLength(1);
    expect(embeddings[0]).toHaveLength(1024);
    await station.watchlists.add({ id: 'wl-a', kind: 'face', label: 'A', reason: 'truy nã', embeddings }, 'officer-lan');
    const watchlist = createFaceWatchlist({ entries: () => station.watchlists.faces() });
    const [other] = await engine.detect(await facePng('personAOther'));
    const [stranger] = await engine.detect(await facePng('personB'));
    expect(watchlist.match(other!.embedding)?.entryId).toBe('wl-a');
    expect(watchlist.match(stranger!.embedding)).toBeUndefined();
    const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (error: { code?: string }) => error.code);
    expect(await codeOf(faceEmbeddingsFromPhoto(engine, await facePng('personA'), { maxBytes: 100 }))).toBe('PAYLOAD_TOO_LARGE');
    expect(await codeOf(faceEmbeddingsFromPhoto(engine, new TextEncoder().encode('GIF89a not a photo')))).toBe('IMAGE_DECODE_FAILED');
    expect(await codeOf(faceEmbeddingsFromPhoto(engine, await renderPng(carPlateGraph('30A-123.45'))))).toBe('INVALID_ARGUMENT');
    await station.stop();
  });
});
