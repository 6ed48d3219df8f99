/**
 * One liveness input of a camera's health state machine.
 *
 * - `media`: frames or segments advanced (recorder `connected`, `progress`, `segment`).
 * - `media-lost`: the media process ended (recorder `disconnected`); offline at once.
 * - `probe`: a driver probe result.
 * - `connect-failed`: the driver could not connect; offline with the cause.
 * - `connecting`: a (re)connection is being attempted.
 * - `enabled`: the camera is enabled or disabled by configuration.
 */
export type HealthSignal =
  | { type: 'media'; at: number }
  | { type: 'media-lost'; at: number; cause: string }
  | { type: 'probe'; at: number; ok: boolean; cause?: string }
  | { type: 'connect-failed'; at: number; cause: string }
  | { type: 'connecting'; at: number }
  | { type: 'enabled'; at: number; enabled: boolean };
