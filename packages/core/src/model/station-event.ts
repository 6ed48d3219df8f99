import { z } from 'zod';
import type { CameraState, CameraStatus } from './camera-status.js';
import type { Segment } from './segment.js';

/** An axis-aligned box in normalised picture coordinates (0..1). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Kinds of picture tampering and quality problems. */
export type TamperKind = 'covered' | 'black' | 'defocus' | 'scene-change' | 'low-light';

/**
 * The payload of each station event type, keyed by `type`. Plugins add their own types by
 * declaration merging:
 *
 * ```ts
 * declare module '@wardwatch/core' {
 *   interface StationEventMap { 'crowd': { cameraId: string; count: number } }
 * }
 * ```
 */
export interface StationEventMap {
  'camera.added': { cameraId: string };
  'camera.updated': { cameraId: string };
  'camera.removed': { cameraId: string };
  'camera.status': { cameraId: string; status: CameraStatus; previous: CameraState };
  motion: { cameraId: string; phase: 'start' | 'end'; source: 'camera' | 'analyzer'; boxes?: Box[]; score?: number };
  tamper: { cameraId: string; kind: TamperKind; phase: 'start' | 'end'; source: 'camera' | 'analyzer'; score?: number };
  /** A detection the camera itself made (e.g. `intrusion`, `people`, `line-cross`), as its driver reported it. */
  'camera.analytics': {
    cameraId: string;
    kind: string;
    phase: 'start' | 'end';
    source: 'camera';
    /** The rule's (line's) name on the camera. */
    rule?: string;
    /** The region (zone) it concerns. */
    region?: string;
    /** Crossing direction as the device reports it. */
    direction?: string;
    /** Object class the device assigned (`person`, `vehicle`…). */
    objectClass?: string;
  };
  /** A digital input (alarm contact) or output (relay) of a camera changed state, as its driver reported it. */
  'camera.io': {
    cameraId: string;
    /** The port's id as the device names it. */
    port: string;
    /** Input (alarm contact) or output (relay). */
    kind: 'input' | 'output';
    /** Whether it is active after the change. */
    active: boolean;
    /** The device's own event name (e.g. the ONVIF topic), when given. */
    topic?: string;
  };
  'picture.quality': { cameraId: string; score: number; brightness: number; sharpness: number; noise: number; lowLight: boolean };
  plate: {
    cameraId: string;
    plate: string;
    raw: string;
    confidence: number;
    province?: string;
    kind?: string;
    box?: Box;
    /** JPEG crop of the plate, base64. */
    cropJpeg?: string;
  };
  face: {
    cameraId: string;
    box: Box;
    confidence: number;
    match?: { entryId: string; label: string; similarity: number };
  };
  /** A plate read matched an active wanted-vehicle entry (biển số cần truy tìm). */
  'plate.alert': {
    cameraId: string;
    /** The stored sighting of the read. */
    sightingId: string;
    /** The plate as read (normalised). */
    plate: string;
    confidence: number;
    entryId: string;
    /** The entry's plate or pattern that matched. */
    wanted: string;
    label: string;
    reason: string;
    caseId?: string;
    /** The crop file, relative to the station's crop directory. */
    crop?: string;
  };
  /** A face matched an active entry of the station's face watchlist. */
  'face.alert': { cameraId: string; sightingId: string; entryId: string; label: string; reason: string; caseId?: string; similarity: number };
  /** A watchlist entry was added, changed or removed (audited with the operator). */
  'watchlist.changed': { entryId: string; kind: 'plate' | 'face'; change: 'added' | 'updated' | 'removed' };
  'segment.closed': { cameraId: string; segment: Segment };
  'recording.gap': { cameraId: string; from: number; to: number; cause: string };
  'recording.error': { cameraId: string; code: string; message: string };
  'analyzer.error': { cameraId: string; analyzer: string; code: string; message: string };
  'incident.created': { incidentId: string; category: string };
  'incident.updated': { incidentId: string; status: string; outcome?: string };
  'evidence.exported': { evidenceId: string; cameraId: string; from: number; to: number; operator: string; incidentId?: string };
  'hold.created': { holdId: string; cameraId: string; from: number; to: number };
  'hold.released': { holdId: string; cameraId: string };
  'storage.low': { path: string; usedRatio: number; freeBytes: number; action: 'warn' | 'purge' | 'alarm'; message: string };
  'storage.purged': { cameraId: string; segments: number; bytes: number; from: number; to: number; reason: 'retention-days' | 'disk-watermark' };
}

/** Every station event type name, including plugin-added ones. */
export type StationEventType = keyof StationEventMap;

/** A station event of one type: `type`, time `at` (UTC ms) and that type's payload. */
export type StationEventOf<K extends StationEventType> = { type: K; at: number } & StationEventMap[K];

/** The discriminated union of every station event, discriminated on `type`. */
export type StationEvent = { [K in StationEventType]: StationEventOf<K> }[StationEventType];

/** A station event as stored: with a monotonic, lexicographically ordered id. */
export type StoredEvent = StationEvent & { id: string };

/** Runtime check of the common envelope of any station event (type, at, optional cameraId). */
export const StationEventEnvelopeSchema = z
  .object({
    type: z.string().min(1).max(64),
    at: z.number().int().nonnegative(),
    cameraId: z.string().max(64).optional(),
  })
  .passthrough();

/** True when `event` has the given `type`; narrows the union. */
export function isEventType<K extends StationEventType>(event: StationEvent, type: K): event is StationEventOf<K> & StationEvent {
  return event.type === type;
}
