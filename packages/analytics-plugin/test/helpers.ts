import { type AnalyzerContext, type CameraSpec, type Frame, type Logger, parseCameraSpec } from '@wardwatch/core';
import { asyncScheduler } from 'rxjs';

/** A logger that records warnings. */
export function recordingLogger(): Logger & { warnings: Array<{ obj: object; msg?: string }> } {
  const warnings: Array<{ obj: object; msg?: string }> = [];
  const logger = {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (obj: object, msg?: string) => {
      warnings.push({ obj, ...(msg === undefined ? {} : { msg }) });
    },
    error: () => undefined,
    child: () => logger,
  };
  return logger;
}

export function cameraSpec(id: string, lat = 21.0285, lon = 105.8542): CameraSpec {
  return parseCameraSpec({
    id,
    name: `Camera ${id}`,
    site: { ward: 'Hàng Bạc', station: 'CA phường Hàng Bạc' },
    location: { lat, lon },
    ownership: 'station',
    driver: 'onvif',
    connection: { host: '127.0.0.1' },
  });
}

export function analyzerContext(id: string, options: Record<string, unknown> = {}, logger: Logger = recordingLogger()): AnalyzerContext {
  return { camera: cameraSpec(id), options, clock: asyncScheduler, logger };
}

/** A deterministic pseudo-random generator. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A textured gray background (smooth gradients plus fixed detail). */
export function background(width: number, height: number, seed = 1): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const v = 90 + 40 * Math.sin(x / 17) * Math.cos(y / 11) + (((x >> 3) + (y >> 3)) % 2) * 20 + r() * 10;
      out[y * width + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return out;
}

/** A gray frame: the background, sensor noise, and filled rectangles (pixel coordinates). */
export function grayFrame(
  cameraId: string,
  at: number,
  base: Uint8Array,
  width: number,
  height: number,
  rects: Array<{ x: number; y: number; w: number; h: number; value: number }> = [],
  noise = 4,
  seed = at,
): Frame {
  const r = rng(seed);
  const data = new Uint8Array(base.length);
  for (let i = 0; i < base.length; i += 1) data[i] = Math.max(0, Math.min(255, Math.round((base[i] as number) + (r() - 0.5) * 2 * noise)));
  for (const rect of rects) {
    for (let y = Math.max(0, rect.y); y < Math.min(height, rect.y + rect.h); y += 1) {
      for (let x = Math.max(0, rect.x); x < Math.min(width, rect.x + rect.w); x += 1) data[y * width + x] = rect.value;
    }
  }
  return { cameraId, at, width, height, format: 'gray', data };
}
