import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WardwatchError } from '../errors/wardwatch-error.js';
import { SECRET_KEY_BYTES, createSecretBox, type SecretBox } from './secret-box.js';

/** Options of {@link createFileSecretBox}. */
export interface FileSecretBoxOptions {
  /** Folder holding the key file (the evidence key's folder is a good home); created with mode 0700 when missing. */
  dir: string;
  /**
   * Refuse a key file readable by group/others or a folder open to them (POSIX only).
   * @default true
   */
  enforcePermissions?: boolean;
}

/** File name of the station secret key (32 random bytes, base64, mode 0600) inside the key folder. */
export const STATION_SECRET_KEY_FILE = 'station-secrets.key';

/**
 * A {@link SecretBox} whose key lives in a file: on first use it writes 32 random bytes to `dir` (mode 0600 in a 0700
 * folder, created whole and never overwritten), later it loads them and checks the permissions (`SECRET_KEY_ERROR`).
 * Losing the file makes every stored camera password unreadable (`SECRET_UNREADABLE`): back it up with the evidence key.
 */
export function createFileSecretBox(options: FileSecretBoxOptions): SecretBox {
  const enforce = (options.enforcePermissions ?? true) && process.platform !== 'win32';
  const keyPath = join(options.dir, STATION_SECRET_KEY_FILE);
  let loading: Promise<Uint8Array> | undefined;
  const keyError = (message: string, cause?: unknown): WardwatchError =>
    new WardwatchError('SECRET_KEY_ERROR', message, { ...(cause === undefined ? {} : { cause }), details: { path: keyPath } });

  async function createKeyFile(): Promise<void> {
    // Written whole under a temporary name, then hard-linked into place: nobody reads half a key, and a key another
    // process created meanwhile is kept (the link fails with EEXIST).
    const temporary = `${keyPath}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    await writeFile(temporary, `${randomBytes(SECRET_KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      await link(temporary, keyPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
  }

  async function load(): Promise<Uint8Array> {
    try {
      await mkdir(options.dir, { recursive: true, mode: 0o700 });
      const existing = await stat(keyPath).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      if (!existing) {
        if (enforce) await chmod(options.dir, 0o700);
        await createKeyFile();
      }
      if (enforce) {
        const folderMode = (await stat(options.dir)).mode & 0o777;
        if ((folderMode & 0o077) !== 0) throw keyError(`The key folder ${options.dir} is open to other users (mode ${folderMode.toString(8)}); it must be 0700`);
        const fileMode = (await stat(keyPath)).mode & 0o777;
        if ((fileMode & 0o077) !== 0) throw keyError(`The station secret key ${keyPath} is readable by other users (mode ${fileMode.toString(8)}); it must be 0600`);
      }
      const text = (await readFile(keyPath, 'utf8')).trim();
      const key = Buffer.from(text, 'base64');
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || key.length !== SECRET_KEY_BYTES) {
        throw keyError(`The station secret key ${keyPath} is not ${SECRET_KEY_BYTES} bytes of base64`);
      }
      return key;
    } catch (error) {
      if (error instanceof WardwatchError) throw error;
      throw keyError(`The station secret key in ${options.dir} could not be loaded: ${(error as Error).message}`, error);
    }
  }

  return createSecretBox(() => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  });
}
