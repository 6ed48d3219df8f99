import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { WardwatchError, type EvidenceService, type Station } from '@wardwatch/core';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createConcurrencyGate } from '../auth/concurrency-gate.js';
import { createLoginThrottle } from '../auth/login-throttle.js';
import { can, type Permission } from '../auth/roles.js';
import { SESSION_COOKIE } from '../auth/session-cookie.js';
import { createSessionStore, type Session, type SessionStore } from '../auth/session-store.js';
import type { PublicUser, UserStore } from '../auth/user-store.js';
import type { ExportJobs } from '../exports/export-jobs.js';
import { createLiveGrants } from '../live/create-live-grants.js';
import type { LiveUrlProvider } from '../live/live-url-provider.js';
import { SERVER_ROUTES } from '../routes/server-routes.js';
import { toApiError } from './http-error.js';
import { DEFAULT_DENIED_CAMERA_NETWORKS, createCameraHostPolicy } from './camera-host-policy.js';
import { registerSecurityHooks } from './security-hooks.js';
import { createSnapshotGuard, type SnapshotGuardOptions } from './snapshot-guard.js';
import type { ServerContext } from './server-context.js';
import type { StationServerPlugin } from './station-server-plugin.js';

/** Options of {@link createStationServer}. */
export interface StationServerOptions {
  /** The running (or about to run) station. */
  station: Station;
  /** Station users. */
  users: UserStore;
  /** Sessions. @default an in-memory store: 2 h idle expiry, 12 h absolute lifetime */
  sessions?: SessionStore;
  /** Signed live URLs; without it tiles show "live unavailable". */
  live?: LiveUrlProvider;
  /** The export job system (clips and evidence); without it export endpoints answer `STATION_NOT_RUNNING`. */
  exports?: ExportJobs;
  /** The evidence service (or a getter). @default the station's own (`station.evidence`); without one the evidence endpoints answer `STATION_NOT_RUNNING` */
  evidence?: EvidenceService | (() => EvidenceService | undefined);
  /** Recorder root directory: segment paths are relative to it. Without it playback is unavailable. */
  recordingsRoot?: string;
  /** The built dashboard (`web/dist`); not served when absent. */
  webRoot?: string;
  /** The integrator's own route modules, mounted under `/api` after the server's (see {@link StationServerPlugin}). @default [] */
  plugins?: readonly StationServerPlugin[];
  /** PEM certificate and key: the server then speaks HTTPS only. */
  https?: { cert: string | Buffer; key: string | Buffer };
  /** Station display name. @default 'WardWatch station' */
  stationName?: string;
  /** Ward of new cameras. @default 'ward' */
  ward?: string;
  /** Default discovery probe target (port/address), e.g. the simulator's WS-Discovery responder. */
  discovery?: { port?: number; address?: string };
  /** Demo mode (shown in the UI). @default false */
  demo?: boolean;
  /** Failed logins allowed per IP and username per window. @default { max: 5, windowMs: 60000 } */
  loginRateLimit?: { max: number; windowMs: number };
  /** Failed logins allowed per IP across usernames per window. @default { max: 30, windowMs: 900000 } */
  loginIpRateLimit?: { max: number; windowMs: number };
  /** Password checks (scrypt) run at once, and queued before further logins get `RATE_LIMITED`. @default { concurrent: 2, queued: 16 } */
  passwordChecks?: { concurrent: number; queued: number };
  /** Trust `X-Forwarded-*` from a reverse proxy (Fastify's `trustProxy`: true, a hop count or addresses). @default false */
  trustProxy?: boolean | string | string[];
  /** Mark the session cookie `Secure` even for plain-HTTP requests (TLS ends at a proxy). @default false (Secure when the request is HTTPS) */
  secureCookies?: boolean;
  /** Origins besides the server's own allowed to send unsafe requests. @default [] */
  allowedOrigins?: readonly string[];
  /** Snapshot cache and per-user limit (one grab per camera at a time always). @default { cacheMs: 1000, perUser: { max: 30, windowMs: 60000 } } */
  snapshots?: SnapshotGuardOptions;
  /**
   * Networks (CIDR) a camera host may not be or resolve to, checked when a camera is added; `true` for
   * {@link DEFAULT_DENIED_CAMERA_NETWORKS} (link-local and cloud metadata addresses). @default off
   */
  denyCameraHosts?: boolean | readonly string[];
  /** How often open live views are re-checked against their session and rights, ms. @default 5000 */
  liveRevalidateMs?: number;
  /** Fastify logger option. @default false */
  logger?: boolean | Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in user, set by the auth preHandlers. */
    wwUser?: PublicUser;
  }
}

