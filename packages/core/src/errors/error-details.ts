import type { FieldProblem } from '../model/validate.js';
import type { ErrorCode } from './codes.js';

/** Details of a code without a shape of its own: structured context, never secrets. */
export type LooseErrorDetails = Record<string, unknown>;

/** Details of the validation codes: every bad field with the reason. */
export type ValidationErrorDetails = {
  /** Every field that failed, as dotted paths with reasons. */
  problems?: FieldProblem[];
  /** The option, argument or setting that is wrong, when there is one. */
  field?: string;
  /** The configuration key that is wrong, when there is one. */
  key?: string;
  /** The rejected value (never a secret). */
  value?: unknown;
  /** The position of the bad item in a list. */
  index?: number;
  /** The camera whose configuration is wrong. */
  cameraId?: string;
  /** The device address, credentials redacted, when the device's answer made the configuration wrong. */
  address?: string;
  /** The device operation that showed it. */
  operation?: string;
};

/** Details of the record-lookup codes: which record (one id set), or which file. */
export type RecordErrorDetails = {
  cameraId?: string;
  incidentId?: string;
  evidenceId?: string;
  holdId?: string;
  exportId?: string;
  /** A watchlist entry. */
  entryId?: string;
  /** A file or directory path (never one with credentials). */
  path?: string;
  /** The position of the item in a list the caller gave. */
  index?: number;
};

/** Details of the camera and device codes: which camera, which device address and which call. */
export type CameraErrorDetails = {
  cameraId?: string;
  /** The device address as called, credentials redacted (`redactUrl`). */
  address?: string;
  /** The driver or protocol operation, e.g. `GetProfiles`, `snapshot`, `discover`. */
  operation?: string;
  /** HTTP or RTSP status code of the answer. */
  status?: number;
  /** The deadline that passed, ms (`CAMERA_TIMEOUT`). */
  timeoutMs?: number;
  /** The size cap that was exceeded, bytes (`CAMERA_RESPONSE_TOO_LARGE`). */
  maxBytes?: number;
  /** SOAP fault code and subcodes (`CAMERA_SOAP_FAULT`). */
  faultCodes?: string[];
  /** SOAP fault reason text (`CAMERA_SOAP_FAULT`). */
  reason?: string;
  /** The host called, when there is no URL. */
  host?: string;
  /** Size of the answer, bytes. */
  bytes?: number;
  /** Content type of the answer. */
  contentType?: string;
  /** The camera's clock as its HTTP `Date` header said, epoch ms (clock-skew diagnosis). */
  cameraDateMs?: number;
  /** Camera clock minus station clock, ms. */
  clockOffsetMs?: number;
  /** Node's TLS error code (`CAMERA_TLS_FAILED`), e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`. */
  tlsCode?: string;
};

/** Details of the ffmpeg and media codes. */
export type MediaErrorDetails = {
  cameraId?: string;
  /** The media file concerned. */
  path?: string;
  /** The ffmpeg/ffprobe exit code. */
  exitCode?: number | null;
  /** The signal that ended the process. */
  signal?: string | null;
  /** `false` when the recorder's direct clip joiner cannot join the file (the clip is cut by ffmpeg instead). */
  joinable?: boolean;
  /** Why, in a few words. */
  reason?: string;
};

/** Details of the storage codes. */
export type StorageErrorDetails = {
  /** The database location or file. */
  path?: string;
  cameraId?: string;
  /** Which record type failed (`STORAGE_RECORD_INVALID`, `STORAGE_RECORD_TOO_LARGE`). */
  record?: string;
  /** Every field that failed (`STORAGE_RECORD_INVALID`). */
  problems?: FieldProblem[];
  /** The size cap that was exceeded, bytes (`STORAGE_RECORD_TOO_LARGE`). */
  maxBytes?: number;
  /** Schema version found in the database (`STORAGE_VERSION_UNSUPPORTED`). */
  found?: number;
  /** Newest schema version this build reads (`STORAGE_VERSION_UNSUPPORTED`). */
  supported?: number;
  /** Size of the record, bytes (`STORAGE_RECORD_TOO_LARGE`). */
  bytes?: number;
  /** The storage operation that failed, e.g. `batch write`. */
  operation?: string;
  /** How many operations the failed batch held. */
  ops?: number;
  /** What a directory that is not a database holds (`STORAGE_CORRUPT`). */
  entries?: string[];
  /** What is wrong with the database (`STORAGE_CORRUPT`; the LevelDB adapter's `LevelStorageProblem`). */
  problem?: string;
  /** Whether the adapter can repair it when asked (`STORAGE_CORRUPT`). */
  repairable?: boolean;
  /** The damaged file inside the database directory, its byte offset and what is wrong there (`STORAGE_CORRUPT`). */
  file?: string;
  offset?: number;
  reason?: string;
  /** The copy of the database taken before a repair. */
  backup?: string;
  /** The position of the file in the list given (`STORAGE_IO` while hashing). */
  index?: number;
};

