import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { ErrorCode } from '../errors/codes.js';
import { WardwatchError, toWardwatchError } from '../errors/wardwatch-error.js';
import { EVIDENCE_PACKAGE_FILES as F } from './evidence-package-files.js';
import { EvidenceManifestSchema, type EvidenceManifest } from './evidence-manifest.js';
import { publicKeyFingerprint } from './file-key-store.js';
import { readZip } from './read-zip.js';

/** Options of {@link verifyEvidencePackage}. */
export interface VerifyEvidencePackageOptions {
  /**
   * The station public key (SPKI PEM text or a KeyObject) to check the signature with. When omitted
   * the key embedded in the package is used and the result says so (`keySource: 'embedded'`).
   */
  publicKey?: string | KeyObject;
  /** Stops hashing; rejects with `CANCELLED`. */
  signal?: AbortSignal;
}

/** The state of one file of a verified package. */
export interface VerifiedFile {
  path: string;
  bytes: number;
  sha256: string;
  /** `ok`, or why it failed (`mismatch` with SHA256SUMS or the manifest, `unlisted` in SHA256SUMS). */
  status: 'ok' | 'mismatch' | 'unlisted';
}

/** One reason a package failed verification, naming the file when there is one. */
export interface VerificationProblem {
  code: ErrorCode;
  file?: string;
  message: string;
}

/** The full result of {@link verifyEvidencePackage}. */
export interface PackageVerification {
  /** True only when every hash matches and the signature verifies. */
  ok: boolean;
  /** One human sentence: VERIFIED or FAILED and why. */
  verdict: string;
  /** The package path given. */
  package: string;
  kind: 'folder' | 'zip';
  manifest?: EvidenceManifest;
  files: VerifiedFile[];
  signature: {
    status: 'valid' | 'invalid' | 'missing';
    /** `given`: checked with the key passed in; `embedded`: with the key inside the package (not independent proof). */
    keySource: 'given' | 'embedded';
    /** Fingerprint of the key used. */
    fingerprint?: string;
  };
  problems: VerificationProblem[];
}

interface PackageSource {
  kind: 'folder' | 'zip';
  names: string[];
  stream(name: string): Promise<Readable>;
}

async function folderSource(dir: string): Promise<PackageSource> {
  const names: string[] = [];
  const walk = async (at: string, depth: number): Promise<void> => {
    if (depth > 4) return;
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      if (entry.isDirectory()) await walk(full, depth + 1);
      else if (entry.isFile()) names.push(relative(dir, full).split(sep).join('/'));
    }
  };
  await walk(dir, 0);
  names.sort();
  return { kind: 'folder', names, stream: async (name) => createReadStream(join(dir, name), { highWaterMark: 1 << 20 }) };
}

async function zipSource(path: string): Promise<PackageSource> {
  const zip = await readZip(path);
  const byName = new Map(zip.entries.filter((e) => !e.name.endsWith('/')).map((e) => [e.name, e]));
  return {
    kind: 'zip',
    names: [...byName.keys()].sort(),
    stream: async (name) => zip.open(byName.get(name)!),
  };
}

async function drain(stream: Readable, signal: AbortSignal | undefined, keep: boolean): Promise<{ sha256: string; bytes: number; data?: Buffer }> {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    if (signal?.aborted) {
      stream.destroy();
      throw new WardwatchError('CANCELLED', 'Verification was cancelled');
    }
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    if (keep && bytes <= MAX_SMALL_FILE) chunks.push(chunk as Buffer);
  }
  // A metadata file above the cap is hashed but not parsed (it then fails as unreadable).
  return { sha256: hash.digest('hex'), bytes, ...(keep && bytes <= MAX_SMALL_FILE ? { data: Buffer.concat(chunks) } : {}) };
}

/** Parses `sha256sum` output lines (`<hex>  <name>` or `<hex> *<name>`). */
function parseSums(text: string): Map<string, string> | undefined {
  const sums = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!match) return undefined;
    sums.set(match[2]!, match[1]!);
  }
  return sums;
}

