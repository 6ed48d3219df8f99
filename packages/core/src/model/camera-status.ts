/** The states of a camera's health state machine. */
export const CAMERA_STATES = ['connecting', 'online', 'degraded', 'offline', 'disabled'] as const;
/** One of {@link CAMERA_STATES}. */
export type CameraState = (typeof CAMERA_STATES)[number];

/** A camera's current health: the state, why, and since when (UTC ms). */
export interface CameraStatus {
  /** Current state. */
  state: CameraState;
  /** Human-readable reason for the state (e.g. `no media for 3 s`, `ffmpeg exited: 401`). */
  cause?: string;
  /** When the camera entered this state, UTC epoch ms. */
  since: number;
}

/** Live media statistics of a camera stream. */
export interface CameraStats {
  /** Frames per second measured from the stream. */
  fps?: number;
  /** Bitrate in kbit/s. */
  bitrateKbps?: number;
  /** Picture width in pixels. */
  width?: number;
  /** Picture height in pixels. */
  height?: number;
  /** Time the last media progress was seen, UTC epoch ms. */
  lastFrameAt?: number;
}
