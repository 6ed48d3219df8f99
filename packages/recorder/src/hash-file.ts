import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Read size of {@link hashFile}: large reads mean few calls into the thread pool per segment. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * Streams a file through SHA-256 (never reads it whole) and returns the lowercase hex digest and byte count.
 * One buffer is read into again and again, so hashing a segment allocates almost nothing (little GC work while
 * many cameras record).
 */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const handle = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, bytes);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
    }
    return { sha256: hash.digest('hex'), bytes };
  } finally {
    await handle.close();
  }
}
