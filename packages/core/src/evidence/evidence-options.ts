import { resolve } from 'node:path';
import { createAudit, type Audit } from '../audit/create-audit.js';
import { systemClock, type Clock } from '../contracts/clock.js';
import { silentLogger, type Logger } from '../contracts/logger.js';
import type { Recorder } from '../contracts/recorder.js';
import type { StorageAdapter } from '../contracts/storage-adapter.js';
import { createIncidentService, type IncidentService } from '../incidents/incident-service.js';
import type { StationEvent } from '../model/station-event.js';
import type { EvidenceKeyStore } from './file-key-store.js';

/** Options of `createEvidenceService` (the station builds them from `createStation({ evidence })`). */
export interface EvidenceServiceOptions {
  storage: StorageAdapter;
  /** Cuts clips by stream copy (`@wardwatch/recorder`'s `createRecorder`). */
  recorder: Pick<Recorder, 'exportClip'>;
  /** The station signing key (see `createFileKeyStore`). */
  keyStore: EvidenceKeyStore;
  /** Folder where packages (`<id>/` and `<id>.zip`) are written. */
  evidenceRoot: string;
  /** The recorder root: segment paths in the index are relative to it. */
  recordingsRoot: string;
  /** The station named in every manifest. */
  station: { id: string; name: string; ward: string };
  /** Versions written to the manifest, e.g. `{ '@wardwatch/core': '0.1.0', ffmpeg: '5.1' }`. @default {} */
  softwareVersions?: Record<string, string>;
  /** @default systemClock */
  clock?: Clock;
  /** @default silentLogger */
  logger?: Logger;
  /** Publishes station events (`evidence.exported`, `hold.created`, `hold.released`). @default nothing */
  emit?: (event: StationEvent) => void;
  /** The station's audit function. @default one over `storage.audit` and `clock` */
  audit?: Audit;
  /** Links evidence to incidents: the station's incident service. @default one over the same storage, clock, audit and `emit` */
  incidents?: Pick<IncidentService, 'linkEvidence'>;
  /** The measured camera clock offset (`CameraSession.clockOffsetMs`) when the request does not carry one. @default unknown */
  clockOffsetOf?: (cameraId: string) => number | undefined;
  /** Extracts a JPEG at `offsetMs` into the clip, for requests that ask for stills. */
  extractStill?: (clipPath: string, offsetMs: number, signal: AbortSignal) => Promise<Uint8Array>;
  /** Longest exportable range. @default 86_400_000 (24 h) */
  maxRangeMs?: number;
  /**
   * When the `.zip` is written: at the first `ensureZip` (download), after the folder verified and audited as
   * `evidence.zip` (`on-demand`, which halves the bytes written by an export), or at export (`eager`, for tools
   * whose operator carries the file away at once). Either way the `.zip` bytes are the same. @default 'on-demand'
   */
  zip?: 'eager' | 'on-demand';
}

/**
 * {@link EvidenceServiceOptions} with every default resolved once: what each step of the service is given
 * (internal). The roots are absolute; `emit` logs a failing listener instead of throwing into the export.
 */
export type EvidenceContext = Required<Omit<EvidenceServiceOptions, 'extractStill'>> & Pick<EvidenceServiceOptions, 'extractStill'>;

/** Resolves the defaults of {@link EvidenceServiceOptions}. */
export function resolveEvidenceOptions(options: EvidenceServiceOptions): EvidenceContext {
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ component: 'evidence' });
  const emit = (event: StationEvent): void => {
    try {
      options.emit?.(event);
    } catch (error) {
      logger.error({ err: error, type: event.type }, 'event listener failed');
    }
  };
  const audit = options.audit ?? createAudit({ log: options.storage.audit, clock });
  return {
    storage: options.storage,
    recorder: options.recorder,
    keyStore: options.keyStore,
    evidenceRoot: resolve(options.evidenceRoot),
    recordingsRoot: resolve(options.recordingsRoot),
    station: options.station,
    softwareVersions: options.softwareVersions ?? {},
    clock,
    logger,
    emit,
    audit,
    incidents: options.incidents ?? createIncidentService({ storage: options.storage, clock, emit, audit }),
    clockOffsetOf: options.clockOffsetOf ?? (() => undefined),
    ...(options.extractStill ? { extractStill: options.extractStill } : {}),
    maxRangeMs: options.maxRangeMs ?? 86_400_000,
    zip: options.zip ?? 'on-demand',
  };
}
