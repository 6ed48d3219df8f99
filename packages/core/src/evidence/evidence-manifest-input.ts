import type { ClipResult } from '../contracts/recorder.js';
import type { CameraSpec } from '../model/camera-spec.js';
import type { EvidenceContext } from './evidence-options.js';
import type { EvidenceExportRequest } from './evidence-service.js';
import { isoOf } from './evidence-id.js';
import type { WriteEvidencePackageInput } from './write-evidence-package.js';

/**
 * Step 3: the manifest of an export (what the package writer then completes with file hashes and signs): the
 * station, the camera as configured, requested and actual ranges, every source segment with its hash, gaps,
 * who, why, and the camera's clock offset.
 */
export function evidenceManifestInput(
  context: Pick<EvidenceContext, 'station' | 'softwareVersions' | 'clockOffsetOf'>,
  input: { id: string; request: EvidenceExportRequest; camera: CameraSpec | undefined; result: ClipResult; exportedAt: number },
): WriteEvidencePackageInput['manifest'] {
  const { id, request, camera, result, exportedAt } = input;
  return {
    id,
    station: context.station,
    camera: {
      id: request.cameraId,
      name: camera?.name ?? request.cameraId,
      ownership: camera?.ownership ?? 'unknown',
      owner: camera?.owner ?? null,
      site: camera ? { ward: camera.site.ward, station: camera.site.station } : null,
      location: camera ? { lat: camera.location.lat, lon: camera.location.lon, address: camera.location.address ?? null } : null,
    },
    requested: { from: request.from, to: request.to, fromIso: isoOf(request.from), toIso: isoOf(request.to) },
    actual: { from: result.actual.from, to: result.actual.to, fromIso: isoOf(result.actual.from), toIso: isoOf(result.actual.to) },
    clockOffsetMs: request.clockOffsetMs !== undefined ? request.clockOffsetMs : (context.clockOffsetOf(request.cameraId) ?? null),
    sourceSegments: result.segments.map((s) => ({ path: s.path, start: s.start, end: s.end, bytes: s.bytes, codec: s.codec, sha256: s.sha256, verifiedAtExport: true as const })),
    gaps: result.gaps.map((g) => ({ from: g.from, to: g.to })),
    operator: request.operator,
    reason: request.reason,
    caseId: request.caseId ?? null,
    incidentId: request.incidentId ?? null,
    exportedAt,
    exportedAtIso: isoOf(exportedAt),
    software: context.softwareVersions,
  };
}
