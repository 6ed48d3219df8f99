import { rm } from 'node:fs/promises';
import { toWardwatchError, type WardwatchError } from '../errors/wardwatch-error.js';
import type { EvidenceHolds } from './evidence-holds.js';
import type { EvidenceContext } from './evidence-options.js';
import type { EvidenceExportRequest } from './evidence-service.js';
import { exportCancelled } from './export-cancelled.js';
import type { ExportPaths } from './export-paths.js';
import type { ExportState } from './export-state.js';

/**
 * Step 6, when a step failed: an export not yet committed leaves nothing behind (staging and any renamed files
 * removed, its hold released, the failure or cancel audited); a committed one is kept and the late error only
 * reported. Returns the error the export ends with.
 */
export async function rollbackExport(
  context: EvidenceContext,
  holds: EvidenceHolds,
  input: { id: string; request: EvidenceExportRequest; paths: ExportPaths; state: ExportState; signal: AbortSignal },
  error: unknown,
): Promise<WardwatchError> {
  const { id, request, paths, state } = input;
  if (state.committed) {
    const late = toWardwatchError(error);
    context.logger.error({ err: late, evidenceId: id }, 'the evidence package was exported, but a later step failed');
    return late;
  }
  const failure = input.signal.aborted ? exportCancelled() : toWardwatchError(error);
  await Promise.allSettled([
    rm(paths.staging, { recursive: true, force: true }),
    rm(paths.stagingZip, { force: true }),
    ...(state.renamed ? [rm(paths.finalDir, { recursive: true, force: true }), rm(paths.finalZip, { force: true })] : []),
  ]);
  try {
    if (state.hold) await holds.release(state.hold.id, { actor: request.operator, reason: `export ${id} did not complete (${failure.code})` });
    await context.audit({
      actor: request.operator,
      action: failure.code === 'CANCELLED' ? 'evidence.export.cancelled' : 'evidence.export.failed',
      target: id,
      details: { cameraId: request.cameraId, requested: { from: request.from, to: request.to }, code: failure.code, message: failure.message },
    });
  } catch (cleanupError) {
    context.logger.error({ err: cleanupError, evidenceId: id }, 'could not record the failed export');
  }
  return failure;
}
