import { describe, expect, it } from 'vitest';
import { findHoles, type TimedFragment } from '../src/clip-holes.js';

/** A fragment of `count` frames of `frameMs` each (timescale 1000), plus any extra frame durations. */
function fragment(input: number, startMs: number, count: number, frameMs: number, extra: number[] = []): TimedFragment {
  return { input, startMs, samples: [...Array.from({ length: count }, () => ({ duration: frameMs })), ...extra.map((duration) => ({ duration }))] };
}

describe('findHoles (media a clip\'s segment files should hold but do not)', () => {
  const files = [{ start: 0, end: 4000 }, { start: 4000, end: 8000 }, { start: 8000, end: 12_000 }];

  it('finds nothing in whole files, at 25 fps or at 1 fps', () => {
    const at25 = [0, 1, 2].flatMap((i) => [0, 1, 2, 3].map((g) => fragment(i, i * 4000 + g * 1000, 25, 40)));
    expect(findHoles(at25, files, { from: 0, to: 12_000 }, 1000)).toEqual([]);
    const at1 = [0, 1, 2].flatMap((i) => [0, 2].map((g) => fragment(i, i * 4000 + g * 1000, 2, 1000)));
    expect(findHoles(at1, files, { from: 0, to: 12_000 }, 1000)).toEqual([]);
  });

  it('reports a file with no readable fragment, and a clip that starts inside a lost tail', () => {
    const ends = [0, 1, 2, 3].map((g) => fragment(0, g * 1000, 25, 40)).concat([0, 1, 2, 3].map((g) => fragment(2, 8000 + g * 1000, 25, 40)));
    expect(findHoles(ends, files, { from: 0, to: 12_000 }, 1000)).toEqual([{ from: 4000, to: 8000 }]);
    // the first file holds only its first second; the clip asks from 2.5 s
    const cut = [fragment(0, 0, 25, 40), ...[0, 1, 2, 3].map((g) => fragment(1, 4000 + g * 1000, 25, 40))];
    expect(findHoles(cut, files.slice(0, 2), { from: 2500, to: 8000 }, 1000)).toEqual([{ from: 2500, to: 4000 }]);
  });

  it('lets a last frame without duration cover its fragment\'s frame time, so a camera slowed to 1 fps shows no hole', () => {
    // 25 fps for 3 s, then a fragment at 1 fps whose last frame (the file's last) has no duration
    const vfr = [0, 1, 2].map((g) => fragment(0, g * 1000, 25, 40)).concat([fragment(0, 3000, 1, 1000, [0])]);
    expect(findHoles(vfr, [{ start: 0, end: 5000 }], { from: 0, to: 5000 }, 1000)).toEqual([]);
  });

  it('reports a stall (one frame lasting seconds) as a hole after that frame', () => {
    const stalled = [fragment(0, 0, 24, 40, [3040]), fragment(0, 4000, 25, 40)];
    expect(findHoles(stalled, [{ start: 0, end: 5000 }], { from: 0, to: 5000 }, 1000)).toEqual([{ from: 1000, to: 4000 }]);
  });

  it('ignores time between files and outside the range', () => {
    const split = [fragment(0, 0, 25, 40), fragment(1, 3000, 25, 40)];
    expect(findHoles(split, [{ start: 0, end: 1000 }, { start: 3000, end: 4000 }], { from: 0, to: 4000 }, 1000)).toEqual([]);
    expect(findHoles([fragment(0, 0, 25, 40)], [{ start: 0, end: 4000 }], { from: 0, to: 1200 }, 1000)).toEqual([]);
  });
});
