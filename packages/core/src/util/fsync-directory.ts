import { fsyncFile } from './fsync-file.js';

/**
 * Flushes a directory's entries to the disk (fsync), so a file created or renamed into it is still there after a
 * power cut. A no-op on Windows, where directories cannot be opened for it.
 */
export async function fsyncDirectory(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  await fsyncFile(path);
}
