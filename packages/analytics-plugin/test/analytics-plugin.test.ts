import { createMemoryStorage, createStation, definePlugin } from '@wardwatch/core';
import { firstValueFrom, from, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { analyticsPlugin } from '../src/analytics-plugin.js';
import { createMotionAnalyzer } from '../src/motion-analyzer.js';
import { renderRaw } from './ffmpeg.js';
import { analyzerContext } from './helpers.js';
import { carPlateGraph } from './plates.js';

describe('analyticsPlugin', () => {
  it('registers the motion, tamper, plates and faces analyzers with a station', async () => {
    const station = createStation({ storage: createMemoryStorage(), plugins: [analyticsPlugin()] });
    expect([...station.analyzers.keys()].sort()).toEqual(['faces', 'motion', 'plates', 'tamper']);
    expect(station.analyzers.get('plates')?.frameOptions).toMatchObject({ width: 640, height: 360, format: 'rgb' });
    expect(station.analyzers.get('motion')?.frameOptions).toMatchObject({ width: 320, height: 180, fps: 5, format: 'gray' });
  });

  it('leaves out analyzers set to false and takes station-wide options', () => {
    const plugin = analyticsPlugin({ faces: false, plates: false, motion: { sensitivity: 0.8, frameOptions: { fps: 3 } } });
    expect(plugin.name).toBe('analytics');
    expect(plugin.analyzers.map((a) => a.name)).toEqual(['motion', 'tamper']);
    expect(plugin.analyzers[0]?.frameOptions?.fps).toBe(3);
  });

  it('fails with a coded error when an analyzer name is already taken, or a requirement is missing', () => {
    expect(() => createStation({ storage: createMemoryStorage(), analyzers: [createMotionAnalyzer()], plugins: [analyticsPlugin()] })).toThrow(
      expect.objectContaining({ code: 'PLUGIN_DUPLICATE' }),
    );
    const needsAnalytics = definePlugin({ name: 'crowd', requires: ['analytics'], setup: () => undefined });
    expect(() => createStation({ storage: createMemoryStorage(), plugins: [needsAnalytics, analyticsPlugin()] })).toThrow(
      expect.objectContaining({ code: 'PLUGIN_MISSING_REQUIREMENT' }),
    );
    expect(() => createStation({ storage: createMemoryStorage(), plugins: [analyticsPlugin(), needsAnalytics] })).not.toThrow();
  });

  it('creates its plate reader on first use and releases it when the station stops', async () => {
    const codes: string[] = [];
    const plugin = analyticsPlugin({ faces: false, plates: { motion: false, onError: (e) => codes.push(e.code) } });
    const station = createStation({ storage: createMemoryStorage(), plugins: [plugin] });
    await station.start();
    const plates = plugin.analyzers.find((a) => a.name === 'plates')!;
    const [data] = await renderRaw(carPlateGraph('30A-123.45'), 480, 270, 1, 'rgb');
    const frame = { cameraId: 'cam-1', at: 1_000, width: 480, height: 270, format: 'rgb' as const, data: data! };
    const before = await firstValueFrom(plates.analyze(from([frame]), analyzerContext('cam-1')).pipe(toArray()));
    expect(before.map((e) => (e.type === 'plate' ? e.plate : e.type))).toEqual(['30A-123.45']);
    await station.stop();
    const after = await firstValueFrom(plates.analyze(from([frame]), analyzerContext('cam-1')).pipe(toArray()));
    expect(after).toEqual([]);
    expect(codes).toEqual(['INVALID_STATE']);
  });
});
