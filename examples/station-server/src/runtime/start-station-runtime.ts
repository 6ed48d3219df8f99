import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileSecretBox, createStation, silentLogger, type Logger, type Plugin, type Station, type StationHealthOptions, type StorageAdapter } from '@wardwatch/core';
import { analyticsPlugin } from '@wardwatch/analytics-plugin';
import { createOnvifDriver } from '@wardwatch/onvif-driver';
import { createLiveGateway, createRecorder, type LiveGateway } from '@wardwatch/recorder';
import { createLevelStorage } from '@wardwatch/storage-level';
import type { FastifyInstance } from 'fastify';
import { createUserStore, type UserStore } from '../auth/user-store.js';
import type { StationConfig } from '../config/station-config.js';
import { createGatewayLiveUrls } from '../live/create-gateway-live-urls.js';
import { readStationIdentity } from '../evidence/open-evidence-data.js';
import { clipExportRunner } from '../exports/clip-export-runner.js';
import { evidenceExportRunner } from '../exports/evidence-export-runner.js';
import { createExportJobs } from '../exports/export-jobs.js';
import { createStationServer } from '../server/create-station-server.js';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { preparePrivateDataDir } from './private-data-dir.js';
import { stationEvidenceOptions } from './station-evidence-options.js';
import { syncConfigCameras } from './sync-config-cameras.js';

/** The data directory layout shared with the evidence tools. */
export function dataPaths(dataDir: string): { db: string; recordings: string; evidence: string; keys: string; exports: string; users: string } {
  return {
    db: join(dataDir, 'db'),
    recordings: join(dataDir, 'recordings'),
    evidence: join(dataDir, 'evidence'),
    keys: join(dataDir, 'keys'),
    exports: join(dataDir, 'exports'),
    users: join(dataDir, 'users.json'),
  };
}

/** Options of {@link startStationRuntime}. */
export interface StationRuntimeOptions {
  config: StationConfig;
  /** Built dashboard directory. */
  webRoot?: string;
  /** Demo mode flag shown by the UI. @default false */
  demo?: boolean;
  /** Extra route modules of the HTTP server (mounted under `/api`). @default [] */
  serverPlugins?: readonly StationServerPlugin[];
  /** `false` creates the station without evidence export (no evidence jobs, evidence routes answer `STATION_NOT_RUNNING`). @default true */
  evidence?: boolean;
  /** Station plugins. @default [analyticsPlugin()] — motion, tamper, plates and faces, enabled per camera by `analytics.analyzers` */
  plugins?: readonly Plugin[];
  /** Storage to use instead of LevelDB under `<data>/db` (tests). */
  storage?: StorageAdapter;
  /** Health tuning. */
  health?: StationHealthOptions;
  /** Station logger. @default silentLogger */
  logger?: Logger;
  /** Fastify logger option. @default false */
  httpLogger?: boolean | Record<string, unknown>;
  /** Called before the HTTP server listens (e.g. to create demo users). */
  beforeListen?: (parts: { station: Station; users: UserStore }) => Promise<void>;
}

/** A running station: storage, recorder, live gateway, station and HTTP server. */
export interface StationRuntime {
  readonly station: Station;
  readonly server: FastifyInstance;
  readonly users: UserStore;
  readonly gateway: LiveGateway | undefined;
  /** The URL the dashboard is served at. */
  readonly url: string;
  /** Why live view is unavailable, when it is. */
  readonly liveProblem: string | undefined;
  /** Stops everything in order: HTTP, station (recorder, sessions), gateway, storage. Idempotent. */
  stop(): Promise<void>;
}

