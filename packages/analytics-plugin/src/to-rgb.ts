import type { Frame } from '@wardwatch/core';
import { WardwatchError } from '@wardwatch/core';
import sharp from 'sharp';
import { assertFrame } from './frame-utils.js';

/** An interleaved 8-bit RGB picture. */
export interface RawRgb {
  data: Uint8Array;
  width: number;
  height: number;
}

function decodeRgb(image: Uint8Array) {
  return sharp(image).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
}

/**
 * Decodes encoded image bytes (JPEG, PNG, …) or checks a gray/RGB frame, giving interleaved RGB;
 * undecodable bytes are `IMAGE_DECODE_FAILED`, malformed frames `ANALYZER_BAD_FRAME`.
 */
export async function toRgb(image: Frame | Uint8Array): Promise<RawRgb> {
  if (image instanceof Uint8Array) {
    let decoded: Awaited<ReturnType<typeof decodeRgb>>;
    try {
      decoded = await decodeRgb(image);
    } catch (error) {
      throw new WardwatchError('IMAGE_DECODE_FAILED', `Image could not be decoded: ${(error as Error).message}`, { cause: error });
    }
    const { data, info } = decoded;
    if (info.channels !== 3) throw new WardwatchError('IMAGE_DECODE_FAILED', `Image could not be decoded: unexpected ${info.channels} channels`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  }
  assertFrame(image);
  if (image.format === 'rgb') return { data: image.data, width: image.width, height: image.height };
  const rgb = new Uint8Array(image.data.length * 3);
  for (let i = 0; i < image.data.length; i += 1) {
    const v = image.data[i] as number;
    rgb[i * 3] = v;
    rgb[i * 3 + 1] = v;
    rgb[i * 3 + 2] = v;
  }
  return { data: rgb, width: image.width, height: image.height };
}
