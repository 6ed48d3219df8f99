import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/** Writes a file in large batches while hashing exactly the bytes written. */
export interface HashingWriter {
  /** Adds bytes; `releases` are told when the batch holding them is written (their buffers may be reused). */
  push(chunk: Buffer, releases?: readonly number[]): Promise<void>;
  /** Writes what is gathered and waits for every write. */
  finish(): Promise<void>;
  /** Waits for the writes in flight, whatever their outcome (on the error path). */
  settle(): Promise<void>;
  /** Bytes handed to writes so far. */
  readonly position: number;
  /** The SHA-256 of everything written (after `finish`). */
  digest(): string;
}

/** Writes kept in flight behind the hasher. */
const WRITES_IN_FLIGHT = 3;

/** Writes all of `buffers` at `at`, finishing a short `writev` piece by piece. */
async function writeAll(out: FileHandle, buffers: Buffer[], at: number): Promise<void> {
  const { bytesWritten } = await out.writev(buffers, at);
  const total = buffers.reduce((s, b) => s + b.length, 0);
  if (bytesWritten === total) return;
  const rest = Buffer.concat(buffers).subarray(bytesWritten);
  for (let done = 0; done < rest.length; ) {
    const r = await out.write(rest, done, rest.length - done, at + bytesWritten + done);
    done += r.bytesWritten;
  }
}

/**
 * Creates a {@link HashingWriter} on an open file: each batch of `writeBatch` bytes is written (`writev`, on libuv's
 * pool) while the same bytes are hashed here; `release(unit)` is called for a batch's read units only when that write
 * and every earlier one are done (a read buffer can feed two batches whose writes run at once).
 */
export function createHashingWriter(out: FileHandle, writeBatch: number, release: (unit: number) => void, onBatch: (position: number) => void): HashingWriter {
  const hash = createHash('sha256');
  const writes: Array<Promise<void>> = [];
  let lastWrite: Promise<unknown> = Promise.resolve();
  let position = 0;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let batchUnits: number[] = [];

  const flush = async (): Promise<void> => {
    if (batchBytes === 0) return;
    const buffers = batch;
    const done = batchUnits;
    const at = position;
    position += batchBytes;
    batch = [];
    batchBytes = 0;
    batchUnits = [];
    const writing = Promise.all([writeAll(out, buffers, at), lastWrite]).then(() => {
      for (const unit of done) release(unit);
    });
    // awaited in order below (or settled on the error path)
    writing.catch(() => undefined);
    writes.push(writing);
    lastWrite = writing;
    for (const b of buffers) hash.update(b);
    while (writes.length > WRITES_IN_FLIGHT) await writes.shift();
    onBatch(position);
  };

  return {
    get position() {
      return position;
    },
    async push(chunk, releases = []) {
      batch.push(chunk);
      batchBytes += chunk.length;
      batchUnits.push(...releases);
      if (batchBytes >= writeBatch) await flush();
    },
    async finish() {
      await flush();
      while (writes.length > 0) await writes.shift();
    },
    async settle() {
      await Promise.allSettled(writes);
    },
    digest: () => hash.digest('hex'),
  };
}
