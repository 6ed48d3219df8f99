import { open, type FileHandle } from 'node:fs/promises';
import { notJoinable } from './mp4-boxes.js';
import type { ReadUnit } from './plan-clip-output.js';

/** Reads the planned units of a clip in order, a few ahead, into reused buffers. */
export interface ClipUnitReader {
  /** The bytes of unit `i`; starts the reads up to `i + readAhead` too. Units must be asked for in order. */
  get(i: number): Promise<Buffer>;
  /** Unit `i`'s buffer is written and hashed: it may be reused. */
  release(i: number): void;
  /** Waits for the reads in flight and closes every file; rejects when a close failed. */
  close(): Promise<void>;
}

/**
 * Creates a {@link ClipUnitReader}: one open handle per file, closed after its last unit; read buffers of
 * `readSpan` bytes are reused once released (fresh memory would page-fault on every byte).
 */
export function createClipUnitReader(units: readonly ReadUnit[], readSpan: number, readAhead: number): ClipUnitReader {
  const lastUnitOf = new Map<string, number>();
  units.forEach((u, i) => lastUnitOf.set(u.path, i));
  const handles = new Map<string, Promise<FileHandle>>();
  const closes: Array<Promise<void>> = [];
  const reads = new Map<number, Promise<Buffer>>();
  const pool: Buffer[] = [];
  const buffers = new Map<number, Buffer>();
  let nextRead = 0;

  const handleOf = (path: string): Promise<FileHandle> => {
    let opening = handles.get(path);
    if (!opening) {
      opening = open(path, 'r');
      handles.set(path, opening);
    }
    return opening;
  };
  const closeFile = (path: string): void => {
    const opening = handles.get(path);
    handles.delete(path);
    if (opening) closes.push(opening.then((h) => h.close()));
  };
  const readUnit = async (i: number): Promise<Buffer> => {
    const unit = units[i]!;
    const handle = await handleOf(unit.path);
    const backing = pool.pop() ?? Buffer.allocUnsafeSlow(readSpan);
    buffers.set(i, backing);
    const buf = backing.subarray(0, unit.length);
    for (let done = 0; done < unit.length; ) {
      const { bytesRead } = await handle.read(buf, done, unit.length - done, unit.offset + done);
      if (bytesRead <= 0) throw notJoinable('segment shorter than its index');
      done += bytesRead;
    }
    return buf;
  };

  return {
    async get(i) {
      for (; nextRead < units.length && nextRead <= i + readAhead; nextRead++) {
        const read = readUnit(nextRead);
        // a failed read ahead rejects when its turn comes (`await` below); until then it is held here
        read.catch(() => undefined);
        reads.set(nextRead, read);
      }
      const buf = await reads.get(i)!;
      reads.delete(i);
      if (lastUnitOf.get(units[i]!.path) === i) closeFile(units[i]!.path);
      return buf;
    },
    release(i) {
      const backing = buffers.get(i);
      buffers.delete(i);
      if (backing) pool.push(backing);
    },
    async close() {
      await Promise.allSettled(reads.values());
      for (const path of [...handles.keys()]) closeFile(path);
      const results = await Promise.allSettled(closes);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
