import type { Subscription } from 'rxjs';
import type { CameraSession, DriverEvent } from '../contracts/camera-driver.js';
import type { Logger } from '../contracts/logger.js';
import type { StationEvent } from '../model/station-event.js';

/** The optional fields of an analytics driver event that the station event carries, when the driver set them. */
const ANALYTICS_FIELDS = ['rule', 'region', 'direction', 'objectClass'] as const;

/** The station event a device event becomes (`source: 'camera'` marks it the camera's own detection). */
function stationEventOf(event: DriverEvent, cameraId: string): StationEvent {
  switch (event.type) {
    case 'motion':
      return { type: 'motion', at: event.at, cameraId, phase: event.phase, source: 'camera' };
    case 'tamper':
      return { type: 'tamper', at: event.at, cameraId, kind: event.kind, phase: event.phase, source: 'camera' };
    case 'analytics': {
      const extra: Partial<Record<(typeof ANALYTICS_FIELDS)[number], string>> = {};
      for (const field of ANALYTICS_FIELDS) if (event[field] !== undefined) extra[field] = event[field];
      return { type: 'camera.analytics', at: event.at, cameraId, kind: event.kind, phase: event.phase, source: 'camera', ...extra };
    }
    case 'io':
      return { type: 'camera.io', at: event.at, cameraId, port: event.input, kind: event.kind ?? 'input', active: event.active, ...(event.topic !== undefined ? { topic: event.topic } : {}) };
  }
}

/**
 * Turns a session's device events into station events: `motion`, `tamper` and `camera.analytics` (with
 * `source: 'camera'`), and `camera.io` for digital inputs and outputs (with the device's `topic`).
 */
export function forwardDriverEvents(session: CameraSession, cameraId: string, emit: (event: StationEvent) => void, logger: Logger): Subscription {
  return session.events$.subscribe({
    next: (event: DriverEvent) => emit(stationEventOf(event, cameraId)),
    error: (error: unknown) => logger.error({ cameraId, err: error }, 'camera event stream failed'),
  });
}
