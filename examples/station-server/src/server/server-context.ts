import type { Camera, CameraSpec, Station } from '@wardwatch/core';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Permission } from '../auth/roles.js';
import type { SessionStore } from '../auth/session-store.js';
import type { PublicUser, UserStore } from '../auth/user-store.js';
import type { ExportJobs } from './export-jobs.js';
import type { LiveUrlProvider } from '../live/live-url-provider.js';

/** What every route module is given: the station, auth helpers and the audit writer. */
export interface ServerContext {
  station: Station;
  users: UserStore;
  sessions: SessionStore;
  live: LiveUrlProvider | undefined;
  exports: ExportJobs | undefined;
  /** Absolute recorder root (segment paths are relative to it), when recordings can be played. */
  recordingsRoot: string | undefined;
  stationName: string;
  /** Ward and police station new cameras are assigned to. */
  site: { ward: string; station: string };
  /** Where discovery probes are sent (tests and the demo point it at the simulator's responder). */
  discovery: { port?: number; address?: string } | undefined;
  demo: boolean;
  /** A preHandler that requires a logged-in user holding `permission` (401/403 otherwise). */
  requirePermission(permission: Permission): preHandlerAsyncHookHandler;
  /** The logged-in user of a request (after a `requirePermission` preHandler). */
  userOf(request: FastifyRequest): PublicUser;
  /** Whether a user may see a camera (viewers only their own). */
  canSeeCamera(user: PublicUser, spec: CameraSpec): boolean;
  /** The camera handle when it exists and the user may see it; throws `NOT_FOUND` otherwise (no existence leak). */
  cameraFor(request: FastifyRequest, cameraId: string): Camera;
  /** Appends to the station's hash-chained audit log with the request's user as actor. */
  audit(request: FastifyRequest, action: string, target?: string, details?: Record<string, unknown>): Promise<void>;
  /** Sends an error as the standard API error body. */
  sendError(reply: FastifyReply, error: unknown): FastifyReply;
}
