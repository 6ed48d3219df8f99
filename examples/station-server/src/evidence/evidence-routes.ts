import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { evidenceHoldRoutes } from './evidence-hold-routes.js';
import { evidencePackageRoutes } from './evidence-package-routes.js';
import type { EvidenceRouteContext } from './evidence-route-context.js';

/**
 * The evidence API: the exported packages (list, record, download of the `.zip`, verification), the station
 * public key and holds. Exports themselves are jobs of the one export job system (`POST /exports` with
 * `kind: "evidence"`, see `export-routes.ts`). Views, downloads, verifications, exports and holds are written to
 * the audit log by the evidence service. Every route that serves the `.zip` calls `ensureZip` first, so with
 * the service's default `zip: 'on-demand'` the first download writes it (verified, audited `evidence.zip`);
 * listings carry `zipReady` (whether it is written yet).
 */
export const evidenceRoutes: StationServerPlugin<EvidenceRouteContext> = async (app, { context }) => {
  await app.register(evidencePackageRoutes, { context });
  await app.register(evidenceHoldRoutes, { context });
};
