import type { AuditEntry, AuditInput, AuditVerification } from '../model/audit.js';
import type { CameraSpec } from '../model/camera-spec.js';
import type { EvidenceRecord, Hold } from '../model/evidence.js';
import type { Incident, IncidentStatus } from '../model/incident.js';
import type { RecordingGap, Segment, TimeRange } from '../model/segment.js';
import type { Sighting, SightingInput } from '../model/sighting.js';
import type { WatchlistEntry } from '../model/watchlist-entry.js';
import type { StationEvent, StationEventType, StoredEvent } from '../model/station-event.js';

/** A page of results with an opaque cursor for the next page. */
export interface Page<T> {
  items: T[];
  /** Pass as `after` to get the next page; absent on the last page. */
  next?: string;
}

/** Stored camera specs. */
export interface CameraRepository {
  put(spec: CameraSpec): Promise<void>;
  get(id: string): Promise<CameraSpec | undefined>;
  list(): Promise<CameraSpec[]>;
  delete(id: string): Promise<void>;
}

/** The recording index: segments per camera ordered by start time. */
export interface SegmentRepository {
  /** Indexes one closed segment (batched; durable once the promise resolves or on flush). */
  add(segment: Segment): Promise<void>;
  /** Indexes many segments at once. */
  addMany(segments: readonly Segment[]): Promise<void>;
  /** Segments of `cameraId` overlapping `[from, to)`, ordered by start. */
  query(cameraId: string, range: TimeRange): Promise<Segment[]>;
  /** The segment with the greatest start for a camera. */
  latest(cameraId: string): Promise<Segment | undefined>;
  /** Periods inside `range` not covered by segments, ignoring holes up to `toleranceMs` (default 1000). */
  gaps(cameraId: string, range: TimeRange, toleranceMs?: number): Promise<RecordingGap[]>;
  /** Bytes recorded per UTC day (`YYYY-MM-DD`) in `range`, by segment start. */
  bytesPerDay(cameraId: string, range: TimeRange): Promise<Array<{ day: string; bytes: number }>>;
  /**
   * The oldest segments not overlapped by an active hold, oldest first across all cameras
   * (or of one camera), optionally only those that started before `before`.
   */
  oldestUnheld(options: { limit: number; cameraId?: string; before?: number }): Promise<Segment[]>;
  /** Removes segments from the index (by camera and start). Held segments are refused with `SEGMENT_HELD`. */
  remove(keys: ReadonlyArray<{ cameraId: string; start: number }>): Promise<void>;
  /** Camera ids that have at least one segment. */
  cameraIds(): Promise<string[]>;
}

/** Filters for {@link EventRepository.query}. */
export interface EventQuery {
  cameraId?: string;
  types?: readonly StationEventType[];
  from?: number;
  to?: number;
  /** Cursor from a previous page. */
  after?: string;
  /** Page size. @default 100 */
  limit?: number;
  /** Newest first when true. @default false */
  reverse?: boolean;
}

/** Station events in time order with monotonic ids. */
export interface EventRepository {
  append(event: StationEvent): Promise<StoredEvent>;
  appendMany(events: readonly StationEvent[]): Promise<StoredEvent[]>;
  query(query?: EventQuery): Promise<Page<StoredEvent>>;
}

/** Filters for {@link IncidentRepository.query}; all given filters must match. */
export interface IncidentQuery {
  status?: IncidentStatus;
  category?: string;
  station?: string;
  cameraId?: string;
  after?: string;
  /** @default 100 */
  limit?: number;
}

/** Incidents with secondary indexes kept consistent with the records. */
export interface IncidentRepository {
  put(incident: Incident): Promise<void>;
  get(id: string): Promise<Incident | undefined>;
  query(query?: IncidentQuery): Promise<Page<Incident>>;
}

/** Evidence export records. */
export interface EvidenceRepository {
  put(record: EvidenceRecord): Promise<void>;
  get(id: string): Promise<EvidenceRecord | undefined>;
  list(filter?: { cameraId?: string; incidentId?: string }): Promise<EvidenceRecord[]>;
}