/** Details of `PLUGIN_DUPLICATE` and `PLUGIN_MISSING_REQUIREMENT`: which contribution clashed or is missing. */
export type PluginErrorDetails = {
  plugin?: string;
  driver?: string;
  analyzer?: string;
  eventType?: string;
  /** The plugin that registered the first one. */
  owner?: string;
  /** Required plugins that are not registered. */
  missing?: string[];
};

/** Details of `PLATE_PATTERN_INVALID`: the pattern as given, the rule it breaks and where. */
export type PlatePatternErrorDetails = {
  /** The pattern as the caller gave it. */
  pattern: string;
  /** The broken rule: `empty`, `character`, `too-long`, `adjacent-stars` or `too-few-known`. */
  rule: 'empty' | 'character' | 'too-long' | 'adjacent-stars' | 'too-few-known';
  /** 0-based position of the offending character in the given pattern, when there is one. */
  position?: number;
};

/** Details of `OPTIONAL_DEPENDENCY_MISSING`: the packages to add and what needs them. */
export type OptionalDependencyErrorDetails = {
  /** The npm packages to install, e.g. `['onnxruntime-node']`. */
  packages: string[];
  /** What needs them, e.g. `plate reading`. */
  feature: string;
};

/**
 * The details type of each error code: `new WardwatchError(code, message, { details })` checks `details` against the
 * entry of `code`, and `isWardwatchError(error, code)` narrows `error.details` to it. Every code has an entry.
 */
export interface ErrorDetailsByCode {
  INVALID_CONFIG: ValidationErrorDetails;
  INVALID_ARGUMENT: LooseErrorDetails;
  NOT_FOUND: RecordErrorDetails;
  ALREADY_EXISTS: RecordErrorDetails;
  INVALID_STATE: LooseErrorDetails;
  PLUGIN_DUPLICATE: PluginErrorDetails;
  PLUGIN_MISSING_REQUIREMENT: PluginErrorDetails;
  DRIVER_NOT_FOUND: LooseErrorDetails;
  STATION_NOT_RUNNING: LooseErrorDetails;
  OPTIONAL_DEPENDENCY_MISSING: OptionalDependencyErrorDetails;
  CAMERA_UNREACHABLE: CameraErrorDetails;
  CAMERA_TIMEOUT: CameraErrorDetails;
  CAMERA_STREAM_REFUSED: CameraErrorDetails;
  CAMERA_AUTH_FAILED: CameraErrorDetails;
  CAMERA_PROTOCOL_ERROR: CameraErrorDetails;
  CAMERA_SOAP_FAULT: CameraErrorDetails;
  CAMERA_RESPONSE_TOO_LARGE: CameraErrorDetails;
  CAMERA_UNSUPPORTED: CameraErrorDetails;
  CAMERA_TLS_FAILED: CameraErrorDetails;
  FFMPEG_NOT_FOUND: LooseErrorDetails;
  FFMPEG_FAILED: MediaErrorDetails;
  MEDIA_INVALID: MediaErrorDetails;
  RECORDING_UNAVAILABLE: LooseErrorDetails;
  CANCELLED: LooseErrorDetails;
  STORAGE_LOCKED: StorageErrorDetails;
  STORAGE_CORRUPT: StorageErrorDetails;
  STORAGE_VERSION_UNSUPPORTED: StorageErrorDetails;
  STORAGE_RECORD_INVALID: StorageErrorDetails;
  STORAGE_RECORD_TOO_LARGE: StorageErrorDetails;
  STORAGE_CLOSED: StorageErrorDetails;
  STORAGE_IO: StorageErrorDetails;
  DISK_FULL: LooseErrorDetails;
  PATH_OUTSIDE_ROOT: LooseErrorDetails;
  EVIDENCE_INTEGRITY_MISMATCH: LooseErrorDetails;
  EVIDENCE_SIGNATURE_INVALID: LooseErrorDetails;
  EVIDENCE_KEY_ERROR: LooseErrorDetails;
  AUDIT_CHAIN_BROKEN: LooseErrorDetails;
  SEGMENT_HELD: LooseErrorDetails;
  SECRET_KEY_ERROR: LooseErrorDetails;
  SECRET_UNREADABLE: LooseErrorDetails;
  ANALYZER_BAD_FRAME: LooseErrorDetails;
  IMAGE_DECODE_FAILED: LooseErrorDetails;
  MODEL_NOT_FOUND: LooseErrorDetails;
  PLATE_PATTERN_INVALID: PlatePatternErrorDetails;
  UNAUTHENTICATED: LooseErrorDetails;
  FORBIDDEN: LooseErrorDetails;
  RATE_LIMITED: LooseErrorDetails;
  PAYLOAD_TOO_LARGE: LooseErrorDetails;
  UNSUPPORTED_MEDIA_TYPE: LooseErrorDetails;
  INTERNAL: LooseErrorDetails;
}

/**
 * The details an error of code `C` carries: its {@link ErrorDetailsByCode} entry, readable as loose details too (so
 * `error.details.path` reads as `unknown` on an error whose code is not narrowed).
 */
export type ErrorDetails<C extends ErrorCode = ErrorCode> = ErrorDetailsByCode[C] & LooseErrorDetails;
