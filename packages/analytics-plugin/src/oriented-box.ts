/** A rotated rectangle in image pixels: a text line as the detector sees it, tilt included. */
export interface OrientedBox {
  /** Centre, in pixels. */
  cx: number;
  cy: number;
  /** Extent along the line (the reading direction), in pixels. */
  length: number;
  /** Extent across the line (the character height), in pixels. */
  thickness: number;
  /** Angle of the reading direction from the x axis, radians, clockwise in image coordinates (y down), within ±π/4. */
  angle: number;
}

/** Raw first and second moments of a set of pixels (sums over the pixels' centres). */
export interface PixelMoments {
  n: number;
  sx: number;
  sy: number;
  sxx: number;
  syy: number;
  sxy: number;
}

/**
 * The rectangle with the same centre, orientation and second moments as the pixels (a filled rectangle of
 * length L has variance L²/12 along it), grown by `grow` pixels on every side. The reading direction is the
 * principal axis, or the x axis when the blob is taller than it is wide (a single character).
 */
export function orientedBoxOf(m: PixelMoments, grow = 0): OrientedBox {
  const cx = m.sx / m.n;
  const cy = m.sy / m.n;
  const a = Math.max(0, m.sxx / m.n - cx * cx);
  const b = m.sxy / m.n - cx * cy;
  const c = Math.max(0, m.syy / m.n - cy * cy);
  let angle = 0.5 * Math.atan2(2 * b, a - c);
  if (Math.abs(angle) > Math.PI / 4) angle = 0;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const varU = Math.max(0, a * cos * cos + 2 * b * sin * cos + c * sin * sin);
  const varV = Math.max(0, a * sin * sin - 2 * b * sin * cos + c * cos * cos);
  return { cx, cy, length: Math.sqrt(12 * varU) + 2 * grow, thickness: Math.sqrt(12 * varV) + 2 * grow, angle };
}

/** The axis-aligned bounds of an oriented box. */
export function boundsOf(box: OrientedBox): { x: number; y: number; width: number; height: number } {
  const cos = Math.abs(Math.cos(box.angle));
  const sin = Math.abs(Math.sin(box.angle));
  const w = box.length * cos + box.thickness * sin;
  const h = box.length * sin + box.thickness * cos;
  return { x: box.cx - w / 2, y: box.cy - h / 2, width: w, height: h };
}

/**
 * Samples the oriented box out of an interleaved RGB image into an upright strip `outHeight` pixels high
 * (bilinear; outside the image repeats the edge): the rectified input of a line recogniser.
 */
export function warpStrip(rgb: Uint8Array, width: number, height: number, box: OrientedBox, outHeight: number, maxWidth: number): { data: Uint8Array; width: number } {
  const outWidth = Math.max(8, Math.min(maxWidth, Math.round((outHeight * box.length) / Math.max(1, box.thickness))));
  const out = new Uint8Array(outWidth * outHeight * 3);
  const ux = Math.cos(box.angle);
  const uy = Math.sin(box.angle);
  const stepU = box.length / outWidth;
  const stepV = box.thickness / outHeight;
  for (let oy = 0; oy < outHeight; oy += 1) {
    const v = (oy + 0.5) * stepV - box.thickness / 2;
    for (let ox = 0; ox < outWidth; ox += 1) {
      const u = (ox + 0.5) * stepU - box.length / 2;
      const sx = Math.min(width - 1, Math.max(0, box.cx + u * ux - v * uy - 0.5));
      const sy = Math.min(height - 1, Math.max(0, box.cy + u * uy + v * ux - 0.5));
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(width - 1, x0 + 1);
      const y1 = Math.min(height - 1, y0 + 1);
      const fx = sx - x0;
      const fy = sy - y0;
      const o = (oy * outWidth + ox) * 3;
      for (let ch = 0; ch < 3; ch += 1) {
        const p00 = rgb[(y0 * width + x0) * 3 + ch] as number;
        const p10 = rgb[(y0 * width + x1) * 3 + ch] as number;
        const p01 = rgb[(y1 * width + x0) * 3 + ch] as number;
        const p11 = rgb[(y1 * width + x1) * 3 + ch] as number;
        out[o + ch] = Math.round((p00 * (1 - fx) + p10 * fx) * (1 - fy) + (p01 * (1 - fx) + p11 * fx) * fy);
      }
    }
  }
  return { data: out, width: outWidth };
}
