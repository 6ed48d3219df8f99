import { Subject, type Subscription } from 'rxjs';
import type { Clock } from '../contracts/clock.js';
import { cameraHealth } from '../health/camera-health.js';
import type { HealthSignal } from '../health/health-signal.js';
import type { CameraStatus } from '../model/camera-status.js';
import type { StationHealthOptions } from './station-options.js';

/**
 * The health state machine of one connection: returns the subject its signals go into; statuses go to `onStatus`.
 * A camera that is not recorded is judged by probes alone (a longer offline deadline, no lateness).
 */
export function watchCameraHealth(options: {
  clock: Clock;
  health: Required<StationHealthOptions>;
  probeOnly: boolean;
  enabled: boolean;
  owner: Subscription;
  onStatus: (status: CameraStatus) => void;
}): Subject<HealthSignal> {
  const { health: h, probeOnly } = options;
  const signals = new Subject<HealthSignal>();
  options.owner.add(
    cameraHealth(signals, {
      clock: options.clock,
      offlineAfterMs: probeOnly ? Math.max(h.offlineAfterMs, h.probeIntervalMs * 2 + 1000) : h.offlineAfterMs,
      recoverAfterMs: h.recoverAfterMs,
      probeFailuresToDegrade: h.probeFailuresToDegrade,
      lateAfterMs: probeOnly ? 0 : h.lateAfterMs,
      enabled: options.enabled,
    }).subscribe(options.onStatus),
  );
  return signals;
}
