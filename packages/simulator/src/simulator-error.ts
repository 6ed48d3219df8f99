/**
 * Error thrown by the simulator. `code` uses the names of the WardWatch error catalogue
 * (`INVALID_CONFIG`, `FFMPEG_NOT_FOUND`, `FFMPEG_FAILED`, `NOT_FOUND`, ...) without depending on `@wardwatch/core`.
 */
export class SimulatorError extends Error {
  /** A code from the WardWatch error catalogue. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SimulatorError';
    this.code = code;
  }
}
