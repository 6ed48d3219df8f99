import type { EvidenceService, Station } from '@wardwatch/core';
import type { SessionStore } from '../auth/session-store.js';
import type { UserStore } from '../auth/user-store.js';
import type { ExportJobs } from '../exports/export-jobs.js';
import type { LiveUrlProvider } from '../live/live-url-provider.js';
import type { SnapshotGuardOptions } from './snapshot-guard.js';
import type { StationServerPlugin } from './station-server-plugin.js';

/** Options of `createStationServer`. */
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
   * `DEFAULT_DENIED_CAMERA_NETWORKS` (`camera-host-policy.ts`) (link-local and cloud metadata addresses). @default off
   */
  denyCameraHosts?: boolean | readonly string[];
  /** How often open live views are re-checked against their session and rights, ms. @default 5000 */
  liveRevalidateMs?: number;
  /** Fastify logger option. @default false */
  logger?: boolean | Record<string, unknown>;
}
