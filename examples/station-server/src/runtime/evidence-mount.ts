import { createFileKeyStore, WardwatchError, type Station, type StationEvidenceOptions } from '@wardwatch/core';
import type { Permission } from '../auth/roles.js';
import { registerEvidenceRoutes, type EvidencePermission } from '../evidence/evidence-routes.js';
import { wardwatchVersions, type StationIdentity } from '../evidence/open-evidence-data.js';
import type { EvidenceRoutes } from '../server/create-station-server.js';

const PERMISSION: Record<EvidencePermission, Permission> = {
  'evidence.export': 'exports.create',
  'evidence.view': 'exports.view',
  'holds.view': 'exports.view',
  'holds.manage': 'exports.create',
};

/**
 * The evidence options of this station server (`createStation({ evidence })`): the station key in `<data>/keys`,
 * packages in `<data>/evidence`, segments under `<data>/recordings`. The service keeps its default
 * `zip: 'on-demand'`: an export writes the folder only, and the first download writes the `.zip` from the
 * verified folder (audited `evidence.zip`).
 */
export function stationEvidenceOptions(paths: { keys: string; evidence: string; recordings: string }, identity: StationIdentity): StationEvidenceOptions {
  return {
    keyStore: createFileKeyStore({ dir: paths.keys }),
    evidenceRoot: paths.evidence,
    recordingsRoot: paths.recordings,
    station: identity,
    softwareVersions: wardwatchVersions({ 'station-server': '0.1.0' }),
  };
}

/**
 * The evidence routes (`/api/evidence/...`) over the station's own evidence service, guarded by the server's
 * roles (investigators and admins export; duty officers view).
 */
export function evidenceMount(station: Station): EvidenceRoutes {
  const evidence = station.evidence;
  if (!evidence) throw new WardwatchError('INVALID_CONFIG', 'The evidence routes need a station created with evidence options');
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
