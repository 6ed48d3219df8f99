import type { CameraSession } from '../contracts/camera-driver.js';
import type { CameraStats, CameraStatus } from '../model/camera-status.js';
import { defined } from '../util/defined.js';

/** Everything about one camera's runtime that changes from callbacks (driver, recorder, health, timers). */
export interface CameraRuntimeState {
  status: CameraStatus;
  stats: CameraStats;
  /** The driver session, while connected. */
  session: CameraSession | undefined;
  /** Consecutive failed connect attempts (for the backoff). */
  failures: number;
}

/** What can happen to a camera runtime: the one way its state changes (see {@link reduceCameraRuntime}). */
export type CameraRuntimeAction =
  /** The health state machine decided a status. */
  | { type: 'health'; status: CameraStatus }
  /** The connection was stopped on purpose (`disconnect`): offline with the reason, unless already offline or disabled. */
  | { type: 'stopped'; cause: string; at: number }
  /** The recorder reported media statistics. */
  | { type: 'progress'; at: number; fps?: number | undefined; bitrateKbps?: number | undefined; width?: number | undefined; height?: number | undefined }
  /** A new connection (with its own retry count) starts. */
  | { type: 'connection-started' }
  /** A connect attempt failed. */
  | { type: 'connect-failed' }
  /** The driver opened a session. */
  | { type: 'session-opened'; session: CameraSession }
  /** The session ended (closed by disconnect); ignored when another session is current. */
  | { type: 'session-closed'; session: CameraSession | undefined };

/** The state of a camera runtime before anything happened. */
export function initialCameraRuntimeState(enabled: boolean, now: number): CameraRuntimeState {
  return { status: { state: enabled ? 'connecting' : 'disabled', since: now }, stats: {}, session: undefined, failures: 0 };
}

/**
 * The camera runtime's reducer: a pure function from a state and an action to the next state (the station
 * publishes what changed: `status$`, `camera.status`, `stats$`). A status that keeps its state is no change.
 */
export function reduceCameraRuntime(state: CameraRuntimeState, action: CameraRuntimeAction): CameraRuntimeState {
  switch (action.type) {
    case 'health':
      return action.status.state === state.status.state ? state : { ...state, status: action.status };
    case 'stopped':
      return state.status.state === 'offline' || state.status.state === 'disabled' ? state : { ...state, status: { state: 'offline', cause: action.cause, since: action.at } };
    case 'progress': {
      const { fps, bitrateKbps, width, height } = action;
      return { ...state, stats: { ...state.stats, ...defined({ fps, bitrateKbps, width, height }), lastFrameAt: action.at } };
    }
    case 'connection-started':
      return state.failures === 0 ? state : { ...state, failures: 0 };
    case 'connect-failed':
      return { ...state, failures: state.failures + 1 };
    case 'session-opened':
      return { ...state, session: action.session, failures: 0 };
    case 'session-closed':
      return action.session === undefined || state.session === action.session ? { ...state, session: undefined } : state;
  }
}