/** Starts a complete station from a validated config. */
export async function startStationRuntime(options: StationRuntimeOptions): Promise<StationRuntime> {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const paths = dataPaths(config.dataDir);
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.error({ err: error }, 'shutdown step failed');
      }
    }
  };

  try {
    await preparePrivateDataDir(config.dataDir, [paths.db, paths.recordings, paths.evidence, paths.keys, paths.exports]);
    const storage = options.storage ?? (await createLevelStorage({ path: paths.db, logger }));
    if (!options.storage) cleanups.push(() => storage.close());

    let gateway: LiveGateway | undefined;
    let liveProblem: string | undefined;
    if (config.live.enabled) {
      try {
        const g = createLiveGateway({
          host: config.live.host,
          rtmpPort: config.live.rtmpPort,
          httpPort: config.live.httpPort,
          playTtlSeconds: config.live.urlTtlSeconds,
          ...(config.live.publicHost ? { publicHost: config.live.publicHost } : {}),
          ...(config.live.tls ? { tls: config.live.tls } : {}),
          logger,
        });
        await g.start();
        gateway = g;
        cleanups.push(() => g.stop());
      } catch (error) {
        liveProblem = `live gateway failed to start: ${(error as Error).message}`;
        logger.error({ err: error }, liveProblem);
      }
    } else {
      liveProblem = 'live relay disabled in the config';
    }

    const recorder = createRecorder({
      root: paths.recordings,
      segmentSeconds: config.recorder.segmentSeconds,
      transport: config.recorder.transport,
      retention: { days: config.recorder.retentionDays, warnRatio: config.recorder.warnRatio, purgeRatio: config.recorder.purgeRatio, targetRatio: config.recorder.targetRatio },
      ...(config.ffmpegPath ? { ffmpegPath: config.ffmpegPath } : {}),
      exportDir: paths.exports,
      ...(gateway ? { live: gateway } : {}),
      logger,
    });

    const evidence =
      options.evidence === false
        ? undefined
        : stationEvidenceOptions(paths, await readStationIdentity(config.dataDir, { id: config.station.name, name: config.station.name, ward: config.station.ward }));
    const station = createStation({
      storage,
      drivers: [createOnvifDriver({ logger })],
      recorder,
      plugins: options.plugins ?? [analyticsPlugin()],
      logger,
      stationName: config.station.name,
      // camera passwords are stored encrypted with a key kept beside the evidence signing key
      secrets: createFileSecretBox({ dir: paths.keys }),
      ...(options.health ? { health: options.health } : {}),
      ...(evidence ? { evidence } : {}),
    });

    await syncConfigCameras(station, config.cameras);
    await station.start();
    cleanups.push(() => station.stop());

    const users = createUserStore({ path: paths.users });
    await options.beforeListen?.({ station, users });

    const stationEvidence = station.evidence;
    const clockOffsetOf = (cameraId: string): number | undefined => station.camera(cameraId)?.clockOffsetMs;
    const exportJobs = createExportJobs({
      dir: paths.exports,
      runners: { clip: clipExportRunner(recorder), ...(stationEvidence ? { evidence: evidenceExportRunner(() => stationEvidence, clockOffsetOf) } : {}) },
      logger,
    });
    const https = config.http.tls
      ? { cert: await readFile(config.http.tls.certFile), key: await readFile(config.http.tls.keyFile) }
      : undefined;
    const server = await createStationServer({
      station,
      users,
      exports: exportJobs,
      recordingsRoot: paths.recordings,
      stationName: config.station.name,
      ward: config.station.ward,
      demo: options.demo ?? false,
      ...(gateway ? { live: createGatewayLiveUrls(gateway, { ttlMs: config.live.urlTtlSeconds * 1000, ...(config.live.publicUrl ? { publicUrl: config.live.publicUrl } : {}) }) } : {}),
      trustProxy: config.http.trustProxy,
      secureCookies: config.http.secureCookies,
      allowedOrigins: config.http.allowedOrigins,
      denyCameraHosts: config.security.denyCameraHosts,
      ...(options.webRoot ? { webRoot: options.webRoot } : {}),
      ...(options.serverPlugins ? { plugins: options.serverPlugins } : {}),
      ...(https ? { https } : {}),
      ...(config.discovery ? { discovery: config.discovery } : {}),
      ...(options.httpLogger !== undefined ? { logger: options.httpLogger } : {}),
    });
    await server.listen({ host: config.http.host, port: config.http.port });
    cleanups.push(() => server.close());
    const address = server.server.address();
    const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;
    const url = `${https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${typeof address === 'object' && address ? address.port : config.http.port}/`;

    let stopping: Promise<void> | undefined;
    return {
      station,
      server,
      users,
      gateway,
      url,
      liveProblem,
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
