import { systemClock, type Clock } from '../contracts/clock.js';
import { silentLogger, type Logger } from '../contracts/logger.js';
import type { RecorderContext } from '../contracts/recorder.js';
import type { StorageAdapter } from '../contracts/storage-adapter.js';
import type { StationEvent } from '../model/station-event.js';
import { createSegmentIndex, type SegmentIndex } from './segment-index.js';

/** Options of {@link createRecorderContext}. */
export interface RecorderContextOptions {
  /** The storage whose segment index the context keeps. */
  storage: StorageAdapter;
  /** @default systemClock */
  clock?: Clock;
  /** @default silentLogger */
  logger?: Logger;
  /** Receives `segment.closed`, `storage.low` and `storage.purged`. @default nothing */
  emit?: (event: StationEvent) => void;
}

/**
 * A recorder context over a storage, for running a recorder without a station (tools, tests): the same segment
 * index the station uses, so segments are written by one module either way.
 */
export function createRecorderContext(options: RecorderContextOptions): RecorderContext {
  const clock = options.clock ?? systemClock;
  const emit = options.emit ?? (() => undefined);
  return recorderContextOf(createSegmentIndex({ storage: options.storage, clock, emit }), clock, options.logger ?? silentLogger);
}

/** The recorder context of an existing segment index (internal: the station's). */
export function recorderContextOf(index: SegmentIndex, clock: Clock, logger: Logger): RecorderContext {
  return { clock, logger, segments: index.store, notify: (notice) => index.notify(notice) };
}
