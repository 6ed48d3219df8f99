import { createPublicKey, verify } from 'node:crypto';
import { chmod, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STATION_PRIVATE_KEY_FILE, createFileKeyStore, isWardwatchError, publicKeyFingerprint } from '@wardwatch/core';
import { tempDir } from './evidence-fixtures.js';

describe('createFileKeyStore', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('generates an Ed25519 key on first use with 0600 key file in a 0700 folder', async () => {
    const dir = join(tmp.dir, 'keys');
    const store = createFileKeyStore({ dir });
    const pem = await store.publicKeyPem();
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(createPublicKey(pem).asymmetricKeyType).toBe('ed25519');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, STATION_PRIVATE_KEY_FILE))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, STATION_PRIVATE_KEY_FILE), 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
    const data = Buffer.from('manifest bytes');
    const signature = await store.sign(data);
    expect(signature).toHaveLength(64);
    expect(verify(null, data, pem, signature)).toBe(true);
    expect(verify(null, Buffer.from('manifest bytez'), pem, signature)).toBe(false);
    expect(await store.fingerprint()).toBe(publicKeyFingerprint(pem));
  });

  it('loads the same key on the next run instead of generating a new one', async () => {
    const dir = join(tmp.dir, 'keys');
    const first = await createFileKeyStore({ dir }).fingerprint();
    const second = await createFileKeyStore({ dir }).fingerprint();
    expect(second).toBe(first);
  });

  it('gives concurrent first uses one and the same key, leaving no temporary file', async () => {
    const dir = join(tmp.dir, 'keys');
    const fingerprints = await Promise.all(Array.from({ length: 5 }, () => createFileKeyStore({ dir }).fingerprint()));
    expect(new Set(fingerprints).size).toBe(1);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(dir)).sort()).toEqual(['station-ed25519.key', 'station-ed25519.pub.pem']);
  });

  it('refuses a private key readable by other users', async () => {
    const dir = join(tmp.dir, 'keys');
    await createFileKeyStore({ dir }).fingerprint();
    await chmod(join(dir, STATION_PRIVATE_KEY_FILE), 0o644);
    const error = await createFileKeyStore({ dir }).sign(Buffer.from('x')).catch((e: unknown) => e);
    expect(isWardwatchError(error, 'EVIDENCE_KEY_ERROR')).toBe(true);
    expect((error as Error).message).toMatch(/readable by other users.*0600/);
  });

  it('refuses a key folder open to other users', async () => {
    const dir = join(tmp.dir, 'keys');
    await createFileKeyStore({ dir }).fingerprint();
    await chmod(dir, 0o755);
    const error = await createFileKeyStore({ dir }).publicKeyPem().catch((e: unknown) => e);
    expect(isWardwatchError(error, 'EVIDENCE_KEY_ERROR')).toBe(true);
    expect((error as Error).message).toMatch(/0700/);
  });

  it('reports an unreadable key as EVIDENCE_KEY_ERROR', async () => {
    const dir = join(tmp.dir, 'keys');
    await createFileKeyStore({ dir }).fingerprint();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, STATION_PRIVATE_KEY_FILE), 'not a key', { mode: 0o600 });
    const error = await createFileKeyStore({ dir }).fingerprint().catch((e: unknown) => e);
    expect(isWardwatchError(error, 'EVIDENCE_KEY_ERROR')).toBe(true);
  });
});
