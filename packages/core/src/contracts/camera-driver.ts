import type { Observable } from 'rxjs';
import type { CameraSpec } from '../model/camera-spec.js';
import type { TamperKind } from '../model/station-event.js';

/** A camera found on the network by a driver's discovery. */
export interface DiscoveredCamera {
  /** The driver that found it. */
  driver: string;
  /** Host (IP address or name) to connect to. */
  host: string;
  /** Service port (e.g. the ONVIF HTTP port). */
  port?: number;
  /** Device service addresses (ONVIF XAddrs). */
  xaddrs: string[];
  /** Stable endpoint reference (e.g. `urn:uuid:...`), when the protocol has one. */
  endpoint?: string;
  /** Name from the device scopes. */
  name?: string;
  /** Location text from the device scopes. */
  location?: string;
  /** Hardware/model from the device scopes. */
  hardware?: string;
  /** All raw scope strings. */
  scopes: string[];
}

/** Options for {@link CameraDriver.discover}. */
export interface DiscoverOptions {
  /** How long to listen for answers, ms. @default 3000 */
  timeoutMs?: number;
  /** Network interface address to probe from; all interfaces when omitted. */
  interfaceAddress?: string;
  /** Port the probe is sent to. @default 3702 */
  port?: number;
  /** Multicast or unicast address the probe is sent to. @default '239.255.255.250' */
  address?: string;
}

/** One media stream a camera offers. */
export interface StreamInfo {
  /** The URI to pull, with credentials injected when the camera needs them. Never log it: use `redactUrl`. */
  uri: string;
  /** Codec name, e.g. `h264`. */
  codec?: string;
  width?: number;
  height?: number;
  fps?: number;
}

/** Device identity as reported by the camera. */
export interface DeviceInfo {
  manufacturer?: string;
  model?: string;
  firmware?: string;
  serial?: string;
  hardwareId?: string;
}

/** A PTZ velocity or position vector; each axis in the device's normalised range (-1..1, zoom 0..1). */
export interface PtzVector {
  pan?: number;
  tilt?: number;
  zoom?: number;
}

/** A stored PTZ preset. */
export interface PtzPreset {
  token: string;
  name: string;
}

/** Pan-tilt-zoom control; present on a session only when the device has PTZ. */
export interface PtzControl {
  /** Starts moving at `velocity` until `stop()` or `timeoutMs` elapses. */
  continuousMove(velocity: PtzVector, timeoutMs?: number): Promise<void>;
  /** Moves to an absolute position. */
  absoluteMove(position: PtzVector): Promise<void>;
  /** Moves by a relative translation. */
  relativeMove(translation: PtzVector): Promise<void>;
  /** Stops any movement. */
  stop(): Promise<void>;
  /** Current position, when the device reports it. */
  position(): Promise<PtzVector>;
  /** Lists stored presets. */
  presets(): Promise<PtzPreset[]>;
  /** Moves to a preset. */
  gotoPreset(token: string): Promise<void>;
  /** Stores the current position as a preset; returns its token. */
  setPreset(name: string): Promise<string>;
  /** Moves to the home position. */
  home(): Promise<void>;
}

/**
 * A device event normalised by the driver (motion, tamper, digital input, device analytics such as
 * intrusion or people detection). `source` names the video source (NVR channel) it concerns, when the
 * device says so.
 */
export type DriverEvent =
  | { type: 'motion'; phase: 'start' | 'end'; at: number; topic?: string; source?: string }
  | { type: 'tamper'; kind: TamperKind; phase: 'start' | 'end'; at: number; topic?: string; source?: string }
  | { type: 'analytics'; kind: string; phase: 'start' | 'end'; at: number; topic?: string; source?: string }
  | { type: 'io'; input: string; active: boolean; at: number; topic?: string };

/** Result of a cheap health probe. */
export interface ProbeResult {
  /** Whether the device answered correctly. */
  ok: boolean;
  /** Round-trip time, ms. */
  latencyMs: number;
  /** Why it failed, when it did (an error code or message). */
  cause?: string;
}

/** A connected camera: its streams, snapshot, optional PTZ, device events and health probe. */
export interface CameraSession {
  /** Main (recording) and optional sub (analytics, preview) streams. */
  readonly streams: { main: StreamInfo; sub?: StreamInfo };
  /** Device identity, when the protocol provides it. */
  readonly device?: DeviceInfo;
  /** Camera clock minus station clock, ms (positive: camera ahead). Evidence records it. */
  readonly clockOffsetMs?: number;
  /** Snapshot URI (credentials not embedded), when the device has one. */
  readonly snapshotUri?: string;
  /** PTZ control, only when the device supports PTZ. */
  readonly ptz?: PtzControl;
  /** Normalised device events; completes when the session closes. */
  readonly events$: Observable<DriverEvent>;
  /** Fetches a JPEG snapshot. */
  snapshot(): Promise<Uint8Array>;
  /** A cheap health check, safe to run every few seconds. */
  probe(): Promise<ProbeResult>;
  /** Releases every resource (subscriptions, sockets, timers). Idempotent. */
  close(): Promise<void>;
}

/** A camera brand or protocol adapter: discovers and connects cameras. */
export interface CameraDriver {
  /** The id a {@link CameraSpec} names in `driver`, e.g. `onvif`. */
  readonly id: string;
  /** Finds cameras on the network; completes after the timeout. */
  discover?(options?: DiscoverOptions): Observable<DiscoveredCamera>;
  /** Connects to a camera; rejects with a coded `WardwatchError` (auth, unreachable, timeout, protocol). */
  connect(spec: CameraSpec, options?: { signal?: AbortSignal }): Promise<CameraSession>;
}
