import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import {
  createRecorderContext,
  WardwatchError,
  createEvidenceService,
  createFileKeyStore,
  silentLogger,
  systemClock,
  type EvidenceKeyStore,
  type EvidenceService,
  type Logger,
  type StationEvent,
  type StorageAdapter,
} from '@wardwatch/core';
import { createRecorder, type WardwatchRecorder } from '@wardwatch/recorder';
import { createLevelStorage } from '@wardwatch/storage-level';
import { createStillExtractor } from './extract-still.js';

/** The station identity written into manifests. */
export interface StationIdentity {
  id: string;
  name: string;
  ward: string;
}

/** The agreed layout of a station data directory. */
export function stationDataPaths(dataDir: string): { db: string; recordings: string; evidence: string; keys: string; stationFile: string } {
  const root = resolve(dataDir);
  return {
    db: join(root, 'db'),
    recordings: join(root, 'recordings'),
    evidence: join(root, 'evidence'),
    keys: join(root, 'keys'),
    stationFile: join(root, 'station.json'),
  };
}

/**
 * The station identity: `<data>/station.json` (`{ id, name, ward }`) when present, else `fallback`
 * (e.g. from the camera spec's site), else the host name.
 */
export async function readStationIdentity(dataDir: string, fallback?: Partial<StationIdentity>): Promise<StationIdentity> {
  try {
    const parsed = JSON.parse(await readFile(stationDataPaths(dataDir).stationFile, 'utf8')) as Partial<StationIdentity>;
    if (typeof parsed.id === 'string' && typeof parsed.name === 'string' && typeof parsed.ward === 'string') {
      return { id: parsed.id, name: parsed.name, ward: parsed.ward };
    }
    throw new WardwatchError('INVALID_CONFIG', 'station.json must have string fields id, name and ward');
  } catch (error) {
    if (error instanceof WardwatchError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new WardwatchError('INVALID_CONFIG', `station.json cannot be read: ${(error as Error).message}`, { cause: error });
    }
  }
  const host = hostname();
  return { id: fallback?.id ?? host, name: fallback?.name ?? fallback?.id ?? host, ward: fallback?.ward ?? 'unknown' };
}

/** Versions of the WardWatch packages (and ffmpeg when known) for manifests. */
export function wardwatchVersions(extra: Record<string, string> = {}): Record<string, string> {
  const require = createRequire(import.meta.url);
  const versions: Record<string, string> = { node: process.version };
  for (const name of ['@wardwatch/core', '@wardwatch/recorder', '@wardwatch/storage-level']) {
    try {
      versions[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      versions[name] = 'unknown';
    }
  }
  return { ...versions, ...extra };
}

/** An opened station data directory for the evidence tools. */
export interface EvidenceData {
  storage: StorageAdapter;
  recorder: WardwatchRecorder;
  keyStore: EvidenceKeyStore;
  /**
   * Builds the evidence service for a station identity; `zip` is passed to `createEvidenceService`
   * (@default 'on-demand', the service's default).
   */
  service(station: StationIdentity, options?: { zip?: 'eager' | 'on-demand' }): Promise<EvidenceService>;
  /** Stops the recorder and closes the database. */
  close(): Promise<void>;
}

/** Options of {@link openEvidenceData}. */
export interface OpenEvidenceDataOptions {
  dataDir: string;
  /** ffmpeg binary; else `FFMPEG_PATH` → PATH → bundled. */
  ffmpegPath?: string;
  /** @default silentLogger */
  logger?: Logger;
  emit?: (event: StationEvent) => void;
}

/**
 * Opens `<data>/db` (LevelDB), the recorder on `<data>/recordings` (retention not run) and the key store in
 * `<data>/keys`. Fails with `STORAGE_LOCKED` while a running station holds the database.
 */
export async function openEvidenceData(options: OpenEvidenceDataOptions): Promise<EvidenceData> {
  const paths = stationDataPaths(options.dataDir);
  const logger = options.logger ?? silentLogger;
  const storage = await createLevelStorage({ path: paths.db, logger });
  // The CLI cuts clips only: retention stays with the station (its interval is set beyond any CLI run).
  const recorder = createRecorder({ root: paths.recordings, logger, retention: { intervalMs: 2_147_000_000 }, ...(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}) });
  const events: StationEvent[] = [];
  const emit = (event: StationEvent): void => {
    events.push(event);
    options.emit?.(event);
  };
  let started = false;
  const keyStore = createFileKeyStore({ dir: paths.keys });
  return {
    storage,
    recorder,
    keyStore,
    async service(station, serviceOptions = {}) {
      if (!started) {
        await recorder.start(createRecorderContext({ storage, clock: systemClock, logger, emit }));
        started = true;
      }
      let ffmpeg: string | undefined;
      try {
        ffmpeg = (await recorder.capabilities()).version;
      } catch (error) {
        logger.warn({ err: error }, 'ffmpeg version unknown');
      }
      return createEvidenceService({
        storage,
        recorder,
        keyStore,
        evidenceRoot: paths.evidence,
        recordingsRoot: paths.recordings,
        station,
        softwareVersions: wardwatchVersions({ 'wardwatch-evidence': 'cli', ...(ffmpeg ? { ffmpeg } : {}) }),
        logger,
        emit,
        extractStill: createStillExtractor(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}),
        ...(serviceOptions.zip ? { zip: serviceOptions.zip } : {}),
      });
    },
    async close() {
      try {
        if (started) await recorder.stop();
      } finally {
        await storage.close();
      }
    },
  };
}
