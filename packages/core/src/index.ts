/**
 * WardWatch core: the domain model and schemas, createStation, the contracts adapters implement, health, incidents, reports, evidence and coded errors.
 *
 * @packageDocumentation
 * @module @wardwatch/core
 */
// errors
export { ERROR_CODES } from './errors/codes.js';
export type { ErrorCode } from './errors/codes.js';
export { WardwatchError, isWardwatchError, toWardwatchError } from './errors/wardwatch-error.js';
export type { WardwatchErrorOptions } from './errors/wardwatch-error.js';
export type {
  CameraErrorDetails,
  ErrorDetails,
  ErrorDetailsByCode,
  LooseErrorDetails,
  MediaErrorDetails,
  OptionalDependencyErrorDetails,
  PlatePatternErrorDetails,
  PluginErrorDetails,
  RecordErrorDetails,
  StorageErrorDetails,
  ValidationErrorDetails,
} from './errors/error-details.js';

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
export { SightingCropSchema, SightingInputSchema, WatchlistEntryIdSchema } from './model/sighting.js';
export type { Sighting, SightingCrop, SightingInput } from './model/sighting.js';
export { isWatchlistEntryActive, WatchlistEntrySchema } from './model/watchlist-entry.js';
export type { WatchlistEntry } from './model/watchlist-entry.js';
export { AuditInputSchema } from './model/audit.js';
export type { AuditEntry, AuditInput, AuditVerification } from './model/audit.js';

// audit chain
export { AUDIT_GENESIS_HASH, chainAuditEntry, hashAuditEntry, verifyAuditChain } from './audit/audit-chain.js';
export { createAudit } from './audit/create-audit.js';
export type { Audit, AuditRecord } from './audit/create-audit.js';

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
  DriverAnalyticsEvent,
  DriverConnectOptions,
  DriverEvent,
  DriverEventBase,
  DriverIoEvent,
  DriverMotionEvent,
  DriverTamperEvent,
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
  SightingQuery,
  SightingRepository,
  StorageAdapter,
  WatchlistRepository,
} from './contracts/storage-adapter.js';
export type {
  ClipEvent,
  ClipRequest,
  ClipResult,
  Frame,
  FrameOptions,
  Recorder,
  RecorderContext,
  RecorderNotice,
  RecorderSignal,
} from './contracts/recorder.js';
export type { PurgeOutcome, SegmentStore } from './contracts/segment-store.js';
export type { Analyzer, AnalyzerContext, Detection } from './contracts/analyzer.js';

// storage
export { createMemoryStorage } from './storage/create-memory-storage.js';
export type { MemoryStorageOptions } from './storage/create-memory-storage.js';
export { checkStorageRecord, DEFAULT_MAX_RECORD_BYTES } from './storage/check-storage-record.js';
export type { CheckedRecord } from './storage/check-storage-record.js';
export { checkTimeRange, overlapsRange } from './storage/check-time-range.js';
export { checkLimit, checkOptionalString, checkOptionalTime, MAX_PAGE_LIMIT } from './storage/check-query-options.js';
export { checkEventQuery } from './storage/check-event-query.js';
export type { CheckedEventQuery } from './storage/check-event-query.js';
export { segmentHeldError } from './storage/segment-held-error.js';
export type { HeldSegment } from './storage/segment-held-error.js';
export { eventIdBound, formatEventId, parseEventId } from './storage/event-id.js';
export { DEFAULT_GAP_TOLERANCE_MS, findRecordingGaps } from './storage/find-recording-gaps.js';
export { sumBytesPerDay, utcDay } from './storage/sum-bytes-per-day.js';

// sightings
export { compactPlate, parsePlatePattern, PLATE_PATTERN_MAX_SYMBOLS, PLATE_PATTERN_MIN_KNOWN, reversePlate } from './sightings/plate-pattern.js';
export type { PlatePattern } from './sightings/plate-pattern.js';
export { checkSightingQuery, sightingIdInRange, sightingMatches } from './sightings/check-sighting-query.js';
export type { CheckedSightingQuery } from './sightings/check-sighting-query.js';
export type { SightingService, SightingServiceOptions, StationSightingsOptions } from './sightings/sighting-service.js';
export { createSightingService } from './sightings/sighting-service.js';
export { createWatchlistService } from './sightings/watchlist-service.js';
export type { WatchlistEntryInput, WatchlistEntryPatch, WatchlistFilter, WatchlistService, WatchlistServiceOptions } from './sightings/watchlist-service.js';
export { DEFAULT_MAX_CROP_BYTES, writeSightingCrop } from './sightings/write-sighting-crop.js';

