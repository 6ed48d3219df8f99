import { resolve } from 'node:path';
import { WardwatchError } from '@wardwatch/core';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { createConcurrencyGate } from '../auth/concurrency-gate.js';
import { createLoginThrottle } from '../auth/login-throttle.js';
import { can, type Permission } from '../auth/roles.js';
import { SESSION_COOKIE } from '../auth/session-cookie.js';
import type { Session, SessionStore } from '../auth/session-store.js';
import type { PublicUser } from '../auth/user-store.js';
import { createLiveGrants } from '../live/create-live-grants.js';
import { DEFAULT_DENIED_CAMERA_NETWORKS, createCameraHostPolicy } from './camera-host-policy.js';
import { sendApiError } from './send-api-error.js';
import type { ServerContext } from './server-context.js';
import { createSnapshotGuard } from './snapshot-guard.js';
import type { StationServerOptions } from './station-server-options.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in user, set by the auth preHandlers. */
    wwUser?: PublicUser;
  }
}

/**
 * The {@link ServerContext} every route module is given, from the server's options and session store: auth
 * preHandlers, camera visibility, live grants (set as the live relay's play policy), the audit writer.
 */
export function createServerContext(options: StationServerOptions, sessions: SessionStore, log: FastifyBaseLogger): ServerContext {
  const { station, users } = options;
  const sessionOf = (request: FastifyRequest): Session => {
    const session = sessions.get(request.cookies[SESSION_COOKIE]);
    if (!session) throw new WardwatchError('UNAUTHENTICATED', 'Log in first');
    return session;
  };
  const authenticate = (request: FastifyRequest): PublicUser => (request.wwUser ??= sessionOf(request).user);
  const evidence = options.evidence;
  const canSeeCamera: ServerContext['canSeeCamera'] = (user, spec) => user.role !== 'viewer' || (user.owner !== undefined && spec.owner === user.owner);
  const liveGrants = createLiveGrants({ station, sessions, canSeeCamera });
  options.live?.setPlayPolicy((viewer) => liveGrants.allows(viewer));

  const context: ServerContext = {
    station,
    users,
    sessions,
    live: options.live,
    exports: options.exports,
    evidence: () => (typeof evidence === 'function' ? evidence() : (evidence ?? station.evidence)),
    recordingsRoot: options.recordingsRoot ? resolve(options.recordingsRoot) : undefined,
    stationName: options.stationName ?? 'WardWatch station',
    site: { ward: options.ward ?? 'ward', station: options.stationName ?? 'WardWatch station' },
    discovery: options.discovery,
    demo: options.demo ?? false,
    loginThrottle: createLoginThrottle({
      ...(options.loginRateLimit ? { perUser: options.loginRateLimit } : {}),
      ...(options.loginIpRateLimit ? { perIp: options.loginIpRateLimit } : {}),
    }),
    passwordChecks: createConcurrencyGate({ max: options.passwordChecks?.concurrent ?? 2, queue: options.passwordChecks?.queued ?? 16, what: 'password checks' }),
    secureCookies: options.secureCookies ?? false,
    revalidateLive() {
      const dropped = options.live?.dropViewers((viewer) => !liveGrants.allows(viewer)) ?? 0;
      if (dropped > 0) log.info({ dropped }, 'live viewers without a valid grant dropped');
    },
    liveGrants,
    snapshots: createSnapshotGuard(options.snapshots),
    cameraHosts: options.denyCameraHosts
      ? createCameraHostPolicy(options.denyCameraHosts === true ? DEFAULT_DENIED_CAMERA_NETWORKS : options.denyCameraHosts)
      : undefined,
    sessionOf,
    requirePermission(permission: Permission) {
      return async (request) => {
        const user = authenticate(request);
        if (!can(user.role, permission)) {
          throw new WardwatchError('FORBIDDEN', `Role ${user.role} may not do this (${permission})`, { details: { permission } });
        }
      };
    },
    userOf: authenticate,
    actorOf: (request) => authenticate(request).username,
    canSeeCamera,
    mayAccessCamera(request, cameraId) {
      const camera = station.camera(cameraId);
      return camera !== undefined && context.canSeeCamera(authenticate(request), camera.spec);
    },
    cameraFor(request, cameraId) {
      const camera = station.camera(cameraId);
      if (!camera || !context.canSeeCamera(authenticate(request), camera.spec)) {
        throw new WardwatchError('NOT_FOUND', `Camera ${cameraId} does not exist`, { details: { cameraId } });
      }
      return camera;
    },
    async audit(request, action, target, details) {
      const actor = request.wwUser?.username ?? 'anonymous';
      await station.audit({ actor, action, ...(target ? { target } : {}), details: { ip: request.ip, ...(details ?? {}) } });
    },
    sendError: sendApiError,
  };
  return context;
}
