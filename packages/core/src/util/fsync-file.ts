import { open } from 'node:fs/promises';

/**
 * Flushes a file's data and metadata to the disk (fsync) before resolving: what is acknowledged after this survives
 * a power cut, not only a crash of the process.
 */
export async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
