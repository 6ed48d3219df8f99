import { WardwatchError, toWardwatchError, type ErrorCode } from '@wardwatch/core';
import type { ApiErrorBody } from '../api/api-types.js';

/**
 * The HTTP status of every WardWatch error code. Total on purpose (`Record<ErrorCode, number>`, like tRPC's
 * `getHTTPStatusCode`): a code added to the catalogue does not compile until it is given a status here.
 */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  INVALID_CONFIG: 400,
  INVALID_ARGUMENT: 400,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  INVALID_STATE: 409,
  PLUGIN_DUPLICATE: 500,
  PLUGIN_MISSING_REQUIREMENT: 500,
  OPTIONAL_DEPENDENCY_MISSING: 500,
  DRIVER_NOT_FOUND: 400,
  STATION_NOT_RUNNING: 503,
  CAMERA_UNREACHABLE: 502,
  CAMERA_TIMEOUT: 504,
  CAMERA_AUTH_FAILED: 502,
  CAMERA_PROTOCOL_ERROR: 502,
  CAMERA_SOAP_FAULT: 502,
  CAMERA_RESPONSE_TOO_LARGE: 502,
  CAMERA_UNSUPPORTED: 501,
  CAMERA_STREAM_REFUSED: 502,
  CAMERA_TLS_FAILED: 502,
  FFMPEG_NOT_FOUND: 500,
  FFMPEG_FAILED: 502,
  MEDIA_INVALID: 422,
  RECORDING_UNAVAILABLE: 404,
  CANCELLED: 409,
  STORAGE_LOCKED: 503,
  STORAGE_CORRUPT: 500,
  STORAGE_VERSION_UNSUPPORTED: 500,
  STORAGE_RECORD_INVALID: 400,
  STORAGE_RECORD_TOO_LARGE: 413,
  STORAGE_CLOSED: 503,
  STORAGE_IO: 503,
  DISK_FULL: 507,
  PATH_OUTSIDE_ROOT: 400,
  EVIDENCE_INTEGRITY_MISMATCH: 422,
  EVIDENCE_SIGNATURE_INVALID: 422,
  EVIDENCE_KEY_ERROR: 500,
  AUDIT_CHAIN_BROKEN: 500,
  SEGMENT_HELD: 409,
  SECRET_KEY_ERROR: 500,
  SECRET_UNREADABLE: 500,
  ANALYZER_BAD_FRAME: 422,
  IMAGE_DECODE_FAILED: 422,
  MODEL_NOT_FOUND: 500,
  PLATE_PATTERN_INVALID: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL: 500,
};

/** The HTTP status a WardWatch error code is answered with. */
export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/** Codes of Fastify's own client errors (body limit, media type, static files, rate limit), by status. */
const CLIENT_ERRORS: Readonly<Record<number, ErrorCode>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'INVALID_ARGUMENT',
  406: 'INVALID_ARGUMENT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  416: 'INVALID_ARGUMENT',
  429: 'RATE_LIMITED',
};

/**
 * A thrown value as a coded error. Fastify's and its plugins' own 4xx errors (`statusCode` 400-499: a body over
 * the limit, a bad media type, a refused static path) keep their meaning instead of becoming `INTERNAL`; their
 * messages are Fastify's own (no user input is echoed beyond what Fastify puts there).
 */
export function toCodedError(value: unknown): WardwatchError {
  if (value instanceof WardwatchError) return value;
  const status = (value as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = CLIENT_ERRORS[status] ?? 'INVALID_ARGUMENT';
    return new WardwatchError(code, code === 'PAYLOAD_TOO_LARGE' ? 'Request body is too large' : code === 'NOT_FOUND' ? 'Not found' : code === 'FORBIDDEN' ? 'Forbidden' : (value as Error).message, { cause: value });
  }
  return toWardwatchError(value);
}

/** Normalises any thrown value into a status code and the API error body. */
export function toApiError(value: unknown): { status: number; body: ApiErrorBody; error: WardwatchError } {
  const error = toCodedError(value);
  return { status: httpStatusOf(error.code), body: { error: error.toJSON() }, error };
}
