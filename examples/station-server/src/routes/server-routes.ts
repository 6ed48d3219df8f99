import { evidenceRecordRoutes } from '../evidence/evidence-record-routes.js';
import { evidenceRoutes } from '../evidence/evidence-routes.js';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { auditRoutes } from './audit-routes.js';
import { authRoutes } from './auth-routes.js';
import { cameraAddRoute } from './camera-add-route.js';
import { cameraDiscoveryRoute } from './camera-discovery-route.js';
import { cameraEditRoutes } from './camera-edit-routes.js';
import { cameraListRoutes } from './camera-list-routes.js';
import { cameraPictureRoutes } from './camera-picture-routes.js';
import { cameraPtzRoutes } from './camera-ptz-routes.js';
import { eventRoutes } from './event-routes.js';
import { exportRoutes } from './export-routes.js';
import { healthRoutes } from './health-routes.js';
import { incidentEditRoutes } from './incident-edit-routes.js';
import { incidentReadRoutes } from './incident-read-routes.js';
import { incidentWorkflowRoutes } from './incident-workflow-routes.js';
import { recordingRoutes } from './recording-routes.js';
import { reportRoutes } from './report-routes.js';
import { sightingRoutes } from './sighting-routes.js';
import { userRoutes } from './user-routes.js';

/** The station server's own route modules, registered in this order under `/api` (integrators' `plugins` follow). */
export const SERVER_ROUTES: readonly StationServerPlugin[] = [
  authRoutes,
  healthRoutes,
  cameraListRoutes,
  cameraAddRoute,
  cameraEditRoutes,
  cameraDiscoveryRoute,
  cameraPictureRoutes,
  cameraPtzRoutes,
  recordingRoutes,
  eventRoutes,
  incidentReadRoutes,
  incidentEditRoutes,
  incidentWorkflowRoutes,
  exportRoutes,
  evidenceRoutes,
  evidenceRecordRoutes,
  reportRoutes,
  userRoutes,
  auditRoutes,
  sightingRoutes,
];
