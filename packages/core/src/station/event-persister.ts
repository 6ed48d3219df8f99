import type { Subscription } from 'rxjs';
import { WardwatchError } from '../errors/wardwatch-error.js';
import type { Clock } from '../contracts/clock.js';
import type { Logger } from '../contracts/logger.js';
import type { EventRepository } from '../contracts/storage-adapter.js';
import type { StationEvent } from '../model/station-event.js';

/** Batches station events into `storage.events.appendMany` (internal). */
export interface EventPersister {
  push(event: StationEvent): void;
  /** Writes everything buffered (including events pushed while writing) and resolves when done. */
  flush(): Promise<void>;
  /** Flushes, then cancels the timer. */
  close(): Promise<void>;
}

/** Creates the batching event writer of a station. */
export function createEventPersister(options: {
  events: EventRepository;
  clock: Clock;
  logger: Logger;
  batchSize: number;
  flushIntervalMs: number;
  maxBuffered: number;
}): EventPersister {
  const { events, clock, logger, batchSize, flushIntervalMs, maxBuffered } = options;
  let buffer: StationEvent[] = [];
  let timer: Subscription | undefined;
  let writing: Promise<void> | undefined;
  let failures = 0;

  const writeLoop = async (): Promise<void> => {
    // Bounded: each iteration removes a batch or stops on failure.
    while (buffer.length > 0) {
      const batch = buffer.slice(0, batchSize);
      try {
        await events.appendMany(batch);
        buffer = buffer.slice(batch.length);
        failures = 0;
      } catch (error) {
        failures++;
        logger.error({ err: error, pending: buffer.length, failures }, 'persisting station events failed; they stay buffered and are retried');
        schedule();
        return;
      }
    }
  };

  const startWrite = (): Promise<void> => {
    if (!writing) {
      writing = writeLoop().finally(() => {
        writing = undefined;
      });
    }
    return writing;
  };

  const schedule = (): void => {
    if (timer) return;
    timer = clock.schedule(() => {
      timer = undefined;
      void startWrite();
    }, flushIntervalMs);
  };

  return {
    push(event) {
      buffer.push(event);
      if (buffer.length > maxBuffered) {
        const dropped = buffer.length - maxBuffered;
        buffer.splice(0, dropped);
        logger.error({ dropped }, 'event buffer full: oldest unpersisted station events dropped');
      }
      if (buffer.length >= batchSize && !writing && failures === 0) void startWrite();
      else schedule();
    },
    async flush() {
      // Ends when the buffer is empty, or throws when the storage fails (events stay buffered).
      while (buffer.length > 0 || writing) {
        await (writing ?? startWrite());
        if (buffer.length > 0 && failures > 0 && !writing) {
          throw new WardwatchError('STORAGE_IO', `Station events could not be persisted (${buffer.length} pending, kept in memory)`);
        }
      }
    },
    async close() {
      try {
        await this.flush();
      } finally {
        timer?.unsubscribe();
        timer = undefined;
      }
    },
  };
}
