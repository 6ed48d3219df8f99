import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { WardwatchError } from '../errors/wardwatch-error.js';
import type { Segment } from '../model/segment.js';
import { cutVerifiedClip } from './cut-verified-clip.js';
import type { EvidenceHolds } from './evidence-holds.js';
import { isoOf, newRecordId } from './evidence-id.js';
import { evidenceManifestInput } from './evidence-manifest-input.js';
import type { EvidenceContext } from './evidence-options.js';
import { EVIDENCE_PACKAGE_FILES as F } from './evidence-package-files.js';
import type { EvidenceExportEvent, EvidenceExportRequest } from './evidence-service.js';
import { throwIfCancelled } from './export-cancelled.js';
import { exportPaths } from './export-paths.js';
import { createExportProgress } from './export-progress.js';
import type { ExportState } from './export-state.js';
import { extractStills } from './extract-stills.js';
import { publishEvidence } from './publish-evidence.js';
import { rollbackExport } from './rollback-export.js';
import { validateExportRequest } from './validate-export-request.js';
import { writeEvidencePackage } from './write-evidence-package.js';
import { zipEvidencePackage } from './zip-evidence-package.js';

/** The indexed segments of the requested range; `RECORDING_UNAVAILABLE` when there are none. */
async function listSources(context: EvidenceContext, request: EvidenceExportRequest): Promise<Segment[]> {
  const segments = await context.storage.segments.query(request.cameraId, { from: request.from, to: request.to });
  if (segments.length === 0) {
    throw new WardwatchError('RECORDING_UNAVAILABLE', `No recorded footage for camera ${request.cameraId} between ${isoOf(request.from)} and ${isoOf(request.to)}`, {
      details: { cameraId: request.cameraId, from: request.from, to: request.to },
    });
  }
  return segments;
}

/** Retention may have purged footage between the listing and the hold: never export less than was listed. */
async function checkStillIndexed(context: EvidenceContext, request: EvidenceExportRequest, listed: readonly Segment[]): Promise<void> {
  const heldNow = new Set((await context.storage.segments.query(request.cameraId, { from: request.from, to: request.to })).map((s) => s.start));
  if (listed.some((s) => !heldNow.has(s.start))) {
    throw new WardwatchError('RECORDING_UNAVAILABLE', `Footage of camera ${request.cameraId} was purged while the export started; try again`, {
      details: { cameraId: request.cameraId, from: request.from, to: request.to },
    });
  }
}

/**
 * One evidence export, step by step: validate → hold → verify sources and cut → stills → manifest and signature
 * → (zip) → publish; any failure before the record is committed rolls everything back.
 */
export async function runEvidenceExport(
  context: EvidenceContext,
  holds: EvidenceHolds,
  request: EvidenceExportRequest,
  signal: AbortSignal,
  progress: (event: EvidenceExportEvent & { type: 'progress' }) => void,
): Promise<EvidenceExportEvent & { type: 'done' }> {
  validateExportRequest(request, { maxRangeMs: context.maxRangeMs, canExtractStills: context.extractStill !== undefined });
  if (request.incidentId !== undefined && !(await context.storage.incidents.get(request.incidentId))) {
    throw new WardwatchError('NOT_FOUND', `No incident ${request.incidentId}`, { details: { incidentId: request.incidentId } });
  }
  const camera = await context.storage.cameras.get(request.cameraId);
  const segments = await listSources(context, request);
  throwIfCancelled(signal);

  const id = newRecordId('ev', context.clock.now());
  const paths = exportPaths(context.evidenceRoot, id);
  const report = createExportProgress(context.zip, progress);
  const state: ExportState = { renamed: false, committed: false };
  try {
    await mkdir(context.evidenceRoot, { recursive: true, mode: 0o750 });
    await mkdir(paths.staging, { mode: 0o750 });
    const hold = await holds.create({ cameraId: request.cameraId, from: request.from, to: request.to, reason: `evidence export ${id}: ${request.reason}`, actor: request.operator, owner: { kind: 'evidence', id } });
    state.hold = hold;
    await checkStillIndexed(context, request, segments);
    const clipPath = join(paths.staging, F.clip);
    const result = await cutVerifiedClip(context, { evidenceId: id, request, segments, clipPath, signal, report });
    const stills = await extractStills(context, { stillsAt: request.stillsAt, clipPath, result, signal });
    const exportedAt = context.clock.now();
    const written = await writeEvidencePackage({
      dir: paths.staging,
      keyStore: context.keyStore,
      signal,
      clip: { sha256: result.sha256, bytes: result.bytes },
      stills,
      manifest: evidenceManifestInput(context, { id, request, camera, result, exportedAt }),
    });
    report('package', 1);
    if (context.zip === 'eager') {
      throwIfCancelled(signal);
      const totalZip = result.bytes || 1;
      await zipEvidencePackage({ dir: paths.staging, outPath: paths.stagingZip, sums: written.sums, mtime: new Date(exportedAt), signal, onBytes: (b) => report('zip', b / totalZip) });
      report('zip', 1);
    }
    throwIfCancelled(signal);
    return await publishEvidence(context, holds, { id, request, paths, result, written, hold, exportedAt, state });
  } catch (error) {
    throw await rollbackExport(context, holds, { id, request, paths, state, signal }, error);
  }
}
