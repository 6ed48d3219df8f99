import { createMemoryStorage } from '@wardwatch/core';
import { describe, expect, it } from 'vitest';
import { compassPoint, compassPointVi, distanceMeters, initialBearing } from '../src/bearing.js';
import { trackPlate } from '../src/track-plate.js';
import { cameraSpec } from './helpers.js';

const T0 = Date.UTC(2026, 10, 23, 1, 0, 0);

describe('bearing', () => {
  it('computes bearings, distances and compass words', () => {
    expect(initialBearing({ lat: 0, lon: 0 }, { lat: 1, lon: 0 })).toBeCloseTo(0, 6);
    expect(initialBearing({ lat: 0, lon: 0 }, { lat: 0, lon: 1 })).toBeCloseTo(90, 6);
    expect(initialBearing({ lat: 0, lon: 0 }, { lat: -1, lon: 0 })).toBeCloseTo(180, 6);
    expect(initialBearing({ lat: 0, lon: 0 }, { lat: 0, lon: -1 })).toBeCloseTo(270, 6);
    // Hà Nội → TP. Hồ Chí Minh is roughly south-south-east, about 1,140 km.
    const b = initialBearing({ lat: 21.0285, lon: 105.8542 }, { lat: 10.7769, lon: 106.7009 });
    expect(compassPoint(b)).toBe('S');
    expect(distanceMeters({ lat: 21.0285, lon: 105.8542 }, { lat: 10.7769, lon: 106.7009 }) / 1000).toBeGreaterThan(1130);
    expect(distanceMeters({ lat: 21.0285, lon: 105.8542 }, { lat: 10.7769, lon: 106.7009 }) / 1000).toBeLessThan(1150);
    expect([0, 22.5, 45, 67.5, 90, 180, 270, 337.5, 359].map((d) => compassPoint(d))).toEqual(['N', 'NNE', 'NE', 'ENE', 'E', 'S', 'W', 'NNW', 'N']);
    expect([0, 44, 90, 135, 180, 225, 270, 315].map((d) => compassPoint(d, 8))).toEqual(['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW']);
    expect([0, 45, 90, 135, 180, 225, 270, 315].map(compassPointVi)).toEqual(['Bắc', 'Đông Bắc', 'Đông', 'Đông Nam', 'Nam', 'Tây Nam', 'Tây', 'Tây Bắc']);
  });
});

describe('trackPlate', () => {
  async function station() {
    const storage = createMemoryStorage();
    await storage.cameras.put(cameraSpec('cam-a', 21.0285, 105.85));
    await storage.cameras.put(cameraSpec('cam-b', 21.0285, 105.853));
    await storage.cameras.put(cameraSpec('cam-c', 21.03, 105.856));
    const plate = (cameraId: string, at: number, text: string, confidence = 0.9) =>
      ({ type: 'plate', at, cameraId, plate: text, raw: text, confidence }) as const;
    await storage.events.appendMany([
      plate('cam-a', T0, '30A-123.45'),
      plate('cam-a', T0 + 2_000, '30A-123.45', 0.97),
      plate('cam-b', T0 + 30_000, '51F-111.22'),
      plate('cam-b', T0 + 40_000, '30A-123.45'),
      plate('cam-c', T0 + 95_000, '30A-123.45'),
      plate('cam-a', T0 + 7_200_000, '30A-123.45'),
    ]);
    return storage;
  }

  it('orders the sightings A → B → C and gives the direction of travel of each leg', async () => {
    const storage = await station();
    const track = await trackPlate(storage, '30a 12345', { from: T0 - 1000, to: T0 + 3_600_000 });
    expect(track.plate).toBe('30A-123.45');
    expect(track.sightings.map((s) => [s.cameraId, s.at])).toEqual([
      ['cam-a', T0],
      ['cam-b', T0 + 40_000],
      ['cam-c', T0 + 95_000],
    ]);
    expect(track.sightings[0]!.lastAt).toBe(T0 + 2_000);
    expect(track.sightings[0]!.confidence).toBe(0.97);
    expect(track.sightings[0]!.eventIds).toHaveLength(2);
    expect(track.sightings[0]!.cameraName).toBe('Camera cam-a');
    const [ab, bc] = track.legs;
    expect(ab).toMatchObject({ from: 'cam-a', to: 'cam-b', seconds: 38, compass: 'E', compassVi: 'Đông' });
    expect(ab!.bearing).toBeCloseTo(90, 0);
    expect(ab!.meters).toBeGreaterThan(300);
    expect(ab!.meters).toBeLessThan(320);
    expect(ab!.speedKmh).toBeCloseTo((ab!.meters! / 38) * 3.6, 6);
    expect(bc).toMatchObject({ from: 'cam-b', to: 'cam-c', compass: 'ENE', compassVi: 'Đông Bắc' });
    expect(bc!.bearing).toBeGreaterThan(55);
    expect(bc!.bearing).toBeLessThan(66);
    expect(track.overall).toMatchObject({ from: 'cam-a', to: 'cam-c', compass: 'ENE' });
  });

  it('returns an empty track for a plate never seen, and rejects invalid input', async () => {
    const storage = await station();
    const empty = await trackPlate(storage, '29-B1 123.45', { from: T0, to: T0 + 60_000 });
    expect(empty.sightings).toEqual([]);
    expect(empty.legs).toEqual([]);
    expect(empty.overall).toBeUndefined();
    await expect(trackPlate(storage, 'not a plate', { from: T0, to: T0 + 1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(trackPlate(storage, '30A-123.45', { from: T0 + 1, to: T0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('uses position overrides and leaves the bearing out when a position is unknown', async () => {
    const storage = await station();
    await storage.cameras.delete('cam-c');
    const track = await trackPlate(storage, '30A-123.45', { from: T0, to: T0 + 100_000 });
    expect(track.legs[1]!.bearing).toBeUndefined();
    expect(track.legs[1]!.seconds).toBe(55);
    const withOverride = await trackPlate(storage, '30A-123.45', { from: T0, to: T0 + 100_000 }, { positions: { 'cam-c': { lat: 21.02, lon: 105.853 } } });
    expect(withOverride.legs[1]!.compass).toBe('S');
    expect(withOverride.legs[1]!.compassVi).toBe('Nam');
  });
});
