// errors
export { ERROR_CODES } from './errors/codes.js';
export type { ErrorCode } from './errors/codes.js';
export { WardwatchError, isWardwatchError, toWardwatchError } from './errors/wardwatch-error.js';
export type { WardwatchErrorOptions } from './errors/wardwatch-error.js';

// model
export { describeIssues, parseWithSchema } from './model/validate.js';
export type { FieldProblem } from './model/validate.js';
export { CameraIdSchema, CameraSpecSchema, OWNERSHIPS, parseCameraSpec } from './model/camera-spec.js';
export type { CameraSpec, CameraSpecInput, Ownership } from './model/camera-spec.js';
export { CAMERA_STATES } from './model/camera-status.js';
export type { CameraState, CameraStats, CameraStatus } from './model/camera-status.js';
export { SegmentSchema } from './model/segment.js';
export type { RecordingGap, Segment, TimeRange } from './model/segment.js';
export { StationEventEnvelopeSchema, isEventType } from './model/station-event.js';
export type {
  Box,
  StationEvent,
  StationEventMap,
  StationEventOf,
  StationEventType,
  StoredEvent,
  TamperKind,
} from './model/station-event.js';
export {
  INCIDENT_CATEGORIES,
  INCIDENT_OUTCOMES,
  INCIDENT_STATUSES,
  IncidentRangeSchema,
  IncidentSchema,
} from './model/incident.js';
export type { Incident, IncidentCategory, IncidentOutcome, IncidentRange, IncidentStatus } from './model/incident.js';
export { EvidenceRecordSchema, HoldSchema } from './model/evidence.js';
export type { EvidenceRecord, Hold } from './model/evidence.js';
export { AuditInputSchema } from './model/audit.js';
export type { AuditEntry, AuditInput, AuditVerification } from './model/audit.js';

// audit chain
export { AUDIT_GENESIS_HASH, chainAuditEntry, hashAuditEntry, verifyAuditChain } from './audit/audit-chain.js';

// contracts
export { systemClock } from './contracts/clock.js';
export type { Clock } from './contracts/clock.js';
export { silentLogger } from './contracts/logger.js';
export type { Logger } from './contracts/logger.js';
export type {
  CameraDriver,
  CameraSession,
  DeviceInfo,
  DiscoverOptions,
  DiscoveredCamera,
  DriverEvent,
  ProbeResult,
  PtzControl,
  PtzPreset,
  PtzVector,
  StreamInfo,
} from './contracts/camera-driver.js';
export type {
  AuditLog,
  CameraRepository,
  EventQuery,
  EventRepository,
  EvidenceRepository,
  HoldRepository,
  IncidentQuery,
  IncidentRepository,
  Page,
  SegmentRepository,
  StorageAdapter,
} from './contracts/storage-adapter.js';
export type {
  ClipEvent,
  ClipRequest,
  ClipResult,
  Frame,
  FrameOptions,
  Recorder,
  RecorderContext,
  RecorderSignal,
} from './contracts/recorder.js';
export type { Analyzer, AnalyzerContext, Detection } from './contracts/analyzer.js';

// utilities
export { canonicalJson } from './util/canonical-json.js';
export { redactUrl } from './util/redact-url.js';
