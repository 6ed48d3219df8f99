import type { CameraRepository, EventRepository, StoredEvent, TimeRange } from '@wardwatch/core';
import { WardwatchError } from '@wardwatch/core';
import { type LatLon, compassPoint, compassPointVi, distanceMeters, initialBearing } from './bearing.js';
import { normalizeVietnamesePlate } from './plate-parser.js';

/** Where plate sightings and camera positions come from: a station's storage adapter fits. */
export interface PlateTrackSource {
  events: Pick<EventRepository, 'query'>;
  cameras: Pick<CameraRepository, 'get'>;
}

/** One camera's sighting of a plate (consecutive reads by the same camera are one sighting). */
export interface PlateSighting {
  cameraId: string;
  cameraName?: string;
  /** First read, UTC ms. */
  at: number;
  /** Last read by this camera in this pass, UTC ms. */
  lastAt: number;
  /** Best confidence among the reads. */
  confidence: number;
  /** The camera's position, when known. */
  location?: LatLon & { address?: string };
  /** Ids of the stored `plate` events. */
  eventIds: string[];
}

/** The movement between two consecutive sightings at different cameras. */
export interface PlateTrackLeg {
  from: string;
  to: string;
  /** Seconds between leaving `from` (last read) and reaching `to` (first read). */
  seconds: number;
  /** Great-circle distance in metres, when both positions are known. */
  meters?: number;
  /** Initial bearing in degrees from true north, when both positions are known. */
  bearing?: number;
  /** 16-point compass word (`NNE`). */
  compass?: string;
  /** 8-point compass word in Vietnamese (`Đông Bắc`). */
  compassVi?: string;
  /** Average speed in km/h, when the distance is known and time passed. */
  speedKmh?: number;
}

/** Ordered sightings of one plate and the direction of travel between cameras. */
export interface PlateTrack {
  plate: string;
  range: TimeRange;
  sightings: PlateSighting[];
  legs: PlateTrackLeg[];
  /** Overall direction from the first to the last sighting, when positions are known and differ. */
  overall?: Omit<PlateTrackLeg, 'from' | 'to'> & { from: string; to: string };
}

/** Options of {@link trackPlate}. */
export interface TrackPlateOptions {
  /** Positions that override (or stand in for) the stored cameras' locations. */
  positions?: Record<string, LatLon>;
  /** Most events scanned, to bound the query. @default 100000 */
  maxEvents?: number;
}

function leg(a: PlateSighting, b: PlateSighting): PlateTrackLeg {
  const out: PlateTrackLeg = { from: a.cameraId, to: b.cameraId, seconds: Math.max(0, (b.at - a.lastAt) / 1000) };
  if (a.location && b.location) {
    const meters = distanceMeters(a.location, b.location);
    out.meters = meters;
    if (meters > 0.5) {
      const bearing = initialBearing(a.location, b.location);
      out.bearing = bearing;
      out.compass = compassPoint(bearing);
      out.compassVi = compassPointVi(bearing);
    }
    if (out.seconds > 0) out.speedKmh = (meters / out.seconds) * 3.6;
  }
  return out;
}

/**
 * Builds the track of a plate in a time range from stored `plate` events and camera positions: the
 * sightings in time order, and for each move between cameras the bearing and compass direction —
 * which way the vehicle went. Throws `INVALID_ARGUMENT` for a plate that is not a valid plate or a bad range.
 */
export async function trackPlate(source: PlateTrackSource, plate: string, range: TimeRange, options: TrackPlateOptions = {}): Promise<PlateTrack> {
  const normalized = normalizeVietnamesePlate(plate);
  if (!normalized) throw new WardwatchError('INVALID_ARGUMENT', 'Not a valid Vietnamese plate', { details: { plate } });
  if (!(Number.isFinite(range.from) && Number.isFinite(range.to) && range.from <= range.to)) {
    throw new WardwatchError('INVALID_ARGUMENT', 'range.from must be a time before range.to', { details: { range } });
  }
  const maxEvents = options.maxEvents ?? 100_000;
  const matches: Array<StoredEvent & { type: 'plate' }> = [];
  let after: string | undefined;
  let scanned = 0;
  do {
    const page = await source.events.query({ types: ['plate'], from: range.from, to: range.to, limit: 500, ...(after ? { after } : {}) });
    for (const e of page.items) {
      scanned += 1;
      if (e.type === 'plate' && (e.plate === normalized || normalizeVietnamesePlate(e.plate) === normalized)) matches.push(e);
    }
    after = page.next;
  } while (after && scanned < maxEvents);
  matches.sort((a, b) => a.at - b.at);

  const cameras = new Map<string, { name?: string; location?: LatLon & { address?: string } }>();
  for (const id of new Set(matches.map((m) => m.cameraId))) {
    const spec = await source.cameras.get(id);
    const override = options.positions?.[id];
    const location = override ?? spec?.location;
    cameras.set(id, { ...(spec ? { name: spec.name } : {}), ...(location ? { location: { ...location } } : {}) });
  }
  const sightings: PlateSighting[] = [];
  for (const m of matches) {
    const last = sightings[sightings.length - 1];
    if (last && last.cameraId === m.cameraId) {
      last.lastAt = m.at;
      last.confidence = Math.max(last.confidence, m.confidence);
      last.eventIds.push(m.id);
      continue;
    }
    const cam = cameras.get(m.cameraId);
    sightings.push({
      cameraId: m.cameraId,
      ...(cam?.name ? { cameraName: cam.name } : {}),
      at: m.at,
      lastAt: m.at,
      confidence: m.confidence,
      ...(cam?.location ? { location: cam.location } : {}),
      eventIds: [m.id],
    });
  }
  const legs = sightings.slice(1).map((s, i) => leg(sightings[i] as PlateSighting, s));
  const first = sightings[0];
  const lastSighting = sightings[sightings.length - 1];
  const overall = first && lastSighting && first !== lastSighting && first.cameraId !== lastSighting.cameraId ? leg(first, lastSighting) : undefined;
  return { plate: normalized, range: { from: range.from, to: range.to }, sightings, legs, ...(overall ? { overall } : {}) };
}
