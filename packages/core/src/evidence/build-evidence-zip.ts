import { randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { WardwatchError, toWardwatchError } from '../errors/wardwatch-error.js';
import type { EvidenceRecord } from '../model/evidence.js';
import { fsyncDirectory } from '../util/fsync-directory.js';
import type { EvidenceContext } from './evidence-options.js';
import { EVIDENCE_PACKAGE_FILES as F } from './evidence-package-files.js';
import { verifyEvidencePackage } from './verify-evidence-package.js';
import { zipEvidencePackage } from './zip-evidence-package.js';

/**
 * Writes the `.zip` of an export from its folder when it does not exist yet: only from a folder that verifies and
 * whose manifest is the one recorded in the index at export; audited as `evidence.zip` by `actor`. Returns its path.
 */
export async function buildEvidenceZip(
  context: Pick<EvidenceContext, 'keyStore' | 'audit' | 'logger'>,
  record: EvidenceRecord,
  paths: { dir: string; zip: string },
  actor: string,
): Promise<string> {
  const id = record.id;
  try {
    await stat(paths.zip);
    return paths.zip;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw toWardwatchError(error, 'STORAGE_IO');
  }
  const check = await verifyEvidencePackage(paths.dir, { publicKey: await context.keyStore.publicKeyPem() });
  if (!check.ok) {
    throw new WardwatchError('EVIDENCE_INTEGRITY_MISMATCH', `The package folder of ${id} no longer verifies, so it is not zipped: ${check.verdict}`, {
      details: { evidenceId: id, problems: check.problems },
    });
  }
  if (check.files.find((f) => f.path === F.manifest)?.sha256 !== record.manifestSha256) {
    throw new WardwatchError('EVIDENCE_INTEGRITY_MISMATCH', `The manifest of ${id} differs from the one recorded in the station index at export, so it is not zipped`, {
      details: { evidenceId: id },
    });
  }
  const partial = `${paths.zip}.partial-${randomBytes(3).toString('hex')}`;
  try {
    await zipEvidencePackage({
      dir: paths.dir,
      outPath: partial,
      sums: check.files.map((f) => ({ path: f.path, sha256: f.sha256 })).filter((f) => f.path !== F.sums),
      mtime: new Date(check.manifest!.exportedAt),
    });
    await rename(partial, paths.zip);
    // the zip was flushed by the writer; its name reaches the disk before the audit entry
    await fsyncDirectory(dirname(paths.zip));
  } catch (error) {
    await rm(partial, { force: true });
    throw toWardwatchError(error, 'STORAGE_IO');
  }
  const { size } = await stat(paths.zip);
  await context.audit({ actor, action: 'evidence.zip', target: id, details: { bytes: size, manifestSha256: record.manifestSha256, fromVerifiedFolder: true } });
  context.logger.info({ evidenceId: id, bytes: size }, 'evidence zip written on demand');
  return paths.zip;
}
