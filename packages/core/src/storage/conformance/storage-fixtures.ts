import { createHash } from 'node:crypto';
import type { CameraSpecInput } from '../../model/camera-spec.js';
import type { EvidenceRecord, Hold } from '../../model/evidence.js';
import type { Incident } from '../../model/incident.js';
import type { Segment } from '../../model/segment.js';
import type { StationEvent } from '../../model/station-event.js';

/** Midnight UTC, 10 January 2026: the base time of the conformance fixtures. */
export const T0 = Date.UTC(2026, 0, 10);
/** One minute in milliseconds. */
export const MINUTE = 60_000;
/** One hour in milliseconds. */
export const HOUR = 60 * MINUTE;
/** One day in milliseconds. */
export const DAY = 24 * HOUR;

/** A deterministic lowercase hex SHA-256 of `text`. */
export function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A valid segment of `cameraId` starting at `start`, `durationMs` long (one minute by default). */
export function makeSegment(cameraId: string, start: number, durationMs = MINUTE, bytes = 1_000_000): Segment {
  return {
    cameraId,
    start,
    end: start + durationMs,
    path: `${cameraId}/${new Date(start).toISOString().replace(/[:.]/g, '-')}.mp4`,
    bytes,
    codec: 'h264',
    sha256: sha(`${cameraId}@${start}`),
  };
}

/** `count` consecutive segments of `cameraId` from `start`, each `durationMs` long, with `holeMs` between them. */
export function makeSegments(cameraId: string, start: number, count: number, durationMs = MINUTE, holeMs = 0): Segment[] {
  return Array.from({ length: count }, (_, i) => makeSegment(cameraId, start + i * (durationMs + holeMs), durationMs));
}

/** A valid camera spec input (before defaults). */
export function makeCamera(id: string, overrides: Partial<CameraSpecInput> = {}): CameraSpecInput {
  return {
    id,
    name: `Camera ${id}`,
    site: { ward: 'Phường Bến Nghé', station: 'CA-BN' },
    location: { lat: 10.776, lon: 106.701 },
    ownership: 'station',
    driver: 'onvif',
    connection: { host: '127.0.0.1', port: 8000 },
    ...overrides,
  };
}

/** A valid incident (input form) with the given id and overrides. */
export function makeIncident(id: string, overrides: Partial<Incident> = {}): Incident {
  return {
    id,
    title: `Incident ${id}`,
    description: '',
    category: 'theft',
    status: 'open',
    station: 'CA-BN',
    occurredAt: T0,
    ranges: [{ cameraId: 'cam-a', from: T0, to: T0 + MINUTE }],
    evidenceIds: [],
    createdBy: 'officer-1',
    createdAt: T0,
    updatedAt: T0,
    history: [],
    ...overrides,
  };
}

/** A valid hold on `cameraId` for `[from, to)`. */
export function makeHold(id: string, cameraId: string, from: number, to: number, overrides: Partial<Hold> = {}): Hold {
  return {
    id,
    cameraId,
    from,
    to,
    owner: { kind: 'incident', id: 'inc-1' },
    reason: 'evidence for incident inc-1',
    createdBy: 'officer-1',
    createdAt: T0,
    ...overrides,
  };
}

/** A valid evidence record for `cameraId`. */
export function makeEvidence(id: string, cameraId: string, overrides: Partial<EvidenceRecord> = {}): EvidenceRecord {
  return {
    id,
    cameraId,
    requested: { from: T0, to: T0 + MINUTE },
    actual: { from: T0, to: T0 + MINUTE },
    operator: 'officer-1',
    reason: 'request from investigator',
    createdAt: T0,
    packagePath: `evidence/${id}`,
    clipSha256: sha(`clip-${id}`),
    manifestSha256: sha(`manifest-${id}`),
    segments: [{ path: `${cameraId}/a.mp4`, start: T0, end: T0 + MINUTE, sha256: sha('a') }],
    gaps: [],
    ...overrides,
  };
}

/** A motion event of `cameraId` at time `at`. */
export function makeMotion(cameraId: string, at: number, phase: 'start' | 'end' = 'start'): StationEvent {
  return { type: 'motion', at, cameraId, phase, source: 'analyzer', score: 0.5 };
}

/** A camera status event of `cameraId` at time `at`. */
export function makeStatusEvent(cameraId: string, at: number): StationEvent {
  return { type: 'camera.status', at, cameraId, status: { state: 'online', since: at }, previous: 'connecting' };
}
