import { mkdtempSync, readFileSync, rmSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { STATION_SECRET_KEY_FILE, WardwatchError, createFileSecretBox, createSecretBox, isSealedSecret } from '../../src/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'ww-secrets-'));
  dirs.push(dir);
  return dir;
};
const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (error: unknown) => (error instanceof WardwatchError ? error.code : `not coded: ${String(error)}`),
  );

describe('createSecretBox', () => {
  const box = createSecretBox(randomBytes(32));

  it('seals into a versioned envelope with a fresh nonce per value, and opens it under the same context', async () => {
    const a = await box.seal('S3cret-pass', 'cam-1');
    const b = await box.seal('S3cret-pass', 'cam-1');
    expect(a.startsWith('enc:v1:')).toBe(true);
    expect(isSealedSecret(a)).toBe(true);
    expect(isSealedSecret('S3cret-pass')).toBe(false);
    expect(a).not.toBe(b);
    expect(a).not.toContain('S3cret');
    // nonce 12 + ciphertext 11 + tag 16
    expect(Buffer.from(a.slice('enc:v1:'.length), 'base64')).toHaveLength(12 + 11 + 16);
    expect(await box.open(a, 'cam-1')).toBe('S3cret-pass');
    expect(await box.open(await box.seal('', 'cam-1'), 'cam-1')).toBe('');
  });

  it('refuses a tampered, moved, foreign-key, truncated or unknown-version value with SECRET_UNREADABLE', async () => {
    const sealed = await box.seal('S3cret-pass', 'cam-1');
    const bytes = Buffer.from(sealed.slice(7), 'base64');
    bytes[14] = bytes[14]! ^ 1;
    expect(await codeOf(box.open(`enc:v1:${bytes.toString('base64')}`, 'cam-1'))).toBe('SECRET_UNREADABLE');
    expect(await codeOf(box.open(sealed, 'cam-2'))).toBe('SECRET_UNREADABLE');
    expect(await codeOf(createSecretBox(randomBytes(32)).open(sealed, 'cam-1'))).toBe('SECRET_UNREADABLE');
    expect(await codeOf(box.open('enc:v1:AAAA', 'cam-1'))).toBe('SECRET_UNREADABLE');
    expect(await codeOf(box.open('enc:v1:not base64!', 'cam-1'))).toBe('SECRET_UNREADABLE');
    expect(await codeOf(box.open(sealed.replace('enc:v1:', 'enc:v9:'), 'cam-1'))).toBe('SECRET_UNREADABLE');
  });

  it('refuses a key of the wrong length with SECRET_KEY_ERROR', async () => {
    expect(await codeOf(createSecretBox(randomBytes(16)).seal('x', 'cam-1'))).toBe('SECRET_KEY_ERROR');
  });
});

describe('createFileSecretBox', () => {
  it('creates a 32-byte key file 0600 in a 0700 folder once, and keeps using it', async () => {
    const dir = join(tempDir(), 'keys');
    const first = createFileSecretBox({ dir });
    const sealed = await first.seal('S3cret-pass', 'cam-1');
    const keyFile = join(dir, STATION_SECRET_KEY_FILE);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    const before = readFileSync(keyFile, 'utf8');
    // a second box (another start of the station) reads the same key
    expect(await createFileSecretBox({ dir }).open(sealed, 'cam-1')).toBe('S3cret-pass');
    expect(readFileSync(keyFile, 'utf8')).toBe(before);
  });

  it('two boxes creating the key at once end up with one key', async () => {
    const dir = join(tempDir(), 'keys');
    const [a, b] = [createFileSecretBox({ dir }), createFileSecretBox({ dir })];
    const [sa, sb] = await Promise.all([a.seal('one', 'c'), b.seal('two', 'c')]);
    expect(await b.open(sa, 'c')).toBe('one');
    expect(await a.open(sb, 'c')).toBe('two');
  });

  it('refuses a key readable by others, an open folder or a malformed key with SECRET_KEY_ERROR', async () => {
    const dir = join(tempDir(), 'keys');
    await createFileSecretBox({ dir }).seal('x', 'c');
    const keyFile = join(dir, STATION_SECRET_KEY_FILE);
    chmodSync(keyFile, 0o644);
    expect(await codeOf(createFileSecretBox({ dir }).seal('x', 'c'))).toBe('SECRET_KEY_ERROR');
    chmodSync(keyFile, 0o600);
    chmodSync(dir, 0o755);
    expect(await codeOf(createFileSecretBox({ dir }).seal('x', 'c'))).toBe('SECRET_KEY_ERROR');
    chmodSync(dir, 0o700);
    writeFileSync(keyFile, 'c2hvcnQ=\n');
    expect(await codeOf(createFileSecretBox({ dir }).seal('x', 'c'))).toBe('SECRET_KEY_ERROR');
  });
});
