import { Worker } from 'node:worker_threads';
import { WardwatchError, toWardwatchError } from '@wardwatch/core';

/** One closed segment to move into place, journal and hash. */
export interface FinishJob {
  /** Where ffmpeg wrote it (`.incoming`). */
  src: string;
  /** Its final path; must not exist yet. */
  dest: string;
  /** The run journal to write once the file is in place. */
  journalPath: string;
  journalText: string;
}

/** What became of a {@link FinishJob}. */
export type FinishResult =
  /** Moved and hashed; `journalError` says why the run journal could not be written (the segment is in place). */
  | { type: 'done'; sha256: string; bytes: number; journalError?: string }
  /** `dest` already exists: nothing was done (choose another name). */
  | { type: 'taken' }
  /** `src` is missing or empty: nothing was done. */
  | { type: 'empty' };

/** Finishes closed segments on a worker thread, one after another. */
export interface SegmentFinisher {
  finish(job: FinishJob): Promise<FinishResult>;
  /** Ends the worker; jobs still queued, and any job given after, reject with `CANCELLED`. */
  close(): Promise<void>;
}

// Plain JavaScript so it runs the same from sources (tests) and from the built package. The thread does nothing
// else, so synchronous calls are right: a job costs the main thread one message each way, instead of a dozen
// thread-pool round trips (each an event-loop wake-up) and 2-15 ms of hashing per segment.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const { dirname } = require('node:path');
// 256 KiB: the chunk stays in the CPU cache between the read and the hash; reused, so no page faults
const CHUNK = 256 * 1024;
const buffer = Buffer.allocUnsafeSlow(CHUNK);
function sha256(path) {
  const hash = createHash('sha256');
  const fd = fs.openSync(path, 'r');
  let bytes = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      hash.update(n === CHUNK ? buffer : buffer.subarray(0, n));
      bytes += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { sha256: hash.digest('hex'), bytes };
}
// fsync: what the worker reports as done survives a power cut (the file's data, then the entries naming it)
function fsyncPath(path) {
  const fd = fs.openSync(path, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
/** Creates dest's folder; returns the folders whose entries changed (the new ones' parents), deepest last. */
function makeFolder(dir) {
  const first = fs.mkdirSync(dir, { recursive: true, mode: 0o750 });
  if (first === undefined) return [];
  const changed = [dirname(first)];
  for (let d = dir; d !== first && d !== dirname(d); d = dirname(d)) changed.splice(1, 0, dirname(d));
  return changed;
}
function moveInto(src, dest) {
  // footage is not for other users of the machine: no bits for others, read-only for the group (umask may tighten more)
  fs.chmodSync(src, fs.statSync(src).mode & 0o640);
  fsyncPath(src);
  let changed = makeFolder(dirname(dest));
  try {
    fs.renameSync(src, dest);
  } catch (error) {
    // retention may remove an hour directory it just emptied between mkdir and rename: create it again once
    if (!error || error.code !== 'ENOENT' || !fs.existsSync(src)) throw error;
    changed = makeFolder(dirname(dest));
    fs.renameSync(src, dest);
  }
  for (const dir of new Set([...changed, dirname(dest)])) fsyncPath(dir);
}
function writeJournal(path, text) {
  const temporary = path + '.tmp';
  const fd = fs.openSync(temporary, 'w');
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, path);
  fsyncPath(dirname(path));
}
parentPort.on('message', (job) => {
  try {
    const size = fs.statSync(job.src, { throwIfNoEntry: false });
    if (!size || size.size === 0) return parentPort.postMessage({ id: job.id, type: 'empty' });
    if (fs.existsSync(job.dest)) return parentPort.postMessage({ id: job.id, type: 'taken' });
    moveInto(job.src, job.dest);
    const result = sha256(job.dest);
    // the segment is in place: a journal that cannot be written (a full disk) must not make it look lost; the
    // failure is reported with the result and logged by the caller
    let journalError;
    try {
      writeJournal(job.journalPath, job.journalText);
    } catch (error) {
      journalError = String(error && (error.code || error.message));
    }
    parentPort.postMessage({ id: job.id, type: 'done', ...result, ...(journalError ? { journalError } : {}) });
  } catch (error) {
    parentPort.postMessage({ id: job.id, type: 'error', code: error && error.code, message: String(error && error.message) });
  }
});
`;

/** Options of {@link createSegmentFinisher}. */
export interface SegmentFinisherOptions {
  /** Called after each segment placed, and after each that failed for a full disk (e.g. to check the disk at once). */
  onWritten?: () => void;
}

type WorkerReply = { id: number } & (FinishResult | { type: 'error'; code?: string; message: string });

/**
 * Creates a {@link SegmentFinisher}. The worker starts with the first job and keeps the process alive only while
 * jobs are out; if it dies, the jobs it held reject (`INTERNAL`) and the next job starts a new one.
 */
export function createSegmentFinisher(options: SegmentFinisherOptions = {}): SegmentFinisher {
  let worker: Worker | undefined;
  let closed = false;
  let nextId = 0;
  const pending = new Map<number, { resolve: (r: FinishResult) => void; reject: (e: unknown) => void; job: FinishJob; worker: Worker }>();

  /** Rejects the jobs held by `of` (all when not given); a dead worker's late events never touch its successor's. */
  const failAll = (error: WardwatchError, of?: Worker): void => {
    for (const [id, p] of pending) {
      if (of && p.worker !== of) continue;
      pending.delete(id);
      p.reject(error);
    }
  };

  function start(): Worker {
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.unref();
    w.on('message', (reply: WorkerReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (pending.size === 0) w.unref();
      if (reply.type === 'error') {
        // the worker's errno code keeps its meaning (a full disk is DISK_FULL, a vanished file NOT_FOUND)
        const code = reply.code === 'ENOSPC' ? 'DISK_FULL' : reply.code === 'ENOENT' ? 'NOT_FOUND' : 'STORAGE_IO';
        if (code === 'DISK_FULL') options.onWritten?.();
        p.reject(new WardwatchError(code, reply.message, { details: { path: p.job.src, ...(reply.code ? { errno: reply.code } : {}) } }));
      } else if (reply.type === 'done') {
        options.onWritten?.();
        p.resolve({ type: 'done', sha256: reply.sha256, bytes: reply.bytes, ...(reply.journalError ? { journalError: reply.journalError } : {}) });
      } else {
        p.resolve({ type: reply.type });
      }
    });
    const gone = (error: WardwatchError): void => {
      if (worker === w) worker = undefined;
      failAll(error, w);
    };
    w.on('error', (error) => gone(toWardwatchError(error, 'INTERNAL')));
    w.on('exit', (code) => gone(new WardwatchError('INTERNAL', `The segment worker exited with code ${code}`)));
    return w;
  }

  return {
    finish(job) {
      if (closed) return Promise.reject(new WardwatchError('CANCELLED', 'The segment finisher is closed'));
      worker ??= start();
      const w = worker;
      const id = nextId++;
      // while jobs are out, the worker keeps the process alive so their results arrive
      if (pending.size === 0) w.ref();
      return new Promise<FinishResult>((resolve, reject) => {
        pending.set(id, { resolve, reject, job, worker: w });
        w.postMessage({ id, ...job });
      });
    },
    async close() {
      closed = true;
      const w = worker;
      worker = undefined;
      failAll(new WardwatchError('CANCELLED', 'The recorder stopped before the segment was finished'));
      if (w) await w.terminate();
    },
  };
}
