import type { Segment } from '@wardwatch/core';

const START_DIGITS = 15;
const MAX_START = 10 ** START_DIGITS - 1;

/** The key of a segment: `cameraId!start` with the start zero-padded to 15 digits (camera ids never contain `!`). */
export function segmentKey(cameraId: string, start: number): string {
  return `${cameraId}!${String(Math.min(MAX_START, Math.max(0, Math.ceil(start)))).padStart(START_DIGITS, '0')}`;
}

/** The lower bound of a camera's key range (inclusive). */
export function cameraLow(cameraId: string): string {
  return `${cameraId}!`;
}

/** The upper bound of a camera's key range (exclusive): `"` sorts right after `!`. */
export function cameraHigh(cameraId: string): string {
  return `${cameraId}"`;
}

/** The exclusive upper key for segments of `cameraId` starting before `at`. */
export function segmentKeyBefore(cameraId: string, at: number): string {
  return at > MAX_START ? cameraHigh(cameraId) : segmentKey(cameraId, at);
}

/** The compact stored value of a segment: `[duration, bytes, codec, path, sha256]` (camera and start are in the key). */
export function encodeSegmentValue(segment: Segment): string {
  // Numbers are validated integers and the hash is lowercase hex: only the two free strings need escaping.
  return `[${segment.end - segment.start},${segment.bytes},${JSON.stringify(segment.codec)},${JSON.stringify(segment.path)},"${segment.sha256}"]`;
}

/** Rebuilds a segment from its key and stored value. */
export function decodeSegment(key: string, value: string): Segment {
  const cameraId = key.slice(0, key.length - START_DIGITS - 1);
  const start = Number(key.slice(key.length - START_DIGITS));
  const [duration, bytes, codec, path, sha256] = JSON.parse(value) as [number, number, string, string, string];
  return { cameraId, start, end: start + duration, path, bytes, codec, sha256 };
}

/** Only the start and bytes of a stored segment (for per-day sums without building records). */
export function decodeStartAndBytes(key: string, value: string): { start: number; bytes: number } {
  const start = Number(key.slice(key.length - START_DIGITS));
  const comma = value.indexOf(',');
  const bytes = Number(value.slice(comma + 1, value.indexOf(',', comma + 1)));
  return { start, bytes };
}
