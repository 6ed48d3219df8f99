import { WardwatchError } from '@wardwatch/core';

/** A point in normalised picture coordinates: `[x, y]`, each 0..1, origin top-left. */
export type NormalizedPoint = readonly [number, number];

/** A polygon in normalised picture coordinates (at least three points). */
export type Polygon = readonly NormalizedPoint[];

/** Validates polygons given as options; throws `INVALID_CONFIG` naming the bad one. */
export function validatePolygons(polygons: readonly Polygon[] | undefined, field: string): void {
  if (polygons === undefined) return;
  if (!Array.isArray(polygons)) throw new WardwatchError('INVALID_CONFIG', `${field} must be an array of polygons`);
  polygons.forEach((polygon, i) => {
    const ok =
      Array.isArray(polygon) &&
      polygon.length >= 3 &&
      polygon.every(
        (p) => Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1),
      );
    if (!ok) {
      throw new WardwatchError('INVALID_CONFIG', `${field}[${i}] must be at least three [x, y] points with coordinates in 0..1`, {
        details: { field, index: i },
      });
    }
  });
}

/** True when the point is inside the polygon (even-odd rule). */
export function pointInPolygon(x: number, y: number, polygon: Polygon): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i, i += 1) {
    const [xi, yi] = polygon[i] as NormalizedPoint;
    const [xj, yj] = polygon[j] as NormalizedPoint;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Rasterises include zones and exclude masks into a per-pixel mask (1 = analysed): a pixel is
 * analysed when it is inside any zone (or there are no zones) and inside no mask.
 */
export function rasterizeRegions(width: number, height: number, zones: readonly Polygon[], masks: readonly Polygon[]): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    const ny = (y + 0.5) / height;
    for (let x = 0; x < width; x += 1) {
      const nx = (x + 0.5) / width;
      const included = zones.length === 0 || zones.some((z) => pointInPolygon(nx, ny, z));
      out[y * width + x] = included && !masks.some((m) => pointInPolygon(nx, ny, m)) ? 1 : 0;
    }
  }
  return out;
}
