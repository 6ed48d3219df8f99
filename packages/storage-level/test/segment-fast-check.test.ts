import { SegmentSchema } from '@wardwatch/core';
import { storageFixtures } from '@wardwatch/core/testing';
import { describe, expect, it } from 'vitest';
import { fastCheckSegment } from '../src/segment-fast-check.js';

const { makeSegment, T0 } = storageFixtures;

describe('fastCheckSegment', () => {
  it('accepts exactly what SegmentSchema accepts, returning the same fields', () => {
    const base = makeSegment('cam-a', T0);
    const variants: unknown[] = [
      base,
      { ...base, extra: 'dropped' },
      { ...base, cameraId: 'a'.repeat(64) },
      { ...base, cameraId: 'a'.repeat(65) },
      { ...base, cameraId: 'cam..a' },
      { ...base, cameraId: '-cam' },
      { ...base, cameraId: 'cam!a' },
      { ...base, cameraId: 7 },
      { ...base, start: -1 },
      { ...base, start: 1.5 },
      { ...base, start: Number.NaN },
      { ...base, start: Number.POSITIVE_INFINITY },
      { ...base, start: 2 ** 53 },
      { ...base, end: base.start - 1 },
      { ...base, end: base.start },
      { ...base, end: '1' },
      { ...base, bytes: -1 },
      { ...base, bytes: 0 },
      { ...base, bytes: 0.5 },
      { ...base, path: '' },
      { ...base, path: 'p'.repeat(1024) },
      { ...base, path: 'p'.repeat(1025) },
      { ...base, codec: '' },
      { ...base, codec: 'c'.repeat(65) },
      { ...base, sha256: base.sha256.toUpperCase() },
      { ...base, sha256: base.sha256.slice(1) },
      { ...base, sha256: undefined },
      { cameraId: 'cam-a' },
      null,
      [],
      'segment',
    ];
    for (const input of variants) {
      const parsed = SegmentSchema.safeParse(input);
      const fast = fastCheckSegment(input);
      if (fast !== undefined) expect(parsed.success && fast, JSON.stringify(input)).toEqual(parsed.success ? parsed.data : 'rejected by zod');
      // Anything it turns down goes to zod, which names the bad fields (none of these is a false alarm).
      else expect(parsed.success, JSON.stringify(input)).toBe(false);
    }
  });
});
