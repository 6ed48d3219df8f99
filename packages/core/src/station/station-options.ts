import type { EvidenceServiceOptions } from '../evidence/evidence-options.js';

/** Health and reconnection tuning of a station; durations in ms of the station clock. */
export interface StationHealthOptions {
  /** No media for this long makes a camera `offline`. @default 3000 */
  offlineAfterMs?: number;
  /** Media (and probes) must be steady this long before `offline`/`degraded` turns `online`. @default 10000 */
  recoverAfterMs?: number;
  /** Consecutive failed probes (while media flows) that make a camera `degraded`. @default 2 */
  probeFailuresToDegrade?: number;
  /** Media later than this makes a camera `degraded`; 0 turns it off. @default 0 */
  lateAfterMs?: number;
  /** How often the driver session is probed. @default 5000 */
  probeIntervalMs?: number;
  /** First reconnect delay after a retryable connect failure. @default 1000 */
  retryInitialMs?: number;
  /** Longest reconnect delay (retryable failures). @default 30000 */
  retryMaxMs?: number;
  /** Random spread of reconnect delays (0.2 = ±20 %), so cameras behind one switch do not retry in step; 0 makes them exact. @default 0.2 */
  retryJitter?: number;
  /** Delay between attempts after a non-retryable failure such as `CAMERA_AUTH_FAILED`. @default 300000 */
  retryNonRetryableMs?: number;
}

/**
 * Evidence export (trích xuất) of a station: what `createStation({ evidence })` needs beyond what the station
 * already has (its storage, recorder, clock, logger, events, audit function, incident service and the cameras'
 * measured clock offsets).
 */
export type StationEvidenceOptions = Omit<EvidenceServiceOptions, 'storage' | 'recorder' | 'clock' | 'logger' | 'emit' | 'audit' | 'incidents' | 'clockOffsetOf'>;
