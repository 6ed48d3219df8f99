import { ERROR_CODES, type ErrorCode } from './codes.js';

/** Options accepted by the {@link WardwatchError} constructor. */
export interface WardwatchErrorOptions {
  /** The underlying error, kept for diagnosis. */
  cause?: unknown;
  /** Overrides the catalogue's retryable default for this code. */
  retryable?: boolean;
  /** Structured context (camera id, device address, operation, path...). Never put secrets here. */
  details?: Record<string, unknown>;
}

/** The one error class WardWatch throws: a catalogued `code`, a `cause`, and whether to retry. */
export class WardwatchError extends Error {
  /** The catalogued code, stable across versions. */
  readonly code: ErrorCode;
  /** Whether retrying the same operation may succeed. */
  readonly retryable: boolean;
  /** Structured context for logs and API responses. */
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: WardwatchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WardwatchError';
    this.code = code;
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
    this.details = options.details ?? {};
  }

  /** A JSON-safe view (code, message, retryable, details) for APIs and logs. */
  toJSON(): { code: ErrorCode; message: string; retryable: boolean; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, retryable: this.retryable, details: this.details };
  }
}

/** True when `value` is a {@link WardwatchError}, optionally with the given code. */
export function isWardwatchError(value: unknown, code?: ErrorCode): value is WardwatchError {
  return value instanceof WardwatchError && (code === undefined || value.code === code);
}

const NODE_CODE_MAP: Record<string, ErrorCode> = {
  ECONNREFUSED: 'CAMERA_UNREACHABLE',
  ECONNRESET: 'CAMERA_UNREACHABLE',
  EHOSTUNREACH: 'CAMERA_UNREACHABLE',
  ENETUNREACH: 'CAMERA_UNREACHABLE',
  ENOTFOUND: 'CAMERA_UNREACHABLE',
  ETIMEDOUT: 'CAMERA_TIMEOUT',
  ENOSPC: 'DISK_FULL',
  ENOENT: 'NOT_FOUND',
  EACCES: 'STORAGE_IO',
  EIO: 'STORAGE_IO',
  ABORT_ERR: 'CANCELLED',
};

/**
 * Normalises any thrown value into a {@link WardwatchError}: WardwatchErrors pass through,
 * Node system errors map by their `code`, anything else becomes `fallback` (default `INTERNAL`).
 */
export function toWardwatchError(
  value: unknown,
  fallback: ErrorCode = 'INTERNAL',
  details?: Record<string, unknown>,
): WardwatchError {
  if (value instanceof WardwatchError) return value;
  const nodeCode = typeof value === 'object' && value !== null ? (value as { code?: unknown }).code : undefined;
  const mapped = typeof nodeCode === 'string' ? NODE_CODE_MAP[nodeCode] : undefined;
  const isAbort = value instanceof Error && value.name === 'AbortError';
  const code = isAbort ? 'CANCELLED' : (mapped ?? fallback);
  const message = value instanceof Error ? value.message : typeof value === 'string' ? value : `Unexpected ${typeof value} thrown`;
  return new WardwatchError(code, message, { cause: value, ...(details ? { details } : {}) });
}
