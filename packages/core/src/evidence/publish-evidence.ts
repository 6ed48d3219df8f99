import { rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ClipResult } from '../contracts/recorder.js';
import { fsyncDirectory } from '../util/fsync-directory.js';
import type { EvidenceRecord, Hold } from '../model/evidence.js';
import type { EvidenceHolds } from './evidence-holds.js';
import type { EvidenceContext } from './evidence-options.js';
import type { EvidenceExportEvent, EvidenceExportRequest } from './evidence-service.js';
import type { ExportPaths } from './export-paths.js';
import type { ExportState } from './export-state.js';
import type { WrittenEvidencePackage } from './write-evidence-package.js';

/**
 * Step 5: publishes a signed package atomically (renamed into place), then indexes it (the only writer of
 * `storage.evidence`), audits it, links it to its incident through the incident service (which holds the
 * incident's ranges), and announces `evidence.exported`.
 */
export async function publishEvidence(
  context: EvidenceContext,
  holds: EvidenceHolds,
  input: { id: string; request: EvidenceExportRequest; paths: ExportPaths; result: ClipResult; written: WrittenEvidencePackage; hold: Hold; exportedAt: number; state: ExportState },
): Promise<EvidenceExportEvent & { type: 'done' }> {
  const { id, request, paths, result, written, state } = input;
  await rename(paths.staging, paths.finalDir);
  state.renamed = true;
  if (context.zip === 'eager') await rename(paths.stagingZip, paths.finalZip);
  // the renames reach the disk before the index records the export
  await fsyncDirectory(dirname(paths.finalDir));
  const requested = { from: request.from, to: request.to };
  const record: EvidenceRecord = {
    id,
    cameraId: request.cameraId,
    requested,
    actual: { from: result.actual.from, to: result.actual.to },
    operator: request.operator,
    reason: request.reason,
    ...(request.caseId === undefined ? {} : { caseId: request.caseId }),
    ...(request.incidentId === undefined ? {} : { incidentId: request.incidentId }),
    createdAt: input.exportedAt,
    packagePath: id,
    clipSha256: result.sha256,
    manifestSha256: written.manifestSha256,
    segments: result.segments.map((s) => ({ path: s.path, start: s.start, end: s.end, sha256: s.sha256 })),
    gaps: result.gaps.map((g) => ({ from: g.from, to: g.to })),
    holdId: input.hold.id,
  };
  await context.storage.evidence.put(record);
  // From here the export exists: later failures are reported but never remove the package.
  state.committed = true;
  await context.audit({
    actor: request.operator,
    action: 'evidence.export',
    target: id,
    details: {
      cameraId: request.cameraId,
      requested,
      actual: record.actual,
      reason: request.reason,
      caseId: request.caseId ?? null,
      incidentId: request.incidentId ?? null,
      manifestSha256: written.manifestSha256,
      clipSha256: result.sha256,
      segments: result.segments.length,
    },
  });
  if (request.incidentId !== undefined) {
    const incident = await context.incidents.linkEvidence(request.incidentId, id, request.operator);
    await holds.holdIncident(incident, request.operator);
  }
  context.emit({
    type: 'evidence.exported',
    at: input.exportedAt,
    evidenceId: id,
    cameraId: request.cameraId,
    from: result.actual.from,
    to: result.actual.to,
    operator: request.operator,
    ...(request.incidentId === undefined ? {} : { incidentId: request.incidentId }),
  });
  context.logger.info({ evidenceId: id, cameraId: request.cameraId, bytes: result.bytes }, 'evidence exported');
  return { type: 'done', record, manifest: written.manifest, packageDir: paths.finalDir, zipPath: paths.finalZip };
}
