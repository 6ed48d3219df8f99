import type { ServerContext } from '../server/server-context.js';

/** What the evidence routes need of the server. */
export type EvidenceRouteContext = Pick<ServerContext, 'evidence' | 'requirePermission' | 'actorOf' | 'cameraFor' | 'mayAccessCamera'>;