/** Builds the Fastify server of a station: REST API with OpenAPI at `/api/docs`, SSE events, the dashboard. */
export async function createStationServer(options: StationServerOptions): Promise<FastifyInstance> {
  const { station, users } = options;
  const sessions = options.sessions ?? createSessionStore();
  const app = Fastify({
    logger: options.logger ?? false,
    ...(options.https ? { https: { cert: options.https.cert, key: options.https.key } } : {}),
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
    // Errors Fastify meets before routing (a malformed URL, a bad content length) get the API's error body too.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      const { status, body } = toApiError(error);
      request.log.info({ code: body.error.code, status }, 'request refused');
      return reply.code(status).type('application/json').send(body);
    },
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array' } },
  }) as unknown as FastifyInstance;

  await app.register(fastifyCookie);
  registerSecurityHooks(app, options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {});
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'WardWatch station API',
        description: 'Cameras, live view, recordings, events, incidents, exports, reports and health of a ward police station.',
        version: '0.1.0',
      },
      tags: ['auth', 'cameras', 'recordings', 'events', 'incidents', 'exports', 'evidence', 'holds', 'reports', 'health', 'users', 'audit'].map((name) => ({ name })),
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
      security: [{ session: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  const sendError: ServerContext['sendError'] = (reply, error) => {
    const { status, body } = toApiError(error);
    return reply.code(status).type('application/json').send(body);
  };

  app.setErrorHandler((error, request, reply) => {
    const e = error as { validation?: Array<{ instancePath?: string; message?: string; params?: Record<string, unknown> }>; validationContext?: string };
    if (e.validation) {
      const problems = e.validation.map((v) => {
        const missing = v.params && typeof v.params['missingProperty'] === 'string' ? `/${v.params['missingProperty']}` : '';
        const extra = v.params && typeof v.params['additionalProperty'] === 'string' ? `/${v.params['additionalProperty']}` : '';
        const path = `${e.validationContext ?? 'body'}${(v.instancePath ?? '') + missing + extra}`.replace(/\//g, '.');
        return { path, message: v.message ?? 'is invalid' };
      });
      return sendError(
        reply,
        new WardwatchError('INVALID_ARGUMENT', `Invalid request: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { details: { problems } }),
      );
    }
    const { status, body } = toApiError(error);
    // Client mistakes (4xx, Fastify's own included) are answered, not logged as server errors.
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.error.code, status }, 'request refused');
    return reply.code(status).type('application/json').send(body);
  });

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
      if (dropped > 0) app.log.info({ dropped }, 'live viewers without a valid grant dropped');
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
    sendError,
  };

  await app.register(
    async (api) => {
      for (const plugin of [...SERVER_ROUTES, ...(options.plugins ?? [])]) await api.register(plugin, { context });
    },
    { prefix: '/api' },
  );

  const webRoot = options.webRoot && existsSync(options.webRoot) ? resolve(options.webRoot) : undefined;
  if (webRoot) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: true, index: ['index.html'] });
  } else {
    // sendFile is still needed for recordings.
    await app.register(fastifyStatic, { root: context.recordingsRoot ?? process.cwd(), serve: false });
  }
  app.setNotFoundHandler((request, reply) => {
    if (webRoot && request.method === 'GET' && !request.url.startsWith('/api/')) return reply.sendFile('index.html', webRoot);
    return sendError(reply.code(404), new WardwatchError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`));
  });

  // Open live views are re-checked: a session that ended (logout, expiry, user removed) or a camera reassigned cuts them.
  const revalidation = options.live ? setInterval(() => context.revalidateLive(), options.liveRevalidateMs ?? 5000) : undefined;
  revalidation?.unref();
  app.addHook('onClose', async () => {
    if (revalidation) clearInterval(revalidation);
    options.live?.setPlayPolicy(undefined);
    await options.exports?.close();
  });
  return app;
}