/** Evidence locks on camera/time ranges. */
export interface HoldRepository {
  put(hold: Hold): Promise<void>;
  get(id: string): Promise<Hold | undefined>;
  /** Holds, optionally of one camera, optionally only active (not released) ones. */
  list(filter?: { cameraId?: string; active?: boolean }): Promise<Hold[]>;
  /** Active holds of `cameraId` overlapping `range`. */
  covering(cameraId: string, range: TimeRange): Promise<Hold[]>;
}

/** The hash-chained, append-only audit log. */
export interface AuditLog {
  /** Appends an entry chained to the previous one; returns it with seq and hashes. */
  append(input: AuditInput): Promise<AuditEntry>;
  /** Entries in sequence order starting at `fromSeq` (default 1). */
  list(options?: { fromSeq?: number; limit?: number }): Promise<AuditEntry[]>;
  /** Re-hashes the whole chain and reports the first broken entry. */
  verify(): Promise<AuditVerification>;
}

/**
 * Filters for {@link SightingRepository.query}; all given filters must match. Results are in time order
 * (by id, which sorts by time); `next` is the last item's id.
 */
export interface SightingQuery {
  /**
   * A plate (`29A-123.45`) or a partial plate (`29A-1??.45`, `*123.45`) in the grammar of `parsePlatePattern`;
   * layout characters are ignored. A malformed one fails with `PLATE_PATTERN_INVALID`.
   */
  plate?: string;
  /** Sightings of one watchlist entry (face matches, and plate reads that matched a wanted vehicle). */
  entryId?: string;
  /** Only plate reads or only face matches. */
  kind?: 'plate' | 'face';
  /** Only these cameras (at least one). */
  cameraIds?: readonly string[];
  /** Inclusive start, UTC ms. */
  from?: number;
  /** Exclusive end, UTC ms. */
  to?: number;
  /** Cursor from a previous page (the id of its last item). */
  after?: string;
  /** Page size. @default 100 */
  limit?: number;
}

/**
 * Plate reads and face matches, indexed by plate (exact and partial) and by watchlist entry, so "where was
 * 29A-123.45 this week" is one range scan.
 */
export interface SightingRepository {
  /** Stores one sighting and gives it a time-ordered id (`<at:15>-<seq:12>`, unique across restarts). */
  add(input: SightingInput): Promise<Sighting>;
  /** Stores many sightings in one batch; ids in input order. */
  addMany(inputs: readonly SightingInput[]): Promise<Sighting[]>;
  get(id: string): Promise<Sighting | undefined>;
  /** A page of sightings in time order; see {@link SightingQuery}. */
  query(query?: SightingQuery): Promise<Page<Sighting>>;
  /** Forgets the crop of these sightings (its file went with retention); the sightings stay. Unknown ids are ignored. */
  removeCrops(ids: readonly string[]): Promise<void>;
}

/** Watchlist entries: wanted vehicles and enrolled faces. */
export interface WatchlistRepository {
  /** Stores or replaces an entry. */
  put(entry: WatchlistEntry): Promise<void>;
  get(id: string): Promise<WatchlistEntry | undefined>;
  /** Every entry (optionally of one kind), ordered by id; expired ones included. */
  list(filter?: { kind?: 'plate' | 'face' }): Promise<WatchlistEntry[]>;
  /** Deletes an entry; an unknown id is a no-op. */
  delete(id: string): Promise<void>;
}

/** Persistence for a station: one repository per entity, batched writes, range-scan reads. */
export interface StorageAdapter {
  readonly cameras: CameraRepository;
  readonly segments: SegmentRepository;
  readonly events: EventRepository;
  readonly incidents: IncidentRepository;
  readonly evidence: EvidenceRepository;
  readonly holds: HoldRepository;
  readonly audit: AuditLog;
  /** Plate reads and face matches. */
  readonly sightings: SightingRepository;
  /** Wanted vehicles and enrolled faces. */
  readonly watchlist: WatchlistRepository;
  /** Writes every buffered write to durable storage. */
  flush(): Promise<void>;
  /** Flushes and releases the storage; later calls fail with `STORAGE_CLOSED`. Idempotent. */
  close(): Promise<void>;
}
