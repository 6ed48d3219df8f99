import type { Subscription } from 'rxjs';
import type { CameraSession, DriverEvent } from '../contracts/camera-driver.js';
import type { Logger } from '../contracts/logger.js';
import type { StationEvent } from '../model/station-event.js';

/** Turns a session's device events into station events (`motion`, `tamper`, `camera.analytics`, with `source: 'camera'`); digital inputs are logged. */
export function forwardDriverEvents(session: CameraSession, cameraId: string, emit: (event: StationEvent) => void, logger: Logger): Subscription {
  return session.events$.subscribe({
    next: (event: DriverEvent) => {
      if (event.type === 'motion') emit({ type: 'motion', at: event.at, cameraId, phase: event.phase, source: 'camera' });
      else if (event.type === 'tamper') emit({ type: 'tamper', at: event.at, cameraId, kind: event.kind, phase: event.phase, source: 'camera' });
      else if (event.type === 'analytics') emit({ type: 'camera.analytics', at: event.at, cameraId, kind: event.kind, phase: event.phase, source: 'camera' });
      else logger.debug({ input: event.input, active: event.active }, 'camera digital input');
    },
    error: (error: unknown) => logger.error({ cameraId, err: error }, 'camera event stream failed'),
  });
}
