import type { Observable } from 'rxjs';
import type { Analyzer } from '../contracts/analyzer.js';
import type { CameraDriver } from '../contracts/camera-driver.js';
import type { Clock } from '../contracts/clock.js';
import type { Logger } from '../contracts/logger.js';
import type { Audit } from '../audit/create-audit.js';
import type { Recorder } from '../contracts/recorder.js';
import type { StorageAdapter } from '../contracts/storage-adapter.js';
import type { UptimeSummary } from '../health/compute-uptime.js';
import type { EvidenceService } from '../evidence/evidence-service.js';
import type { IncidentService } from '../incidents/incident-service.js';
import type { CameraSpec, CameraSpecInput } from '../model/camera-spec.js';
import type { TimeRange } from '../model/segment.js';
import type { StationEvent } from '../model/station-event.js';
import type { Plugin } from '../plugins/define-plugin.js';
import type { ReportService } from '../reports/report-service.js';
import type { SecretBox } from '../security/secret-box.js';
import type { SightingService, StationSightingsOptions } from '../sightings/sighting-service.js';
import type { WatchlistService } from '../sightings/watchlist-service.js';
import type { Camera } from './camera.js';
import type { StationEvidenceOptions, StationHealthOptions } from './station-options.js';

/** The composition root of a ward station: cameras, recording, health, events and services. */
export interface Station {
  /** The camera handles, re-emitted whenever a camera is added or removed. */
  readonly cameras$: Observable<readonly Camera[]>;
  /** The handle of a camera, or undefined. */
  camera(id: string): Camera | undefined;
  /** Validates, persists and (when running) connects a camera; emits `camera.added`. */
  addCamera(input: CameraSpecInput | CameraSpec): Promise<Camera>;
  /**
   * Replaces fields of a camera's spec (the id cannot change), persists and reconnects it; emits `camera.updated`.
   * Before `start()` it also updates a stored camera not loaded yet (e.g. one brought up to date from a config file);
   * a patch with a `connection` replaces the stored one unread, so re-entering it recovers from a lost `secrets` key.
   */
  updateCamera(id: string, patch: Partial<CameraSpecInput>): Promise<Camera>;
  /**
   * Disconnects, forgets and deletes a camera's spec; emits `camera.removed`. Its recordings stay. Before `start()` it
   * also deletes a stored camera not loaded yet, without reading it (e.g. one whose secret is unreadable).
   */
  removeCamera(id: string): Promise<void>;
  /** Every station event (hot); each is also persisted in `storage.events` in batches. */
  readonly events$: Observable<StationEvent>;
  /** Publishes an event on `events$` and persists it (for services and plugins). */
  emit(event: StationEvent): void;
  /** Loads stored cameras, starts the recorder and connects every enabled camera. */
  start(): Promise<void>;
  /**
   * Stops gracefully: cameras disconnected, sessions closed, analyzers unsubscribed, recorder stopped,
   * plugin teardowns run, events flushed and storage flushed. The storage is not closed (its owner closes it).
   */
  stop(): Promise<void>;
  /** Whether the station is started and not stopping. */
  readonly running: boolean;
  /** Uptime of a camera over a range, from its persisted `camera.status` events. */
  uptime(cameraId: string, range: TimeRange): Promise<UptimeSummary>;
  /** Incidents (vụ việc). */
  readonly incidents: IncidentService;
  /** Incident reports. */
  readonly reports: ReportService;
  /** Evidence export, holds and chain of custody; undefined when the station was created without `evidence`. */
  readonly evidence: EvidenceService | undefined;
  /** Plate reads and face matches: the one writer of `storage.sightings` (from `plate`/`face` events) and audited search. */
  readonly sightings: SightingService;
  /** Wanted vehicles and enrolled faces: the one writer of `storage.watchlist`, every change audited. */
  readonly watchlists: WatchlistService;
  /** The station's audit function (on the station clock): the one writer of `storage.audit`, for services and integrators alike. */
  readonly audit: Audit;
  /** The storage the station writes to (owned by the caller). */
  readonly storage: StorageAdapter;
  /** The recorder, when one was given. */
  readonly recorder: Recorder | undefined;
  /** Registered drivers by id (e.g. for discovery). */
  readonly drivers: ReadonlyMap<string, CameraDriver>;
  /** Registered analyzers by name. */
  readonly analyzers: ReadonlyMap<string, Analyzer>;
  /** Event types declared by plugins. */
  readonly eventTypes: ReadonlySet<string>;
  /** The station clock. */
  readonly clock: Clock;
  /** The station logger. */
  readonly logger: Logger;
}

/** Options of {@link createStation}. */
export interface StationOptions {
  /** Where cameras, segments, events, incidents and audit live. The caller owns it: `stop()` flushes it but never closes it. */
  storage: StorageAdapter;
  /** Camera drivers (more can come from plugins). @default [] */
  drivers?: readonly CameraDriver[];
  /** The recorder; without one there is no recording, frames or media liveness (health then follows probes). */
  recorder?: Recorder;
  /** Analyzers (more can come from plugins). @default [] */
  analyzers?: readonly Analyzer[];
  /** Plugins, registered in order; a plugin's `requires` must be registered before it. @default [] */
  plugins?: readonly Plugin[];
  /** The clock (RxJS scheduler). @default systemClock */
  clock?: Clock;
  /** A pino-compatible logger. @default silentLogger */
  logger?: Logger;
  /** Health tuning. */
  health?: StationHealthOptions;
  /** Incident categories added to `INCIDENT_CATEGORIES`. @default [] */
  incidentCategories?: readonly string[];
  /** Incident outcomes added to `INCIDENT_OUTCOMES`. @default [] */
  incidentOutcomes?: readonly string[];
  /** The police station name new incidents default to. @default 'station' */
  stationName?: string;
  /** Evidence export (needs a `recorder`): the station then offers `station.evidence`. @default no evidence service */
  evidence?: StationEvidenceOptions;
  /** Sightings: where plate crops are written. @default sightings without crops */
  sightings?: StationSightingsOptions;
  /**
   * Encrypts camera credentials (`connection.password`) before they reach `storage.cameras`, and decrypts them on
   * load: e.g. `createFileSecretBox({ dir })` next to the evidence key. Plain-text passwords stored earlier are read and
   * stored encrypted again; an encrypted one that does not decrypt fails with `SECRET_UNREADABLE`.
   * @default no encryption: passwords are stored as given
   */
  secrets?: SecretBox;
  /** Event persistence batching. */
  events?: {
    /** Events written per `appendMany`. @default 500 */
    batchSize?: number;
    /** Longest an event waits before it is written, ms. @default 200 */
    flushIntervalMs?: number;
    /** Events kept in memory while storage fails; beyond this the oldest are dropped (and logged). @default 100000 */
    maxBuffered?: number;
  };
}
