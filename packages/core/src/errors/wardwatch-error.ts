import { ERROR_CODES, type ErrorCode } from './codes.js';
import type { ErrorDetails, ErrorDetailsByCode } from './error-details.js';

/** Options accepted by the {@link WardwatchError} constructor; `details` has the shape of the code's entry. */
export interface WardwatchErrorOptions<C extends ErrorCode = ErrorCode> {
  /** The underlying error, kept for diagnosis. */
  cause?: unknown;
  /** Overrides the catalogue's retryable default for this code. */
  retryable?: boolean;
  /** Structured context (camera id, device address, operation, path...), typed per code. Never put secrets here. */
  details?: ErrorDetailsByCode[C];
}

/**
 * The brand every `WardwatchError` carries, a registry symbol: errors are recognised by it rather than by class
 * identity, so an error thrown by another copy of `@wardwatch/core` (its CommonJS build, or a second install) is
 * still recognised.
 */
const BRAND: unique symbol = Symbol.for('wardwatch.error');

/** The one error class WardWatch throws: a catalogued `code`, a `cause`, and whether to retry. */
export class WardwatchError<C extends ErrorCode = ErrorCode> extends Error {
  /** The catalogued code, stable across versions. */
  readonly code: C;
  /** Whether retrying the same operation may succeed. */
  readonly retryable: boolean;
  /** Structured context for logs and API responses, typed per code (see `ErrorDetailsByCode`). */
  readonly details: ErrorDetails<C>;
  /** The cross-copy brand (see {@link isWardwatchError}), on the prototype: not an own property of each error. */
  declare readonly [BRAND]: true;

  static {
    Object.defineProperty(this.prototype, BRAND, { value: true });
  }

  constructor(code: C, message: string, options: WardwatchErrorOptions<C> = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WardwatchError';
    this.code = code;
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
    this.details = (options.details ?? {}) as ErrorDetails<C>;
  }

  /** A JSON-safe view (code, message, retryable, details) for APIs and logs. */
  toJSON(): { code: C; message: string; retryable: boolean; details: ErrorDetails<C> } {
    return { code: this.code, message: this.message, retryable: this.retryable, details: this.details };
  }

  /** `instanceof WardwatchError` also holds for a branded error of another copy of this package. */
  static override [Symbol.hasInstance](value: unknown): value is WardwatchError {
    return isWardwatchError(value);
  }
}

/**
 * True when `value` is a {@link WardwatchError} (of this or any other copy of `@wardwatch/core`, recognised by its
 * brand), optionally with the given code; narrows `details` to that code's shape.
 */
export function isWardwatchError<C extends ErrorCode = ErrorCode>(value: unknown, code?: C): value is WardwatchError<C> {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [BRAND]?: unknown })[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (code === undefined || (value as { code: unknown }).code === code)
  );
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
 * Normalises any thrown value into a {@link WardwatchError}: WardwatchErrors (of any copy of this package) pass
 * through, Node system errors map by their `code`, anything else becomes `fallback` (default `INTERNAL`); `details`
 * are typed for `fallback`.
 */
export function toWardwatchError<F extends ErrorCode = 'INTERNAL'>(
  value: unknown,
  fallback: F = 'INTERNAL' as F,
  details?: ErrorDetailsByCode[F],
): WardwatchError {
  if (isWardwatchError(value)) return value;
  const nodeCode = typeof value === 'object' && value !== null ? (value as { code?: unknown }).code : undefined;
  const mapped = typeof nodeCode === 'string' ? NODE_CODE_MAP[nodeCode] : undefined;
  const isAbort = value instanceof Error && value.name === 'AbortError';
  const code = isAbort ? 'CANCELLED' : (mapped ?? fallback);
  const message = value instanceof Error ? value.message : typeof value === 'string' ? value : `Unexpected ${typeof value} thrown`;
  return new WardwatchError<ErrorCode>(code, message, { cause: value, ...(details ? { details } : {}) });
}
