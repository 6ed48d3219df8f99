import { beforeAll, describe, expect, it } from 'vitest';
import { type PlateReader, createPlateReader } from '../src/plate-reader.js';
import { type Degradation, type PlateClass, plateSample, renderPlateFrame } from './plate-images.js';

// The reader on plates rendered by test/plate-images.ts (a small subset of the bench's set): real OCR, no mocks.
let reader: PlateReader;

beforeAll(async () => {
  reader = await createPlateReader({ crops: false });
});

async function read(plateClass: PlateClass, rows: string[], expected: string, height: number, degradation: Degradation, useRoi = false) {
  const { frame, plateBox } = await renderPlateFrame(plateSample(plateClass, rows, expected, height, degradation, 11));
  // As the plate analyzer runs: only the moving area around the vehicle is searched.
  const roi = { x: Math.max(0, plateBox.x - plateBox.width), y: Math.max(0, plateBox.y - plateBox.height), width: plateBox.width * 3, height: plateBox.height * 3 };
  return { reads: await reader.read(frame, useRoi ? { roi } : {}), plateBox };
}

describe('plate reader on rendered plates', () => {
  it.each([
    ['tilt+12', '29-B1', '123.45', '29-B1 123.45'],
    ['tilt-12', '59-HA', '002.33', '59-HA 002.33'],
  ] as const)('pairs the rows of a two-row motorbike plate tilted %s at 40 px', async (degradation, top, bottom, plate) => {
    const { reads, plateBox } = await read('bike-2row', [top, bottom], plate, 40, degradation);
    expect(reads.map((r) => r.plate)).toEqual([plate]);
    expect(reads[0]!.parsed).toMatchObject({ kind: 'motorbike', layout: 'motorbike', rows: 2 });
    // The box covers both rows: it holds the plate's centre.
    const box = reads[0]!.box;
    expect(box.x).toBeLessThan(plateBox.x + plateBox.width / 2);
    expect(box.x + box.width).toBeGreaterThan(plateBox.x + plateBox.width / 2);
    expect(box.y).toBeLessThan(plateBox.y + plateBox.height * 0.3);
    expect(box.y + box.height).toBeGreaterThan(plateBox.y + plateBox.height * 0.7);
  });

  it('reads a two-row motorbike plate 25 px high in a whole 640×360 frame (a magnified second look)', async () => {
    const { reads } = await read('bike-2row', ['30-K5', '678.90'], '30-K5 678.90', 25, 'clean');
    expect(reads.map((r) => r.plate)).toEqual(['30-K5 678.90']);
  });

  it('reads a two-row motorbike plate 25 px high in the moving area', async () => {
    const { reads } = await read('bike-2row', ['88-X3', '677.06'], '88-X3 677.06', 25, 'tilt+12', true);
    expect(reads.map((r) => r.plate)).toEqual(['88-X3 677.06']);
  });

  it('reads a square two-row car plate (30A over 123.45) as the car, not as a motorbike', async () => {
    const { reads } = await read('car-square', ['30A', '123.45'], '30A-123.45', 60, 'clean');
    expect(reads.map((r) => r.plate)).toEqual(['30A-123.45']);
    expect(reads[0]!.parsed).toMatchObject({ kind: 'car', layout: 'square', rows: 2, series: 'A', number: '12345' });
  });

  it('reads a one-row car plate tilted by 12°', async () => {
    const { reads } = await read('car-1row', ['51F-678.90'], '51F-678.90', 40, 'tilt+12');
    expect(reads.map((r) => r.plate)).toEqual(['51F-678.90']);
  });

  it('gives no read for a plate with a character missing rather than another plate (37-220.36 is not 37Z-2036)', async () => {
    const { reads } = await read('car-1row', ['37-220.36'], '', 60, 'clean');
    expect(reads).toEqual([]);
  });
});
