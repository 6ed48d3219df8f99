import { createMemoryStorage, createStation, definePlugin } from '@wardwatch/core';
import { describe, expect, it } from 'vitest';
import { analyticsPlugin } from '../src/analytics-plugin.js';
import { createMotionAnalyzer } from '../src/motion-analyzer.js';

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
});
