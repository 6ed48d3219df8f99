/**
 * The JSON the station API answers with: ONE module shared by the server (route handlers are typed
 * with these) and the dashboard (`web/src` imports it with `import type`), so the two cannot drift.
 */
import type { CameraSpec, CameraStats, CameraStatus, DeviceInfo, ErrorCode, UptimeSummary } from '@wardwatch/core';
import type { Permission, Role } from '../auth/roles.js';

/** The body of every API error. */
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; retryable: boolean; details: Record<string, unknown> };
}

/** A station user as the API shows it (never the password hash). */
export interface ApiUser {
  username: string;
  role: Role;
  /** For viewers: the owner reference matched against cameras' `owner`. */
  owner?: string;
  displayName?: string;
  createdAt: number;
}

/** `GET /auth/me` and `POST /auth/login`: the user and what their role lets them do. */
export interface MeAnswer {
  user: ApiUser;
  /** Every permission the user's role grants (the dashboard shows pages and buttons by these). */
  permissions: Permission[];
}

/** `GET /info`: public station information. */
export interface StationInfo {
  stationName: string;
  demo: boolean;
  /** Whether a live relay is configured. */
  live: boolean;
  /** Whether recordings can be played back. */
  playback: boolean;
}

/** Time spent in each state over a window, as `GET /cameras` and `GET /health` report it. */
export type UptimeView = Pick<UptimeSummary, 'ratio' | 'upMs' | 'byState'>;

/** A camera as the API shows it: spec without credentials, status, stats, capabilities and 24 h uptime. */
export interface CameraView {
  id: string;
  name: string;
  site: CameraSpec['site'];
  location: CameraSpec['location'];
  ownership: CameraSpec['ownership'];
  owner?: string;
  driver: string;
  host: string;
  port?: number;
  enabled: boolean;
  tags: string[];
  recording: CameraSpec['recording'];
  status: CameraStatus;
  stats: CameraStats;
  ptz: boolean;
  device?: DeviceInfo;
  clockOffsetMs?: number;
  /** The last 24 hours; `null` when it could not be computed. The same shape in the list and the detail. */
  uptime24h: UptimeView | null;
}

/** A paged or plain list answer. */
export interface ItemsAnswer<T> {
  items: T[];
  /** Cursor of the next page, when there is one. */
  next?: string;
}

/** `GET /cameras/:id/live`. */
export type LiveAnswer = { available: false; reason: string } | { available: true; url: string; type: 'flv'; expiresAt: number };

/** `GET /cameras/:id/recordings`: the day timeline. */
export interface RecordingsAnswer {
  cameraId: string;
  from: number;
  to: number;
  segments: Array<{ start: number; end: number; bytes: number; codec?: string }>;
  gaps: Array<{ from: number; to: number }>;
  recordedMs: number;
}

/** `GET /cameras/:id/playback`. */
export interface PlaybackAnswer {
  cameraId: string;
  segment: { start: number; end: number; bytes: number };
  url: string;
  offsetMs: number;
  next?: { start: number; end: number };
}

/** A station event as sent to browsers (heavy fields such as plate crops removed). */
export interface EventItem {
  id?: string;
  type: string;
  at: number;
  cameraId?: string;
  [key: string]: unknown;
}

/** One row of `GET /health`. */
export interface HealthRow {
  id: string;
  name: string;
  ownership: CameraSpec['ownership'];
  address: string | undefined;
  state: CameraStatus['state'];
  cause: string | undefined;
  since: number;
  lastFrameAt: number | undefined;
  uptime: UptimeView;
}

/** `GET /health`. */
export interface HealthAnswer {
  at: number;
  running: boolean;
  counts: Record<CameraStatus['state'], number>;
  cameras: HealthRow[];
  needingRepair: HealthRow[];
}

/** What an export job produces: a plain MP4 clip or a signed evidence package. */
export const EXPORT_KINDS = ['clip', 'evidence'] as const;
/** One of {@link EXPORT_KINDS}. */
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** One export job (clip or evidence) as `POST/GET /exports` show it. */
export interface ExportJobView {
  id: string;
  kind: ExportKind;
  cameraId: string;
  from: number;
  to: number;
  reason?: string;
  caseId?: string;
  incidentId?: string;
  createdBy: string;
  createdAt: number;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** The step running (evidence: verify, cut, manifest, ...). */
  phase?: string;
  /** Overall progress 0..1. */
  progress: number;
  /** Bytes written so far (clips). */
  bytes: number;
  /** Clips, when done: the actual range, hash, size and gaps. */
  result?: { actual: { from: number; to: number }; requested: { from: number; to: number }; sha256: string; bytes: number; gaps: Array<{ from: number; to: number }>; segments: number };
  /** Evidence, when done: the evidence record id. */
  evidenceId?: string;
  /** Evidence, when done: whether the `.zip` is written yet (the first download writes it). */
  zipReady?: boolean;
  /** Where the finished file is downloaded from. */
  downloadUrl?: string;
  error?: { code: ErrorCode; message: string };
  finishedAt?: number;
  /** When the finished job and its file are removed (UTC ms). */
  expiresAt?: number;
}