const SMALL_FILES = new Set<string>([F.manifest, F.signature, F.publicKey, F.sums]);
/** Largest manifest, signature, key or sums file read into memory. */
const MAX_SMALL_FILE = 16 * 1024 * 1024;

/**
 * Verifies an evidence package (its folder or its `.zip`): every file is re-hashed and compared with
 * `SHA256SUMS` and with the signed manifest, and the Ed25519 signature over `manifest.json` is checked
 * with the given public key or, flagged as such, the embedded one. Any changed byte fails and names the file.
 */
export async function verifyEvidencePackage(path: string, options: VerifyEvidencePackageOptions = {}): Promise<PackageVerification> {
  let source: PackageSource;
  try {
    const info = await stat(path);
    source = info.isDirectory() ? await folderSource(path) : await zipSource(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new WardwatchError('NOT_FOUND', `No evidence package at ${path}`, { cause: error, details: { path } });
    }
    throw toWardwatchError(error, 'MEDIA_INVALID', { path });
  }
  const problems: VerificationProblem[] = [];
  const hashed = new Map<string, { sha256: string; bytes: number; data?: Buffer }>();
  for (const name of source.names) {
    hashed.set(name, await drain(await source.stream(name), options.signal, SMALL_FILES.has(name)));
  }
  const files: VerifiedFile[] = [...hashed].map(([name, h]) => ({ path: name, bytes: h.bytes, sha256: h.sha256, status: 'ok' }));
  const fileOf = (name: string): VerifiedFile | undefined => files.find((f) => f.path === name);
  const fail = (code: ErrorCode, message: string, file?: string, status?: VerifiedFile['status']): void => {
    problems.push({ code, message, ...(file === undefined ? {} : { file }) });
    const entry = file === undefined ? undefined : fileOf(file);
    if (entry && status && entry.status === 'ok') entry.status = status;
  };

  for (const required of [F.manifest, F.signature, F.publicKey, F.sums, F.clip]) {
    if (!hashed.has(required)) fail('EVIDENCE_INTEGRITY_MISMATCH', `${required} is missing from the package`, required);
  }
  for (const name of SMALL_FILES) {
    const file = hashed.get(name);
    if (file && file.data === undefined) fail('EVIDENCE_INTEGRITY_MISMATCH', `${name} is larger than ${MAX_SMALL_FILE} bytes and was not read`, name, 'mismatch');
  }

  // 1. SHA256SUMS: every file listed, every hash equal.
  const sumsData = hashed.get(F.sums)?.data;
  if (sumsData) {
    const sums = parseSums(sumsData.toString('utf8'));
    if (!sums) fail('EVIDENCE_INTEGRITY_MISMATCH', `${F.sums} is malformed`, F.sums, 'mismatch');
    else {
      for (const [name, expected] of sums) {
        const actual = hashed.get(name);
        if (!actual) fail('EVIDENCE_INTEGRITY_MISMATCH', `${name} is listed in ${F.sums} but missing from the package`, name);
        else if (actual.sha256 !== expected) fail('EVIDENCE_INTEGRITY_MISMATCH', `${name} has been changed: its SHA-256 does not match ${F.sums}`, name, 'mismatch');
      }
      for (const name of hashed.keys()) {
        if (name !== F.sums && !sums.has(name)) fail('EVIDENCE_INTEGRITY_MISMATCH', `${name} is not listed in ${F.sums} (added after export)`, name, 'unlisted');
      }
    }
  }

  // 2. The manifest: valid, and its file hashes (which the signature binds) equal to the files.
  let manifest: EvidenceManifest | undefined;
  const manifestData = hashed.get(F.manifest)?.data;
  if (manifestData) {
    try {
      const parsed = EvidenceManifestSchema.safeParse(JSON.parse(manifestData.toString('utf8')));
      if (parsed.success) manifest = parsed.data;
      else fail('EVIDENCE_INTEGRITY_MISMATCH', `${F.manifest} does not follow the manifest format: ${parsed.error.issues[0]?.message ?? 'invalid'}`, F.manifest, 'mismatch');
    } catch {
      fail('EVIDENCE_INTEGRITY_MISMATCH', `${F.manifest} has been changed: it is not valid JSON`, F.manifest, 'mismatch');
    }
  }
  if (manifest) {
    for (const file of manifest.files) {
      const actual = hashed.get(file.path);
      if (!actual) fail('EVIDENCE_INTEGRITY_MISMATCH', `${file.path} is named in the manifest but missing from the package`, file.path);
      else if (actual.sha256 !== file.sha256 || actual.bytes !== file.bytes) {
        fail('EVIDENCE_INTEGRITY_MISMATCH', `${file.path} has been changed: its SHA-256 does not match the signed manifest`, file.path, 'mismatch');
      }
    }
  }

  // 3. The signature over the exact manifest bytes.
  const keySource: 'given' | 'embedded' = options.publicKey === undefined ? 'embedded' : 'given';
  let signature: PackageVerification['signature'] = { status: 'missing', keySource };
  const sigData = hashed.get(F.signature)?.data;
  const embeddedPem = hashed.get(F.publicKey)?.data?.toString('utf8');
  let key: KeyObject | undefined;
  try {
    if (options.publicKey !== undefined) key = typeof options.publicKey === 'string' ? createPublicKey(options.publicKey) : options.publicKey;
    else if (embeddedPem) key = createPublicKey(embeddedPem);
  } catch (error) {
    if (options.publicKey !== undefined) throw new WardwatchError('EVIDENCE_KEY_ERROR', `The given public key cannot be read: ${(error as Error).message}`, { cause: error });
    fail('EVIDENCE_SIGNATURE_INVALID', `${F.publicKey} is not a readable public key`, F.publicKey, 'mismatch');
  }
  if (key && key.asymmetricKeyType !== 'ed25519') {
    if (options.publicKey !== undefined) throw new WardwatchError('EVIDENCE_KEY_ERROR', 'The given public key is not an Ed25519 key');
    fail('EVIDENCE_SIGNATURE_INVALID', `${F.publicKey} is not an Ed25519 key`, F.publicKey, 'mismatch');
    key = undefined;
  }
  if (sigData && manifestData && key) {
    const fingerprint = publicKeyFingerprint(key);
    let valid = false;
    try {
      valid = verifySignature(null, manifestData, key, Buffer.from(sigData.toString('utf8').trim(), 'base64'));
    } catch {
      valid = false;
    }
    signature = { status: valid ? 'valid' : 'invalid', keySource, fingerprint };
    if (!valid) {
      fail(
        'EVIDENCE_SIGNATURE_INVALID',
        keySource === 'embedded'
          ? `The signature in ${F.signature} does not verify over ${F.manifest} with the embedded key`
          : `The signature in ${F.signature} does not verify over ${F.manifest} with the given station key`,
        F.signature,
      );
    } else if (manifest && manifest.signing.publicKeyFingerprint !== fingerprint) {
      fail('EVIDENCE_SIGNATURE_INVALID', `The signing key fingerprint in ${F.manifest} does not match the key used`, F.publicKey, 'mismatch');
    }
  }

  const ok = problems.length === 0;
  const changed = [...new Set(problems.map((p) => p.file).filter((f): f is string => f !== undefined))];
  const verdict = ok
    ? `VERIFIED: ${files.length} files match their hashes and the manifest signature is valid (${
        signature.keySource === 'given' ? 'checked with the given station key' : 'checked with the key EMBEDDED in the package only: compare its fingerprint with the station'
      } ${signature.fingerprint ?? ''}).`
    : `FAILED: ${problems[0]!.message}${changed.length > 0 ? ` [affected: ${changed.join(', ')}]` : ''}.`;
  return { ok, verdict, package: path, kind: source.kind, ...(manifest ? { manifest } : {}), files, signature, problems };
}
