import type { Observable } from 'rxjs';
import type { CameraSession, DeviceInfo, PtzControl } from '../contracts/camera-driver.js';
import type { CameraSpec } from '../model/camera-spec.js';
import type { CameraStats, CameraStatus } from '../model/camera-status.js';
import type { StationEvent } from '../model/station-event.js';

/** A live handle on one camera of a station. */
export interface Camera {
  /** The camera id. */
  readonly id: string;
  /** The current validated spec. */
  readonly spec: CameraSpec;
  /** Health status; replays the current status to new subscribers. */
  readonly status$: Observable<CameraStatus>;
  /** The current health status. */
  readonly status: CameraStatus;
  /** Media statistics from the recorder; replays the latest. */
  readonly stats$: Observable<CameraStats>;
  /** Station events of this camera. */
  readonly events$: Observable<StationEvent>;
  /** PTZ control, present only while connected to a device that supports PTZ. */
  readonly ptz: PtzControl | undefined;
  /** Camera clock minus station clock (ms) of the current session, when connected and known. */
  readonly clockOffsetMs: number | undefined;
  /** Device identity of the current session, when connected and known. */
  readonly device: DeviceInfo | undefined;
  /** The current driver session, when connected. */
  readonly session: CameraSession | undefined;
  /** A JPEG of the current picture (from the driver, or the recorder when the driver has none); `CAMERA_UNREACHABLE` when not connected. */
  snapshot(): Promise<Uint8Array>;
}
