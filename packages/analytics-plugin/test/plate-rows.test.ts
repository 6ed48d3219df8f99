import { describe, expect, it } from 'vitest';
import { type OrientedBox, boundsOf, orientedBoxOf, warpStrip } from '../src/oriented-box.js';
import { looksLikeTwoRows, splitRows, stackedRows } from '../src/plate-rows.js';

const deg = (d: number): number => (d * Math.PI) / 180;

/** Moments of the pixels of a filled rectangle `length`×`thickness` centred at (cx, cy), rotated by `angle`. */
function rectangleMoments(cx: number, cy: number, length: number, thickness: number, angle: number) {
  const m = { n: 0, sx: 0, sy: 0, sxx: 0, syy: 0, sxy: 0 };
  for (let u = -length / 2 + 0.5; u < length / 2; u += 1) {
    for (let v = -thickness / 2 + 0.5; v < thickness / 2; v += 1) {
      const x = cx + u * Math.cos(angle) - v * Math.sin(angle);
      const y = cy + u * Math.sin(angle) + v * Math.cos(angle);
      m.n += 1;
      m.sx += x;
      m.sy += y;
      m.sxx += x * x;
      m.syy += y * y;
      m.sxy += x * y;
    }
  }
  return m;
}

const line = (text: string, box: OrientedBox) => ({ text, confidence: 1, box });

describe('oriented text boxes', () => {
  it.each([0, 12, -12, 30])('recovers centre, extents and a tilt of %d° from the pixels of a text line', (d) => {
    const box = orientedBoxOf(rectangleMoments(100, 50, 80, 20, deg(d)));
    expect(box.cx).toBeCloseTo(100, 0);
    expect(box.cy).toBeCloseTo(50, 0);
    expect(box.length).toBeCloseTo(80, 0);
    expect(box.thickness).toBeCloseTo(20, 0);
    expect(box.angle).toBeCloseTo(deg(d), 2);
  });

  it('reads a blob taller than wide (one character) as upright', () => {
    expect(orientedBoxOf(rectangleMoments(10, 10, 8, 20, 0)).angle).toBe(0);
  });

  it('rectifies a tilted box into an upright strip', () => {
    // A 60×20 image, black with a white 40×8 bar tilted by 12° around (30, 10).
    const width = 60;
    const height = 20;
    const rgb = new Uint8Array(width * height * 3);
    const angle = deg(12);
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        const u = (x + 0.5 - 30) * Math.cos(angle) + (y + 0.5 - 10) * Math.sin(angle);
        const v = -(x + 0.5 - 30) * Math.sin(angle) + (y + 0.5 - 10) * Math.cos(angle);
        if (Math.abs(u) < 20 && Math.abs(v) < 4) rgb.fill(255, (y * width + x) * 3, (y * width + x) * 3 + 3);
      }
    }
    const strip = warpStrip(rgb, width, height, { cx: 30, cy: 10, length: 36, thickness: 6, angle }, 12, 100);
    expect(strip.width).toBe(72);
    // Inside the bar everywhere once upright.
    let dark = 0;
    for (let i = 0; i < strip.data.length; i += 3) if ((strip.data[i] as number) < 128) dark += 1;
    expect(dark).toBeLessThan(strip.data.length / 3 / 20);
  });
});

describe('row pairing of two-row plates', () => {
  // A motorbike plate tilted by 12°: two rows 40 px long, 16 px thick (margin included), 13 px apart
  // centre to centre — their axis-aligned boxes overlap.
  const angle = deg(12);
  const rowsAt = (a: number) => {
    const nx = -Math.sin(a);
    const ny = Math.cos(a);
    return [line('29-B1', { cx: 200 - 6.5 * nx, cy: 100 - 6.5 * ny, length: 40, thickness: 16, angle: a }), line('123.45', { cx: 200 + 6.5 * nx, cy: 100 + 6.5 * ny, length: 42, thickness: 16, angle: a })];
  };

  it('pairs the rows of a tilted plate although their axis-aligned boxes overlap', () => {
    const [top, bottom] = rowsAt(angle);
    const a = boundsOf(top!.box);
    const b = boundsOf(bottom!.box);
    expect(a.y + a.height).toBeGreaterThan(b.y + 0.3 * b.height);
    expect(stackedRows([bottom!, top!]).map(([t, u]) => [t.text, u.text])).toEqual([['29-B1', '123.45']]);
    const [flatTop, flatBottom] = rowsAt(-angle);
    expect(stackedRows([flatTop!, flatBottom!]).map(([t, u]) => [t.text, u.text])).toEqual([['29-B1', '123.45']]);
  });

  it('does not pair lines side by side, far apart, or at different angles', () => {
    const left = line('30A', { cx: 100, cy: 100, length: 40, thickness: 16, angle: 0 });
    expect(stackedRows([left, line('123.45', { cx: 150, cy: 100, length: 40, thickness: 16, angle: 0 })])).toEqual([]);
    expect(stackedRows([left, line('123.45', { cx: 100, cy: 160, length: 40, thickness: 16, angle: 0 })])).toEqual([]);
    expect(stackedRows([left, line('123.45', { cx: 100, cy: 114, length: 40, thickness: 16, angle: deg(25) })])).toEqual([]);
  });

  it('splits a block shaped like both rows into a top and a bottom row', () => {
    const block: OrientedBox = { cx: 50, cy: 50, length: 40, thickness: 30, angle: deg(10) };
    expect(looksLikeTwoRows(block)).toBe(true);
    expect(looksLikeTwoRows({ ...block, length: 150 })).toBe(false);
    const [top, bottom] = splitRows(block);
    expect(top.cy).toBeLessThan(bottom.cy);
    expect(top.thickness).toBeLessThan(block.thickness * 0.6);
    expect(stackedRows([line('a', bottom), line('b', top)]).map(([t]) => t.text)).toEqual(['b']);
  });
});
