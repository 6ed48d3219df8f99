import { createHash } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WardwatchError } from '../errors/wardwatch-error.js';
import { canonicalJson } from '../util/canonical-json.js';
import { fsyncDirectory } from '../util/fsync-directory.js';
import { fsyncFile } from '../util/fsync-file.js';
import { EVIDENCE_PACKAGE_FILES as F } from './evidence-package-files.js';
import { EVIDENCE_MANIFEST_FORMAT, EvidenceManifestSchema, type EvidenceManifest } from './evidence-manifest.js';
import type { EvidenceKeyStore } from './file-key-store.js';
import { hashFile } from './hash-file.js';

/** A still image to include in a package (`stills/<name>`). */
export interface EvidenceStill {
  /** File name inside `stills/`, e.g. `t+00012.jpg`. */
  name: string;
  data: Uint8Array;
}

/** Input of {@link writeEvidencePackage}. */
export interface WriteEvidencePackageInput {
  /** The package folder; it must already hold the clip as `clip.mp4`. */
  dir: string;
  /** Every manifest field except those the writer fills in (`format`, `files`, `signing`). */
  manifest: Omit<EvidenceManifest, 'format' | 'files' | 'signing'>;
  /** The clip's hash and size when already known (e.g. from the recorder); hashed here otherwise. */
  clip?: { sha256: string; bytes: number };
  stills?: readonly EvidenceStill[];
  keyStore: EvidenceKeyStore;
  signal?: AbortSignal;
}

/** What {@link writeEvidencePackage} wrote. */
export interface WrittenEvidencePackage {
  manifest: EvidenceManifest;
  /** The exact bytes of `manifest.json` (canonical JSON) that were signed. */
  manifestBytes: Buffer;
  manifestSha256: string;
  /** Base64 Ed25519 signature. */
  signature: string;
  /** Every file of the package with its hash, as listed in `SHA256SUMS`. */
  sums: Array<{ path: string; sha256: string }>;
}

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');
const STILL_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/;

/**
 * Completes a package folder around its clip: stills, `manifest.json` (canonical JSON with every
 * content hash), `manifest.sig` (Ed25519 by the station key), the public key and `SHA256SUMS`.
 */
export async function writeEvidencePackage(input: WriteEvidencePackageInput): Promise<WrittenEvidencePackage> {
  const { dir, keyStore, signal } = input;
  const clipPath = join(dir, F.clip);
  const clip = input.clip ?? (await hashFile(clipPath, signal ? { signal } : {}));
  const clipSize = (await stat(clipPath)).size;
  if (clipSize !== clip.bytes) {
    throw new WardwatchError('EVIDENCE_INTEGRITY_MISMATCH', `${F.clip} is ${clipSize} bytes but ${clip.bytes} were reported by the export`, { details: { file: F.clip } });
  }
  const files: EvidenceManifest['files'] = [{ path: F.clip, role: 'clip', bytes: clip.bytes, sha256: clip.sha256 }];
  const stills = input.stills ?? [];
  if (stills.length > 0) await mkdir(join(dir, F.stillsDir));
  for (const still of stills) {
    if (!STILL_NAME.test(still.name)) throw new WardwatchError('INVALID_ARGUMENT', `Bad still file name "${still.name}"`);
    const path = `${F.stillsDir}/${still.name}`;
    await writeFile(join(dir, path), still.data, { flag: 'wx' });
    files.push({ path, role: 'still', bytes: still.data.length, sha256: sha256(still.data) });
  }

  const manifest: EvidenceManifest = EvidenceManifestSchema.parse({
    ...input.manifest,
    format: EVIDENCE_MANIFEST_FORMAT,
    files,
    signing: { algorithm: 'Ed25519', publicKeyFingerprint: await keyStore.fingerprint() },
  });
  const manifestBytes = Buffer.from(canonicalJson(manifest), 'utf8');
  const signature = Buffer.from(await keyStore.sign(manifestBytes)).toString('base64');
  const publicPem = await keyStore.publicKeyPem();
  await writeFile(join(dir, F.manifest), manifestBytes, { flag: 'wx' });
  await writeFile(join(dir, F.signature), `${signature}\n`, { flag: 'wx' });
  await writeFile(join(dir, F.publicKey), publicPem, { flag: 'wx' });

  const sums = [
    ...files.map((f) => ({ path: f.path, sha256: f.sha256 })),
    { path: F.manifest, sha256: sha256(manifestBytes) },
    { path: F.signature, sha256: sha256(`${signature}\n`) },
    { path: F.publicKey, sha256: sha256(publicPem) },
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  await writeFile(join(dir, F.sums), sums.map((s) => `${s.sha256}  ${s.path}\n`).join(''), { flag: 'wx' });
  // every file on the disk, then the folders' entries, before the package is published and indexed
  for (const f of sums) await fsyncFile(join(dir, f.path));
  await fsyncFile(join(dir, F.sums));
  if (stills.length > 0) await fsyncDirectory(join(dir, F.stillsDir));
  await fsyncDirectory(dir);
  return { manifest, manifestBytes, manifestSha256: sha256(manifestBytes), signature, sums };
}
