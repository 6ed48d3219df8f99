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
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
(async () => {
  for (let index = 0; index < workerData.paths.length; index++) {
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      for await (const chunk of createReadStream(workerData.paths[index], { highWaterMark: 1 << 20 })) {
        hash.update(chunk);
        bytes += chunk.length;
        parentPort.postMessage({ type: 'progress', bytes: chunk.length });
      }
    } catch (error) {
      parentPort.postMessage({ type: 'error', index, code: error && error.code, message: String(error && error.message) });
      return;
    }
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
