/** A position on the Earth in degrees. */
export interface LatLon {
  lat: number;
  lon: number;
}

const rad = (d: number): number => (d * Math.PI) / 180;
const deg = (r: number): number => (r * 180) / Math.PI;

/** Initial great-circle bearing from `from` to `to`, degrees clockwise from true north, 0..360. */
export function initialBearing(from: LatLon, to: LatLon): number {
  const φ1 = rad(from.lat);
  const φ2 = rad(to.lat);
  const Δλ = rad(to.lon - from.lon);
  const y = Math.sin(Δλ) * Math.cos(φ2);
  const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ);
  return (deg(Math.atan2(y, x)) + 360) % 360;
}

/** Great-circle distance in metres (haversine, mean Earth radius). */
export function distanceMeters(from: LatLon, to: LatLon): number {
  const φ1 = rad(from.lat);
  const φ2 = rad(to.lat);
  const a = Math.sin(rad(to.lat - from.lat) / 2) ** 2 + Math.cos(φ1) * Math.cos(φ2) * Math.sin(rad(to.lon - from.lon) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}

const POINTS_16 = ['N', 'NNE', 'NE', 'ENE', 'E', 'ESE', 'SE', 'SSE', 'S', 'SSW', 'SW', 'WSW', 'W', 'WNW', 'NW', 'NNW'] as const;
const POINTS_8 = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;
const POINTS_VI = ['Bắc', 'Đông Bắc', 'Đông', 'Đông Nam', 'Nam', 'Tây Nam', 'Tây', 'Tây Bắc'] as const;

/** The compass point of a bearing: 16-point (`NNE`) by default, or 8-point (`NE`). */
export function compassPoint(bearing: number, points: 8 | 16 = 16): string {
  const list = points === 8 ? POINTS_8 : POINTS_16;
  const step = 360 / list.length;
  const i = Math.round((((bearing % 360) + 360) % 360) / step) % list.length;
  return list[i] as string;
}

/** The 8-point compass word of a bearing in Vietnamese (`Bắc`, `Đông Bắc`, ... `Tây Bắc`). */
export function compassPointVi(bearing: number): string {
  const i = Math.round((((bearing % 360) + 360) % 360) / 45) % 8;
  return POINTS_VI[i] as string;
}
