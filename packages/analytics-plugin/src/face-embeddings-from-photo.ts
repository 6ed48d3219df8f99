import { WardwatchError } from '@wardwatch/core';
import type { FaceEngine } from './face-engine.js';

/** Options of {@link faceEmbeddingsFromPhoto}. */
export interface FaceEmbeddingsFromPhotoOptions {
  /** Largest photo accepted, in bytes. @default 5242880 */
  maxBytes?: number;
}

/** Whether `bytes` start like a JPEG or a PNG file. */
function isJpegOrPng(bytes: Uint8Array): boolean {
  const jpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const png = bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  return jpeg || png;
}

/**
 * The face descriptor of an uploaded photo, ready for a face watchlist entry
 * (`station.watchlists.add({ kind: 'face', embeddings, … })`): the largest face's descriptor as plain numbers.
 * Fails with `PAYLOAD_TOO_LARGE` above `maxBytes`, `IMAGE_DECODE_FAILED` for bytes that are not a JPEG or PNG image,
 * and `INVALID_ARGUMENT` when the photo shows no face.
 */
export async function faceEmbeddingsFromPhoto(engine: FaceEngine, photo: Uint8Array, options: FaceEmbeddingsFromPhotoOptions = {}): Promise<number[][]> {
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  if (photo.length > maxBytes) {
    throw new WardwatchError('PAYLOAD_TOO_LARGE', `The photo is ${photo.length} bytes; the limit is ${maxBytes}`, { details: { bytes: photo.length, maxBytes } });
  }
  if (!isJpegOrPng(photo)) throw new WardwatchError('IMAGE_DECODE_FAILED', 'The photo is not a JPEG or PNG image', { details: { bytes: photo.length } });
  const faces = await engine.detect(photo);
  const largest = [...faces].sort((a, b) => b.sizePx - a.sizePx)[0];
  if (!largest) throw new WardwatchError('INVALID_ARGUMENT', 'No face was found in the photo', { details: { faces: 0 } });
  return [Array.from(largest.embedding)];
}
