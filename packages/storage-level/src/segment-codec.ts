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

/** Whether a string has no lone UTF-16 surrogate, which UTF-8 cannot store (it would come back as U+FFFD). */
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** Scratch space for the hash bytes of the value being encoded (encoding is synchronous). */
const HASH_BYTES = Buffer.alloc(32);

/**
 * The compact stored value of a segment (format 2; camera and start are in the key):
 * `duration,bytes,codecLength,` in base 36, then the SHA-256 as 43 base64url characters, then the codec
 * and the path as they are (the codec's length says where the path begins). About 88 bytes for a typical
 * segment instead of 121 as JSON. A codec or path holding a lone surrogate is stored in the JSON form of
 * format 1 instead, which escapes it; {@link decodeSegment} reads both forms.
 */
export function encodeSegmentValue(segment: Segment): string {
  const { codec, path } = segment;
  if (!isWellFormed(path) || !isWellFormed(codec)) return encodeSegmentJson(segment);
  HASH_BYTES.write(segment.sha256, 0, 32, 'hex');
  return `${(segment.end - segment.start).toString(36)},${segment.bytes.toString(36)},${codec.length.toString(36)},${HASH_BYTES.toString('base64url', 0, 32)}${codec}${path}`;
}

/** The format-1 value `[duration, bytes, codec, path, sha256]` (JSON; always starts with `[`). */
export function encodeSegmentJson(segment: Segment): string {
  // Numbers are validated integers and the hash is lowercase hex: only the two free strings need escaping.
  return `[${segment.end - segment.start},${segment.bytes},${JSON.stringify(segment.codec)},${JSON.stringify(segment.path)},"${segment.sha256}"]`;
}

const SHA256_BASE64_CHARS = 43;

/** Rebuilds a segment from its key and stored value (either value format). */
export function decodeSegment(key: string, value: string): Segment {
  const cameraId = key.slice(0, key.length - START_DIGITS - 1);
  const start = Number(key.slice(key.length - START_DIGITS));
  if (value.charCodeAt(0) === 0x5b /* [ */) {
    const [duration, bytes, codec, path, sha256] = JSON.parse(value) as [number, number, string, string, string];
    return { cameraId, start, end: start + duration, path, bytes, codec, sha256 };
  }
  const c1 = value.indexOf(',');
  const c2 = value.indexOf(',', c1 + 1);
  const c3 = value.indexOf(',', c2 + 1);
  const codecAt = c3 + 1 + SHA256_BASE64_CHARS;
  const pathAt = codecAt + parseInt(value.slice(c2 + 1, c3), 36);
  return {
    cameraId,
    start,
    end: start + parseInt(value.slice(0, c1), 36),
    path: value.slice(pathAt),
    bytes: parseInt(value.slice(c1 + 1, c2), 36),
    codec: value.slice(codecAt, pathAt),
    sha256: Buffer.from(value.slice(c3 + 1, codecAt), 'base64url').toString('hex'),
  };
}

/** Only the start and bytes of a stored segment (for per-day sums without building records). */
export function decodeStartAndBytes(key: string, value: string): { start: number; bytes: number } {
  const start = Number(key.slice(key.length - START_DIGITS));
  const comma = value.indexOf(',');
  const bytesText = value.slice(comma + 1, value.indexOf(',', comma + 1));
  return { start, bytes: value.charCodeAt(0) === 0x5b /* [ */ ? Number(bytesText) : parseInt(bytesText, 36) };
}
