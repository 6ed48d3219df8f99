import { join } from 'node:path';
import { WardwatchError } from '../errors/wardwatch-error.js';
import { EVIDENCE_PACKAGE_FILES as F } from './evidence-package-files.js';
import { writeZip } from './write-zip.js';

/** Input of {@link zipEvidencePackage}. */
export interface ZipEvidencePackageInput {
  /** The complete package folder. */
  dir: string;
  /** The new `.zip` (must not exist). */
  outPath: string;
  /** Every file of the package with its hash (as in `SHA256SUMS`). */
  sums: ReadonlyArray<{ path: string; sha256: string }>;
  /** Entry time (the export time). */
  mtime: Date;
  signal?: AbortSignal;
  onBytes?: (bytes: number) => void;
}

/**
 * Packs a package folder into its `.zip`: manifest, signature, key and sums first (deflated), then the clip
 * and stills stored as they are. The small files are re-hashed on the way and must match `sums`; the clip
 * (already hashed) is checked by size and CRC-32 only.
 */
export async function zipEvidencePackage(input: ZipEvidencePackageInput): Promise<void> {
  const head = [F.manifest, F.signature, F.publicKey, F.sums] as string[];
  const order = [...head, ...input.sums.map((s) => s.path).filter((p) => !head.includes(p))];
  const media = (name: string): boolean => name === F.clip || name.startsWith(`${F.stillsDir}/`);
  const zipped = await writeZip(
    input.outPath,
    order.map((name) => ({ name, path: join(input.dir, name), deflate: !media(name), sha256: name !== F.clip })),
    { mtime: input.mtime, fsync: true, ...(input.signal ? { signal: input.signal } : {}), ...(input.onBytes ? { onBytes: input.onBytes } : {}) },
  );
  for (const entry of zipped) {
    const expected = input.sums.find((s) => s.path === entry.name);
    if (expected && entry.sha256 !== undefined && expected.sha256 !== entry.sha256) {
      throw new WardwatchError('EVIDENCE_INTEGRITY_MISMATCH', `${entry.name} changed while the package was being zipped`, { details: { file: entry.name } });
    }
  }
}
