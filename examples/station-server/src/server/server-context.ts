import type { Camera, CameraSpec, EvidenceService, Station } from '@wardwatch/core';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ConcurrencyGate } from '../auth/concurrency-gate.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import type { Permission } from '../auth/roles.js';
import type { Session, SessionStore } from '../auth/session-store.js';
import type { PublicUser, UserStore } from '../auth/user-store.js';
import type { ExportJobs } from '../exports/export-jobs.js';
import type { LiveGrants } from '../live/create-live-grants.js';
import type { LiveUrlProvider } from '../live/live-url-provider.js';
import type { CameraHostPolicy } from './camera-host-policy.js';
import type { SnapshotGuard } from './snapshot-guard.js';

/** What every route module is given: the station, auth helpers and the audit writer. */
export interface ServerContext {
  station: Station;
  users: UserStore;
  sessions: SessionStore;
  live: LiveUrlProvider | undefined;
  /** The export job system (clips and evidence packages), when this server can export. */
  exports: ExportJobs | undefined;
  /** The station's evidence service, when there is one (a getter: it may exist only while the station runs). */
  evidence(): EvidenceService | undefined;
  /** Absolute recorder root (segment paths are relative to it), when recordings can be played. */
  recordingsRoot: string | undefined;
  stationName: string;
  /** Ward and police station new cameras are assigned to. */
  site: { ward: string; station: string };
  /** Where discovery probes are sent (tests and the demo point it at the simulator's responder). */
  discovery: { port?: number; address?: string } | undefined;
  demo: boolean;
  /** Login throttling and failed-login audit aggregation. */
  loginThrottle: LoginThrottle;
  /** The gate every password check goes through (a bounded number of scrypt checks at once). */
  passwordChecks: ConcurrencyGate;
  /** Whether session cookies are `Secure` even when the request came over plain HTTP (TLS ends at a proxy). */
  secureCookies: boolean;
  /** Live views tied to sessions. */
  liveGrants: LiveGrants;
  /** Snapshots: single-flight per camera, short cache, per-user limit. */
  snapshots: SnapshotGuard;
  /** The deny-list camera hosts are checked against, when configured. */
  cameraHosts: CameraHostPolicy | undefined;
  /** The session of a request (401 without one). */
  sessionOf(request: FastifyRequest): Session;
  /** Re-checks every open live view against its session and rights now, and drops those that lost them. */
  revalidateLive(): void;
  /** A preHandler that requires a logged-in user holding `permission` (401/403 otherwise). */
  requirePermission(permission: Permission): preHandlerAsyncHookHandler;
  /** The logged-in user of a request (after a `requirePermission` preHandler). */
  userOf(request: FastifyRequest): PublicUser;
  /** The user name recorded as actor/operator for a request. */
  actorOf(request: FastifyRequest): string;
  /** Whether a user may see a camera (viewers only their own). */
  canSeeCamera(user: PublicUser, spec: CameraSpec): boolean;
  /** The camera handle when it exists and the user may see it; throws `NOT_FOUND` otherwise (no existence leak). */
  cameraFor(request: FastifyRequest, cameraId: string): Camera;
  /** Whether the request's user may see a camera (false for cameras that do not exist). */
  mayAccessCamera(request: FastifyRequest, cameraId: string): boolean;
  /** Appends to the station's hash-chained audit log with the request's user as actor. */
  audit(request: FastifyRequest, action: string, target?: string, details?: Record<string, unknown>): Promise<void>;
  /** Sends an error as the standard API error body. */
  sendError(reply: FastifyReply, error: unknown): FastifyReply;
}
