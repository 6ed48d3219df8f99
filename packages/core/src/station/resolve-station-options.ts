import { systemClock, type Clock } from '../contracts/clock.js';
import { silentLogger, type Logger } from '../contracts/logger.js';
import type { StorageAdapter } from '../contracts/storage-adapter.js';
import { WardwatchError } from '../errors/wardwatch-error.js';
import { HEALTH_DEFAULTS } from '../health/camera-health.js';
import { defined } from '../util/defined.js';
import type { StationOptions } from './station.js';
import type { StationHealthOptions } from './station-options.js';

/** The defaults of {@link StationHealthOptions}. */
export const STATION_HEALTH_DEFAULTS: Required<StationHealthOptions> = {
  ...HEALTH_DEFAULTS,
  probeIntervalMs: 5000,
  retryInitialMs: 1000,
  retryMaxMs: 30_000,
  retryJitter: 0.2,
  retryNonRetryableMs: 300_000,
};

/** The defaults of `StationOptions.events`. */
export const STATION_EVENT_DEFAULTS: Required<NonNullable<StationOptions['events']>> = { batchSize: 500, flushIntervalMs: 200, maxBuffered: 100_000 };

/** {@link StationOptions} checked, with every default resolved once (internal). */
export interface ResolvedStationOptions {
  storage: StorageAdapter;
  clock: Clock;
  logger: Logger;
  health: Required<StationHealthOptions>;
  events: Required<NonNullable<StationOptions['events']>>;
}

/** Checks the station options (`INVALID_CONFIG`) and resolves their defaults. */
export function resolveStationOptions(options: StationOptions): ResolvedStationOptions {
  const storage = options.storage;
  if (!storage || typeof storage !== 'object' || !storage.cameras || !storage.events) {
    throw new WardwatchError('INVALID_CONFIG', 'Invalid station options: storage: a StorageAdapter is required');
  }
  if (options.evidence && !options.recorder) {
    throw new WardwatchError('INVALID_CONFIG', 'Invalid station options: evidence: evidence export needs a recorder to cut clips');
  }
  return {
    storage,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    health: { ...STATION_HEALTH_DEFAULTS, ...defined(options.health ?? {}) },
    events: { ...STATION_EVENT_DEFAULTS, ...defined(options.events ?? {}) },
  };
}
