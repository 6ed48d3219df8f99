import { createSerialQueue, toWardwatchError, WardwatchError } from '@wardwatch/core';
import type { LevelDb, Sublevels } from './level-database.js';
import { levelCorruptionError } from './level-storage-problem.js';
import type { WriteOp, WriteQueue } from './write-queue.js';

/** How durable a write must be before it is acknowledged; see {@link LevelContext.write}. */
export type WriteDurability = 'record' | 'event';

/** What every repository of the LevelDB adapter shares: the database, its sublevels, the write queue and the open state. */
export interface LevelContext {
  readonly db: LevelDb;
  readonly sub: Sublevels;
  readonly queue: WriteQueue;
  /** Largest accepted record in UTF-8 JSON bytes. */
  readonly maxRecordBytes: number;
  /** Absolute database path, for messages. */
  readonly location: string;
  /** Throws `STORAGE_CLOSED` after `close()`. */
  assertOpen(): void;
  /**
   * Runs a read, normalising failures (`STORAGE_CLOSED` when closed meanwhile, `STORAGE_CORRUPT` when
   * LevelDB reports corruption, else `STORAGE_IO`).
   */
  read<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Enqueues writes after checking the storage is open; resolves when they are written. `durability`
   * `'record'` (segments, evidence, holds, audit, incidents, cameras: what callers report as closed or
   * acknowledged) fsyncs the batch under the default sync mode; `'event'` (high-rate events) rides in the
   * batch unsynced.
   */
  write(ops: readonly WriteOp[], durability: WriteDurability): Promise<void>;
  /**
   * Runs `fn` exclusively with other hold-sensitive operations (hold writes, segment removal), so a
   * removal never checks the holds while a hold write is between its call and its commit.
   */
  withHoldLock<T>(fn: () => Promise<T>): Promise<T>;
}

/** Builds the shared context; `isClosed` reports the adapter's state. */
export function createLevelContext(
  db: LevelDb,
  sub: Sublevels,
  queue: WriteQueue,
  maxRecordBytes: number,
  location: string,
  isClosed: () => boolean,
): LevelContext {
  const holdLock = createSerialQueue();
  const closedError = (): WardwatchError => new WardwatchError('STORAGE_CLOSED', `The storage at ${location} was used after close()`, { details: { path: location } });
  return {
    db,
    sub,
    queue,
    maxRecordBytes,
    location,
    assertOpen() {
      if (isClosed()) throw closedError();
    },
    async read(fn) {
      if (isClosed()) throw closedError();
      try {
        return await fn();
      } catch (error) {
        if (error instanceof WardwatchError) throw error;
        if (isClosed()) throw closedError();
        throw levelCorruptionError(error, location) ?? toWardwatchError(error, 'STORAGE_IO', { path: location });
      }
    },
    write(ops, durability) {
      if (isClosed()) return Promise.reject(closedError());
      return queue.enqueue(ops, durability === 'record');
    },
    withHoldLock(fn) {
      return holdLock.run(fn);
    },
  };
}
