import type { Segment } from '@wardwatch/core';

const CAMERA_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * A structural check equivalent to (never more permissive than) core's `SegmentSchema`, without zod's
 * per-record parse and copy: it returns the segment's fields read once (unknown keys dropped, as zod
 * does), or `undefined` when anything is off, in which case the caller runs the zod schema, which
 * either names every bad field (`STORAGE_RECORD_INVALID`) or accepts a record this check was too
 * strict for. The hot path of `addMany` therefore accepts exactly what `SegmentSchema` accepts.
 */
export function fastCheckSegment(input: unknown): Segment | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const { cameraId, start, end, path, bytes, codec, sha256 } = input as Record<string, unknown>;
  if (typeof cameraId !== 'string' || !CAMERA_ID.test(cameraId) || cameraId.includes('..')) return undefined;
  if (!isCount(start) || !isCount(end) || end < start || !isCount(bytes)) return undefined;
  if (typeof path !== 'string' || path.length < 1 || path.length > 1024) return undefined;
  if (typeof codec !== 'string' || codec.length < 1 || codec.length > 64) return undefined;
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) return undefined;
  return { cameraId, start, end, path, bytes, codec, sha256 };
}
