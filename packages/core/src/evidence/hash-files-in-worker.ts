import { Worker } from 'node:worker_threads';
import { WardwatchError, toWardwatchError } from '../errors/wardwatch-error.js';

/** Options of {@link hashFilesInWorker}. */
export interface HashFilesInWorkerOptions {
  /** Stops the worker; the promise rejects with `CANCELLED`. */
  signal?: AbortSignal;
  /** Called with the bytes hashed so far over all files. */
  onBytes?: (bytes: number) => void;
  /**
   * Called in order as each file is hashed; throwing stops the worker and rejects with that error
   * (how a mismatch stops the rest of the work at once).
   */
  onFile: (index: number, result: { sha256: string; bytes: number }) => void;
}

// Plain JavaScript so it runs the same from sources (tests) and from the built package.
// Synchronous reads are right here: this thread does nothing else. One buffer is reused for every read (fresh
// buffers per chunk would cost a page fault per 4 KiB), and progress is posted about every 8 MiB.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const CHUNK = 1 << 20;
const buffer = Buffer.allocUnsafeSlow(CHUNK);
(() => {
for (let index = 0; index < workerData.paths.length; index++) {
  const hash = createHash('sha256');
  let bytes = 0;
  let unreported = 0;
  let fd;
  try {
    fd = openSync(workerData.paths[index], 'r');
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      hash.update(n === CHUNK ? buffer : buffer.subarray(0, n));
      bytes += n;
      unreported += n;
      if (unreported >= 8 * CHUNK) {
        parentPort.postMessage({ type: 'progress', bytes: unreported });
        unreported = 0;
      }
    }
  } catch (error) {
    parentPort.postMessage({ type: 'error', index, code: error && error.code, message: String(error && error.message) });
    return;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (unreported > 0) parentPort.postMessage({ type: 'progress', bytes: unreported });
  parentPort.postMessage({ type: 'file', index, sha256: hash.digest('hex'), bytes });
}
parentPort.postMessage({ type: 'end' });
})();
`;

type WorkerMessage =
  | { type: 'progress'; bytes: number }
  | { type: 'file'; index: number; sha256: string; bytes: number }
  | { type: 'error'; index: number; code?: string; message: string }
  | { type: 'end' };

/**
 * Streams files through SHA-256 on a worker thread, so hashing runs beside the event loop (and beside
 * other work such as ffmpeg) on another core. Results arrive in order through `onFile`.
 */
export function hashFilesInWorker(paths: readonly string[], options: HashFilesInWorkerOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const { signal } = options;
    if (signal?.aborted) return reject(new WardwatchError('CANCELLED', 'Hashing was cancelled'));
    if (paths.length === 0) return resolve();
    let settled = false;
    let total = 0;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { paths: [...paths] } });
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (error === undefined) resolve();
      else reject(error);
    };
    const onAbort = (): void => finish(new WardwatchError('CANCELLED', 'Hashing was cancelled'));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      if (settled) return;
      try {
        if (message.type === 'progress') {
          total += message.bytes;
          options.onBytes?.(total);
        } else if (message.type === 'file') {
          options.onFile(message.index, { sha256: message.sha256, bytes: message.bytes });
        } else if (message.type === 'error') {
          const cause = Object.assign(new Error(message.message), { code: message.code });
          finish(toWardwatchError(cause, 'STORAGE_IO', { path: paths[message.index], index: message.index }));
        } else {
          finish();
        }
      } catch (error) {
        finish(error);
      }
    });
    worker.on('error', (error) => finish(toWardwatchError(error, 'INTERNAL')));
    worker.on('exit', (code) => finish(code === 0 ? undefined : new WardwatchError('INTERNAL', `The hashing worker exited with code ${code}`)));
  });
}
