import { chmod, mkdir } from 'node:fs/promises';
import { isMainThread } from 'node:worker_threads';

/** Mode of the data directory and of every folder the station server creates in it: this user only. */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Makes the station's data private to the user running it: sets the process umask to 077 (so LevelDB files,
 * segments, evidence and keys written later are 0600/0700 whoever creates them, ffmpeg included), creates the data
 * directory and `folders` with mode 0700, and tightens a data directory that an older version left open (0755).
 */
export async function preparePrivateDataDir(dataDir: string, folders: readonly string[]): Promise<void> {
  // worker threads cannot change the umask (the main thread's applies to them)
  if (isMainThread && process.platform !== 'win32') process.umask(0o077);
  await mkdir(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (process.platform !== 'win32') await chmod(dataDir, PRIVATE_DIR_MODE);
  for (const folder of folders) await mkdir(folder, { recursive: true, mode: PRIVATE_DIR_MODE });
}