// utilities
export { backoffDelay } from './util/backoff-delay.js';
export type { BackoffOptions } from './util/backoff-delay.js';
export { canonicalJson } from './util/canonical-json.js';
export { defined } from './util/defined.js';
export { fsyncDirectory } from './util/fsync-directory.js';
export { fsyncFile } from './util/fsync-file.js';
export { redactUrl, redactUrlsIn } from './util/redact-url.js';
export { createSerialQueue } from './util/serial-queue.js';
export type { SerialQueue } from './util/serial-queue.js';

// security
export { checkStreamUri, normaliseHost, STREAM_URI_SCHEMES } from './security/check-stream-uri.js';
export type { StreamUriPolicy } from './security/check-stream-uri.js';
export { CAMERA_SECRET_FIELDS, cameraSecretContext, openCameraSecrets, sealCameraSecrets } from './security/camera-secrets.js';
export type { OpenedCameraSpec } from './security/camera-secrets.js';
export { STATION_SECRET_KEY_FILE, createFileSecretBox } from './security/file-secret-box.js';
export type { FileSecretBoxOptions } from './security/file-secret-box.js';
export { SEALED_SECRET_PREFIX, SEALED_SECRET_V1, SECRET_KEY_BYTES, createSecretBox, isSealedSecret } from './security/secret-box.js';
export type { SecretBox } from './security/secret-box.js';

// station
export { createStation } from './station/create-station.js';
export { STATION_HEALTH_DEFAULTS } from './station/resolve-station-options.js';
export { createRecorderContext } from './station/create-recorder-context.js';
export type { RecorderContextOptions } from './station/create-recorder-context.js';
export type { Station, StationOptions } from './station/station.js';
export type { StationEvidenceOptions, StationHealthOptions } from './station/station-options.js';
export type { Camera } from './station/camera.js';

// health
export { cameraHealth, HEALTH_DEFAULTS } from './health/camera-health.js';
export type { HealthOptions } from './health/camera-health.js';
export type { HealthSignal } from './health/health-signal.js';
export { computeUptime } from './health/compute-uptime.js';
export type { UptimeSummary } from './health/compute-uptime.js';

// plugins
export { definePlugin } from './plugins/define-plugin.js';
export type { Plugin, PluginContext, PluginTeardown } from './plugins/define-plugin.js';

// incidents and reports
export { createIncidentService } from './incidents/incident-service.js';
export type { CreateIncidentInput, IncidentPatch, IncidentService, IncidentServiceOptions } from './incidents/incident-service.js';
export { INCIDENT_TRANSITIONS, canTransitionIncident } from './incidents/incident-transitions.js';
export { createReportService } from './reports/report-service.js';
export type { ReportService } from './reports/report-service.js';
export { aggregateIncidents } from './reports/aggregate-incidents.js';
export type { IncidentCounts, IncidentReport, IncidentReportOptions, IncidentReportRow } from './reports/aggregate-incidents.js';
export { parseUtcOffset, periodOf } from './reports/period-key.js';
export type { ReportPeriod } from './reports/period-key.js';

// evidence (trích xuất) and chain of custody
export { EVIDENCE_PACKAGE_FILES } from './evidence/evidence-package-files.js';
export { EVIDENCE_MANIFEST_FORMAT, EvidenceManifestSchema } from './evidence/evidence-manifest.js';
export type { EvidenceManifest } from './evidence/evidence-manifest.js';
export { STATION_PRIVATE_KEY_FILE, STATION_PUBLIC_KEY_FILE, createFileKeyStore, publicKeyFingerprint } from './evidence/file-key-store.js';
export type { EvidenceKeyStore, FileKeyStoreOptions } from './evidence/file-key-store.js';
export { hashFile } from './evidence/hash-file.js';
export type { HashFileOptions } from './evidence/hash-file.js';
export { writeZip } from './evidence/write-zip.js';
export type { WriteZipOptions, ZipEntryInput, ZipEntryWritten } from './evidence/write-zip.js';
export { readZip } from './evidence/read-zip.js';
export type { ZipEntryInfo, ZipReader } from './evidence/read-zip.js';
export { writeEvidencePackage } from './evidence/write-evidence-package.js';
export type { EvidenceStill, WriteEvidencePackageInput, WrittenEvidencePackage } from './evidence/write-evidence-package.js';
export { zipEvidencePackage } from './evidence/zip-evidence-package.js';
export type { ZipEvidencePackageInput } from './evidence/zip-evidence-package.js';
export { verifyEvidencePackage } from './evidence/verify-evidence-package.js';
export type { PackageVerification, VerificationProblem, VerifiedFile, VerifyEvidencePackageOptions } from './evidence/verify-evidence-package.js';
export { createEvidenceService } from './evidence/evidence-service.js';
export type {
  EvidenceExportEvent,
  EvidenceExportPhase,
  EvidenceExportRequest,
  EvidenceService,
  EvidenceVerification,
} from './evidence/evidence-service.js';
export type { CreateHoldInput } from './evidence/evidence-holds.js';
export type { EvidenceServiceOptions } from './evidence/evidence-options.js';
