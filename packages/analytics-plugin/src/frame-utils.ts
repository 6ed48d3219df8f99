import type { Frame } from '@wardwatch/core';
import { WardwatchError } from '@wardwatch/core';

/** Bytes per pixel of a frame format. */
export function channelsOf(format: Frame['format']): number {
  return format === 'rgb' ? 3 : 1;
}

/**
 * Checks that a frame is well formed (positive integer size, a known format, `data` of exactly
 * width × height × channels bytes) and, when given, of the expected size; throws `ANALYZER_BAD_FRAME`.
 */
export function assertFrame(frame: Frame, expected?: { width: number; height: number }): void {
  const ok =
    frame !== null &&
    typeof frame === 'object' &&
    Number.isInteger(frame.width) &&
    Number.isInteger(frame.height) &&
    frame.width > 0 &&
    frame.height > 0 &&
    (frame.format === 'gray' || frame.format === 'rgb') &&
    frame.data instanceof Uint8Array &&
    frame.data.length === frame.width * frame.height * channelsOf(frame.format);
  if (!ok) {
    throw new WardwatchError('ANALYZER_BAD_FRAME', 'Frame data does not match its width, height and format', {
      details: {
        cameraId: frame?.cameraId,
        width: frame?.width,
        height: frame?.height,
        format: frame?.format,
        bytes: frame?.data?.length,
      },
    });
  }
  if (expected && (frame.width !== expected.width || frame.height !== expected.height)) {
    throw new WardwatchError(
      'ANALYZER_BAD_FRAME',
      `Frame is ${frame.width}x${frame.height}, expected ${expected.width}x${expected.height}`,
      { details: { cameraId: frame.cameraId, width: frame.width, height: frame.height, expected } },
    );
  }
}

/** The luma plane of a frame (the frame's own buffer when it is gray). */
export function toGray(frame: Frame): Uint8Array {
  if (frame.format === 'gray') return frame.data;
  const n = frame.width * frame.height;
  const out = new Uint8Array(n);
  const d = frame.data;
  for (let i = 0, j = 0; i < n; i += 1, j += 3) {
    out[i] = ((d[j] as number) * 77 + (d[j + 1] as number) * 150 + (d[j + 2] as number) * 29) >> 8;
  }
  return out;
}

/** Box-downsamples a gray plane by an integer factor. */
export function downsampleGray(gray: Uint8Array, width: number, height: number, factor: number): { data: Uint8Array; width: number; height: number } {
  if (factor <= 1) return { data: gray, width, height };
  const w = Math.floor(width / factor);
  const h = Math.floor(height / factor);
  const out = new Uint8Array(w * h);
  const area = factor * factor;
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy += 1) {
        const row = (y * factor + dy) * width + x * factor;
        for (let dx = 0; dx < factor; dx += 1) sum += gray[row + dx] as number;
      }
      out[y * w + x] = Math.round(sum / area);
    }
  }
  return { data: out, width: w, height: h };
}
