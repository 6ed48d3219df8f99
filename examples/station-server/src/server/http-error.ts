import { toWardwatchError, type ErrorCode, type WardwatchError } from '@wardwatch/core';

const STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_CONFIG: 400,
  INVALID_ARGUMENT: 400,
  STORAGE_RECORD_INVALID: 400,
  NOT_FOUND: 404,
  RECORDING_UNAVAILABLE: 404,
  ALREADY_EXISTS: 409,
  INVALID_STATE: 409,
  SEGMENT_HELD: 409,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  CAMERA_UNSUPPORTED: 501,
  CAMERA_UNREACHABLE: 502,
  CAMERA_AUTH_FAILED: 502,
  CAMERA_PROTOCOL_ERROR: 502,
  CAMERA_SOAP_FAULT: 502,
  CAMERA_TIMEOUT: 504,
  STATION_NOT_RUNNING: 503,
  PATH_OUTSIDE_ROOT: 400,
  CANCELLED: 409,
  DRIVER_NOT_FOUND: 400,
};

/** The HTTP status a WardWatch error code is answered with (500 for anything unexpected). */
export function httpStatusOf(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

/** The JSON body of every API error: `{ error: { code, message, retryable, details } }`. */
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; retryable: boolean; details: Record<string, unknown> };
}

/** Normalises any thrown value into a status code and the API error body. */
export function toApiError(value: unknown): { status: number; body: ApiErrorBody; error: WardwatchError } {
  const error = toWardwatchError(value);
  return { status: httpStatusOf(error.code), body: { error: error.toJSON() }, error };
}
