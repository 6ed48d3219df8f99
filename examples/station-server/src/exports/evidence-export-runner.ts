import { WardwatchError, type EvidenceService } from '@wardwatch/core';
import { defer, map } from 'rxjs';
import type { ExportRunner } from './export-runner.js';

/**
 * The `evidence` export kind: a signed evidence package through the station's evidence service (folder,
 * manifest, signature, audit); `clockOffsetOf` gives the camera clock offset written to the manifest.
 */
export function evidenceExportRunner(
  evidence: () => EvidenceService | undefined,
  clockOffsetOf: (cameraId: string) => number | undefined = () => undefined,
): ExportRunner {
  return (request, { signal }) =>
    defer(() => {
      const service = evidence();
      if (!service) throw new WardwatchError('STATION_NOT_RUNNING', 'Evidence export is unavailable while the station is not running');
      const offset = clockOffsetOf(request.cameraId);
      return service.exportEvidence({
        cameraId: request.cameraId,
        from: request.from,
        to: request.to,
        reason: request.reason ?? '',
        operator: request.createdBy,
        ...(request.caseId ? { caseId: request.caseId } : {}),
        ...(request.incidentId ? { incidentId: request.incidentId } : {}),
        ...(offset === undefined ? {} : { clockOffsetMs: offset }),
        ...(request.stillsAt && request.stillsAt.length > 0 ? { stillsAt: request.stillsAt } : {}),
        signal,
      });
    }).pipe(
      map((event) =>
        event.type === 'progress'
          ? { type: 'progress' as const, ratio: event.ratio, phase: event.phase }
          : { type: 'done' as const, evidenceId: event.record.id },
      ),
    );
}
