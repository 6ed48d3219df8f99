import { createEvidenceService, createFileKeyStore, type Recorder, type Station } from '@wardwatch/core';
import type { Permission } from '../auth/roles.js';
import { registerEvidenceRoutes, type EvidencePermission } from '../evidence/evidence-routes.js';
import { readStationIdentity, wardwatchVersions } from '../evidence/open-evidence-data.js';
import type { EvidenceRoutes } from '../server/create-station-server.js';

const PERMISSION: Record<EvidencePermission, Permission> = {
  'evidence.export': 'exports.create',
  'evidence.view': 'exports.view',
  'holds.view': 'exports.view',
  'holds.manage': 'exports.create',
};

/**
 * The evidence routes (`/api/evidence/...`) of a running station: the core evidence service over
 * the station's storage and recorder, the station key in `<data>/keys`, packages in `<data>/evidence`,
 * guarded by the server's roles (investigators and admins export; duty officers view). The service
 * keeps its default `zip: 'on-demand'`: an export writes the folder only, and the first download
 * writes the `.zip` from the verified folder (audited `evidence.zip`).
 */
export async function evidenceMount(options: {
  station: Station;
  recorder: Pick<Recorder, 'exportClip'>;
  dataDir: string;
  paths: { keys: string; evidence: string; recordings: string };
  identity: { id: string; name: string; ward: string };
}): Promise<EvidenceRoutes> {
  const { station } = options;
  const identity = await readStationIdentity(options.dataDir, options.identity);
  const evidence = createEvidenceService({
    storage: station.storage,
    recorder: options.recorder,
    keyStore: createFileKeyStore({ dir: options.paths.keys }),
    evidenceRoot: options.paths.evidence,
    recordingsRoot: options.paths.recordings,
    station: identity,
    softwareVersions: wardwatchVersions({ 'station-server': '0.1.0' }),
    clock: station.clock,
    logger: station.logger,
    emit: (event) => station.emit(event),
    incidents: station.incidents,
    clockOffsetOf: (cameraId) => station.camera(cameraId)?.clockOffsetMs,
  });
  return (app, context) => {
    const routes = registerEvidenceRoutes(app, {
      evidence,
      actorOf: (request) => context.userOf(request).username,
      guard: (permission) => context.requirePermission(PERMISSION[permission]),
      checkCamera: (request, cameraId) => void context.cameraFor(request, cameraId),
      clockOffsetOf: (cameraId) => station.camera(cameraId)?.clockOffsetMs,
    });
    app.addHook('onClose', async () => routes.close());
  };
}
