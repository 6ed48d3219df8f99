import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { WardwatchError, toWardwatchError } from '../errors/wardwatch-error.js';

/** Options of {@link hashFile}. */
export interface HashFileOptions {
  /** Stops reading; the promise rejects with `CANCELLED`. */
  signal?: AbortSignal;
  /** Called after each chunk with the bytes hashed so far. */
  onBytes?: (bytes: number) => void;
}

/** Streams a file through SHA-256 without loading it into memory; resolves its hex digest and size. */
export async function hashFile(path: string, options: HashFileOptions = {}): Promise<{ sha256: string; bytes: number }> {
  const { signal, onBytes } = options;
  if (signal?.aborted) throw new WardwatchError('CANCELLED', 'Hashing was cancelled');
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  const onAbort = (): void => {
    stream.destroy(new WardwatchError('CANCELLED', 'Hashing was cancelled'));
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
      onBytes?.(bytes);
    }
  } catch (error) {
    throw toWardwatchError(error, 'STORAGE_IO', { path });
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return { sha256: hash.digest('hex'), bytes };
}
