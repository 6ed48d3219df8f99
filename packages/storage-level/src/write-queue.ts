import { toWardwatchError, type WardwatchError } from '@wardwatch/core';
import type { LevelDb, Sublevel } from './level-database.js';

/** An enqueue of at least this many operations is written without waiting for the batch delay. */
const EAGER_OPS = 512;

/** One buffered write: a put or del on a sublevel. */
export type WriteOp = { type: 'put'; sublevel: Sublevel; key: string; value: string } | { type: 'del'; sublevel: Sublevel; key: string };

/**
 * Which batches are fsynced before they are acknowledged: `'all'` every batch, `'records'` a batch
 * holding at least one durable enqueue (segments, evidence, holds, audit, incidents, cameras), `'none'` none.
 */
export type SyncMode = 'all' | 'records' | 'none';

/** Options of {@link WriteQueue}. */
export interface WriteQueueOptions {
  /** How long a write waits for others to join its batch, in milliseconds. */
  delayMs: number;
  /** Writes a batch at once when this many operations are buffered. */
  maxOps: number;
  /** Which batches are fsynced before they are acknowledged. */
  sync: SyncMode;
}

interface Waiter {
  resolve: () => void;
  reject: (error: WardwatchError) => void;
}

/**
 * Group commit for LevelDB: operations enqueued within a few milliseconds are written as one atomic
 * batch, one batch at a time and in order; each enqueue resolves once its batch is written (so every
 * acknowledged write is visible to reads and survives a process kill), and fsynced when the sync mode
 * asks for it (then it also survives a power loss). After a failed batch the queue
 * refuses further writes with the same error, since in-memory state (audit chain head, counters) may
 * have run ahead of the disk.
 */
export class WriteQueue {
  private pending: WriteOp[] = [];
  private waiters: Waiter[] = [];
  /** Whether a buffered enqueue asked for durability (the whole batch is then fsynced). */
  private pendingDurable = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private tail: Promise<void> = Promise.resolve();
  private failure: WardwatchError | undefined;

  constructor(
    private readonly db: LevelDb,
    private readonly options: WriteQueueOptions,
  ) {}

  /** The error of a failed batch, after which writes are refused. */
  get failed(): WardwatchError | undefined {
    return this.failure;
  }

  /**
   * Buffers `ops` (atomically, in one batch) and resolves when they are written; with `durable` (and
   * sync mode `'records'`) the batch is fsynced before that, so the write survives a power loss.
   */
  enqueue(ops: readonly WriteOp[], durable = false): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (ops.length === 0) return Promise.resolve();
    for (const op of ops) this.pending.push(op);
    if (durable) this.pendingDurable = true;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    // A full buffer, or one large enqueue (addMany), gains nothing from waiting for company.
    if (this.pending.length >= this.options.maxOps || ops.length >= EAGER_OPS) void this.kick();
    else if (this.timer === undefined) this.timer = setTimeout(() => void this.kick(), this.options.delayMs);
    return done;
  }

  /** Writes everything buffered now; resolves when it (and every earlier batch) is written. */
  flush(): Promise<void> {
    return this.kick().then(() => {
      if (this.failure) throw this.failure;
    });
  }

  private kick(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.tail = this.tail.then(() => this.writeOnce());
    return this.tail;
  }

  private async writeOnce(): Promise<void> {
    if (this.pending.length === 0) return;
    const ops = this.pending;
    const waiters = this.waiters;
    const sync = this.options.sync === 'all' || (this.options.sync === 'records' && this.pendingDurable);
    this.pending = [];
    this.waiters = [];
    this.pendingDurable = false;
    if (this.failure) {
      for (const w of waiters) w.reject(this.failure);
      return;
    }
    try {
      // Keys are prefixed here rather than with the batch's `sublevel` option, which costs several
      // times more per operation; the stored keys are identical (sublevel prefix + utf8 key).
      const batch = this.db.batch();
      for (const op of ops) {
        if (op.type === 'put') batch.put(op.sublevel.prefix + op.key, op.value);
        else batch.del(op.sublevel.prefix + op.key);
      }
      await batch.write(sync ? { sync: true } : {});
      for (const w of waiters) w.resolve();
    } catch (cause) {
      this.failure = toWardwatchError(cause, 'STORAGE_IO', { operation: 'batch write', ops: ops.length });
      for (const w of waiters) w.reject(this.failure);
    }
  }
}
