/**
 * The single catalogue of WardWatch error codes: every `WardwatchError` carries one of these.
 * Each entry says what went wrong and whether retrying the same operation can succeed.
 */
export const ERROR_CODES = {
  // configuration and arguments
  INVALID_CONFIG: { retryable: false, description: 'A configuration or spec failed validation; the message names every bad field.' },
  INVALID_ARGUMENT: { retryable: false, description: 'A function argument is out of range or malformed.' },
  NOT_FOUND: { retryable: false, description: 'The camera, record or file asked for does not exist.' },
  ALREADY_EXISTS: { retryable: false, description: 'A record with the same id already exists.' },
  INVALID_STATE: { retryable: false, description: 'The operation is not allowed in the current state (e.g. an incident status transition).' },
  // plugins and composition
  PLUGIN_DUPLICATE: { retryable: false, description: 'A plugin, driver or analyzer with the same name is already registered.' },
  PLUGIN_MISSING_REQUIREMENT: { retryable: false, description: 'A plugin requires another plugin that is not registered.' },
  DRIVER_NOT_FOUND: { retryable: false, description: "No registered driver has the camera spec's driver id." },
  STATION_NOT_RUNNING: { retryable: false, description: 'The station is not started, or is stopping.' },
  OPTIONAL_DEPENDENCY_MISSING: { retryable: false, description: 'A feature needs an optional package that is not installed; `details.packages` names what to add.' },
  // cameras and devices
  CAMERA_UNREACHABLE: { retryable: true, description: 'The camera did not accept a connection (refused, reset, no route).' },
  CAMERA_TIMEOUT: { retryable: true, description: 'The camera did not answer within the per-call timeout.' },
  CAMERA_AUTH_FAILED: { retryable: false, description: 'The camera rejected the credentials (HTTP 401, SOAP NotAuthorized, RTSP 401).' },
  CAMERA_PROTOCOL_ERROR: { retryable: false, description: 'The camera answered with malformed data (XML, SDP, RTSP, HTTP).' },
  CAMERA_SOAP_FAULT: { retryable: false, description: 'The camera answered an ONVIF call with a SOAP fault.' },
  CAMERA_RESPONSE_TOO_LARGE: { retryable: false, description: 'A camera response exceeded the configured size cap.' },
  CAMERA_UNSUPPORTED: { retryable: false, description: 'The camera does not support the operation (e.g. PTZ on a fixed camera).' },
  CAMERA_STREAM_REFUSED: { retryable: false, description: "A driver reported a stream URI that is not rtsp:/rtsps:, or whose host is not the camera's (or one the admin allowed)." },
  CAMERA_TLS_FAILED: { retryable: false, description: "The camera's TLS certificate was not trusted (e.g. self-signed without the option that allows it)." },
  // media
  FFMPEG_NOT_FOUND: { retryable: false, description: 'No ffmpeg/ffprobe binary was found (FFMPEG_PATH, PATH, bundled).' },
  FFMPEG_FAILED: { retryable: true, description: 'An ffmpeg or ffprobe process failed; the message carries its last stderr lines.' },
  MEDIA_INVALID: { retryable: false, description: 'A media file could not be probed or is not what was expected.' },
  RECORDING_UNAVAILABLE: { retryable: false, description: 'No recorded footage exists for the requested camera and range.' },
  CANCELLED: { retryable: false, description: 'The operation was cancelled by its caller.' },
  // storage and disk
  STORAGE_LOCKED: { retryable: false, description: 'The database is held by another process.' },
  STORAGE_CORRUPT: { retryable: false, description: 'The database or directory is corrupt or is not a WardWatch database.' },
  STORAGE_VERSION_UNSUPPORTED: { retryable: false, description: 'The database was written by a newer WardWatch version.' },
  STORAGE_RECORD_INVALID: { retryable: false, description: 'A record failed validation before it was written.' },
  STORAGE_RECORD_TOO_LARGE: { retryable: false, description: 'A record exceeds the maximum stored size.' },
  STORAGE_CLOSED: { retryable: false, description: 'The storage adapter was used after close().' },
  STORAGE_IO: { retryable: true, description: 'A read or write of the storage failed.' },
  DISK_FULL: { retryable: true, description: 'The disk has no space left for recordings or exports.' },
  PATH_OUTSIDE_ROOT: { retryable: false, description: 'A path resolves outside the directory it must stay in (path traversal).' },
  // evidence and audit
  EVIDENCE_INTEGRITY_MISMATCH: { retryable: false, description: 'A file hash does not match the recorded hash; the message names the file.' },
  EVIDENCE_SIGNATURE_INVALID: { retryable: false, description: 'The evidence manifest signature does not verify.' },
  EVIDENCE_KEY_ERROR: { retryable: false, description: 'The station signing key is missing, unreadable or has unsafe permissions.' },
  AUDIT_CHAIN_BROKEN: { retryable: false, description: 'The hash-chained audit log does not verify.' },
  SEGMENT_HELD: { retryable: false, description: 'The segment is held by an incident or evidence export and cannot be deleted.' },
  // stored secrets
  SECRET_KEY_ERROR: { retryable: false, description: 'The station secret key is missing, malformed or has unsafe permissions.' },
  SECRET_UNREADABLE: { retryable: false, description: 'A stored secret does not decrypt (wrong station secret key, tampered or moved ciphertext, unknown envelope).' },
  // analytics
  ANALYZER_BAD_FRAME: { retryable: false, description: 'A frame has the wrong size or format for the analyzer.' },
  IMAGE_DECODE_FAILED: { retryable: false, description: 'An image could not be decoded.' },
  MODEL_NOT_FOUND: { retryable: false, description: 'A model file the analyzer needs is missing.' },
  // sightings and watchlists
  PLATE_PATTERN_INVALID: { retryable: false, description: 'A plate or plate pattern breaks the pattern grammar; `details.rule` names the rule.' },
  // server / access
  UNAUTHENTICATED: { retryable: false, description: 'No valid session or credentials were presented.' },
  FORBIDDEN: { retryable: false, description: "The user's role does not allow the operation." },
  RATE_LIMITED: { retryable: true, description: 'Too many attempts; retry later.' },
  PAYLOAD_TOO_LARGE: { retryable: false, description: 'A request body is larger than the server accepts.' },
  UNSUPPORTED_MEDIA_TYPE: { retryable: false, description: 'A request body has a content type the server does not accept (JSON only).' },
  // fallback
  INTERNAL: { retryable: false, description: 'An unexpected error; the cause holds the original.' },
} as const satisfies Record<string, { retryable: boolean; description: string }>;

/** A string-literal code from the {@link ERROR_CODES} catalogue. */
export type ErrorCode = keyof typeof ERROR_CODES;
