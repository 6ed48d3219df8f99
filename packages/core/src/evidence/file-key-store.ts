import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WardwatchError } from '../errors/wardwatch-error.js';
import { fsyncDirectory } from '../util/fsync-directory.js';
import { fsyncFile } from '../util/fsync-file.js';

/** The station signing key: signs evidence manifests with Ed25519 and exports its public key. */
export interface EvidenceKeyStore {
  /** The public key as SPKI PEM (what verifiers are given). */
  publicKeyPem(): Promise<string>;
  /** Hex SHA-256 of the public key's SPKI DER bytes: a short, comparable identity of the key. */
  fingerprint(): Promise<string>;
  /** Ed25519 signature over `data`. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** Options of {@link createFileKeyStore}. */
export interface FileKeyStoreOptions {
  /** Folder holding the key files; created with mode 0700 when missing. */
  dir: string;
  /**
   * Refuse to use a private key readable by group/others or a folder open to them (POSIX only).
   * @default true
   */
  enforcePermissions?: boolean;
}

/** File name of the private key (PKCS#8 PEM, mode 0600) inside the key folder. */
export const STATION_PRIVATE_KEY_FILE = 'station-ed25519.key';
/** File name of the public key (SPKI PEM) inside the key folder. */
export const STATION_PUBLIC_KEY_FILE = 'station-ed25519.pub.pem';

/** Hex SHA-256 of a public key's SPKI DER encoding. */
export function publicKeyFingerprint(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}

/**
 * A key store backed by files: on first use it generates an Ed25519 key pair in `dir`
 * (private key mode 0600 in a 0700 folder), later it loads it and checks the permissions.
 */
export function createFileKeyStore(options: FileKeyStoreOptions): EvidenceKeyStore {
  const enforce = (options.enforcePermissions ?? true) && process.platform !== 'win32';
  const privatePath = join(options.dir, STATION_PRIVATE_KEY_FILE);
  const publicPath = join(options.dir, STATION_PUBLIC_KEY_FILE);
  let loading: Promise<{ privateKey: KeyObject; publicPem: string; fingerprint: string }> | undefined;

  async function checkPermissions(): Promise<void> {
    if (!enforce) return;
    const dirStat = await stat(options.dir);
    if ((dirStat.mode & 0o077) !== 0) {
      throw new WardwatchError('EVIDENCE_KEY_ERROR', `The key folder ${options.dir} is open to other users (mode ${(dirStat.mode & 0o777).toString(8)}); it must be 0700`, {
        details: { path: options.dir },
      });
    }
    const keyStat = await stat(privatePath);
    if ((keyStat.mode & 0o077) !== 0) {
      throw new WardwatchError('EVIDENCE_KEY_ERROR', `The station private key ${privatePath} is readable by other users (mode ${(keyStat.mode & 0o777).toString(8)}); it must be 0600`, {
        details: { path: privatePath },
      });
    }
  }

  async function generate(): Promise<void> {
    const pair = generateKeyPairSync('ed25519');
    const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    // Written whole under a temporary name, then hard-linked into place: another process never reads a
    // half-written key, and a key created meanwhile by another process is never overwritten.
    const temporary = `${privatePath}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    await writeFile(temporary, privatePem, { mode: 0o600, flag: 'wx' });
    try {
      // on the disk before it gets its real name: a power cut never leaves an empty key behind that name
      await fsyncFile(temporary);
      await link(temporary, privatePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
      throw error;
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
    await writeFile(publicPath, publicPem, { mode: 0o644 });
    await fsyncFile(publicPath);
    await fsyncDirectory(options.dir);
  }

  async function load(): Promise<{ privateKey: KeyObject; publicPem: string; fingerprint: string }> {
    try {
      await mkdir(options.dir, { recursive: true, mode: 0o700 });
      let exists = true;
      try {
        await stat(privatePath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        exists = false;
      }
      if (!exists) {
        if (enforce) await chmod(options.dir, 0o700);
        await generate();
      }
      await checkPermissions();
      const privateKey = createPrivateKey(await readFile(privatePath, 'utf8'));
      if (privateKey.asymmetricKeyType !== 'ed25519') {
        throw new WardwatchError('EVIDENCE_KEY_ERROR', `The station key ${privatePath} is not an Ed25519 key (${privateKey.asymmetricKeyType ?? 'unknown'})`, {
          details: { path: privatePath },
        });
      }
      const publicKey = createPublicKey(privateKey);
      const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
      return { privateKey, publicPem, fingerprint: publicKeyFingerprint(publicKey) };
    } catch (error) {
      if (error instanceof WardwatchError) throw error;
      throw new WardwatchError('EVIDENCE_KEY_ERROR', `The station signing key in ${options.dir} could not be loaded: ${(error as Error).message}`, {
        cause: error,
        details: { path: options.dir },
      });
    }
  }

  function loaded(): Promise<{ privateKey: KeyObject; publicPem: string; fingerprint: string }> {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  }

  return {
    async publicKeyPem() {
      return (await loaded()).publicPem;
    },
    async fingerprint() {
      return (await loaded()).fingerprint;
    },
    async sign(data) {
      const { privateKey } = await loaded();
      return new Uint8Array(sign(null, data, privateKey));
    },
  };
}
