import type { Observable } from 'rxjs';
import type { CameraSpec } from '../model/camera-spec.js';
import type { Logger } from './logger.js';
import type { TamperKind } from '../model/station-event.js';

/**
 * A camera found on the network by a driver's discovery. Only `driver` and `host` are required: a non-ONVIF driver
 * (a vendor's UDP broadcast, mDNS, an NVR's channel list) returns those, the `port` its {@link CameraSpec} would use,
 * and whatever identity it learnt (`name`, `hardware`, `endpoint` as a serial or MAC); `xaddrs` and `scopes` are
 * ONVIF's and may be left out.
 */
export interface DiscoveredCamera {
  /** The driver that found it. */
  driver: string;
  /** Host (IP address or name) to connect to. */
  host: string;
  /** Service port (e.g. the ONVIF HTTP port, a DVR's HTTP/RTSP port). */
  port?: number;
  /** Device service addresses (ONVIF XAddrs); absent for protocols without them. */
  xaddrs?: string[];
  /** Stable endpoint reference (e.g. `urn:uuid:...`), when the protocol has one. */
  endpoint?: string;
  /** Name from the device scopes. */
  name?: string;
  /** Location text from the device scopes. */
  location?: string;
  /** Hardware/model from the device scopes. */
  hardware?: string;
  /** All raw scope strings (ONVIF scopes); absent for protocols without them. */
  scopes?: string[];
}

/**
 * Options for {@link CameraDriver.discover}. Each driver gives `port` and `address` its own protocol's defaults (the
 * ONVIF driver: WS-Discovery, UDP 3702 to `239.255.255.250`); a driver that cannot use one ignores it.
 */
export interface DiscoverOptions {
  /** How long to listen for answers, ms. @default 3000 */
  timeoutMs?: number;
  /** Network interface address to probe from; all interfaces when omitted. */
  interfaceAddress?: string;
  /** Port the probe is sent to. @default the driver's discovery port */
  port?: number;
  /** Multicast, broadcast or unicast address the probe is sent to. @default the driver's discovery address */
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

/** What every {@link DriverEvent} carries. */
export interface DriverEventBase {
  /** When it happened, in station time (epoch ms of the station's clock, not the camera's): convert a device timestamp with the session's `clockOffsetMs`. */
  at: number;
  /** The device's own name for the event (an ONVIF topic, a vendor event code), kept for diagnosis and stored with a `camera.io` event. */
  topic?: string;
  /** The video source (NVR channel) it concerns, when the device says so; a station camera bound to one channel only gets that channel's events. */
  source?: string;
}

/** Motion seen by the camera; becomes a `motion` station event with `source: 'camera'`. */
export interface DriverMotionEvent extends DriverEventBase {
  type: 'motion';
  /** `start` when it begins, `end` when it stops. */
  phase: 'start' | 'end';
}

/** Tampering the camera detected (covered, defocused…); becomes a `tamper` station event with `source: 'camera'`. */
export interface DriverTamperEvent extends DriverEventBase {
  type: 'tamper';
  kind: TamperKind;
  phase: 'start' | 'end';
}

/**
 * A detection the camera's own analytics made; becomes a `camera.analytics` station event with the same fields. A
 * line crossing is `{ kind: 'line-cross', rule: 'Gate 1', direction: 'in', objectClass: 'person' }`, an intrusion into
 * a region `{ kind: 'intrusion', region: 'Yard' }`; a one-shot detection sends `start` only.
 */
export interface DriverAnalyticsEvent extends DriverEventBase {
  type: 'analytics';
  /** What was detected, lower-case (`intrusion`, `line-cross`, `people`, `loitering`, or a vendor's own). */
  kind: string;
  phase: 'start' | 'end';
  /** The rule as configured on the camera (a line's or a rule's name). */
  rule?: string;
  /** The region (zone, area) it concerns. */
  region?: string;
  /** Crossing direction as the device reports it (`in`/`out`, `left-to-right`, `a-to-b`). */
  direction?: string;
  /** The object class the device assigned (`person`, `vehicle`, `face`…). */
  objectClass?: string;
}

/** A digital input (alarm contact) or output (relay) of the device changed; becomes a `camera.io` station event. */
export interface DriverIoEvent extends DriverEventBase {
  type: 'io';
  /** The port's id as the device names it (`1`, `AlarmIn_2`, a relay token). */
  input: string;
  /** Whether the port is active (contact closed, relay energised) after the change. */
  active: boolean;
  /** An input (the default) or an output (relay) port. @default 'input' */
  kind?: 'input' | 'output';
}

/**
 * A device event normalised by the driver (motion, tamper, device analytics such as intrusion, line crossing or
 * people detection, digital inputs and outputs). Each becomes a station event on `events$` and in storage.
 */
export type DriverEvent = DriverMotionEvent | DriverTamperEvent | DriverAnalyticsEvent | DriverIoEvent;

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

/** What the station passes to {@link CameraDriver.connect}. */
export interface DriverConnectOptions {
  /** Aborted when the station gives up on the attempt (camera removed, station stopping): reject with `CANCELLED`. */
  signal?: AbortSignal;
  /** The station's logger for this camera (already bound to its `cameraId`); a driver logs through it unless it was given its own. */
  logger?: Logger;
}

/** A camera brand or protocol adapter: discovers and connects cameras. */
export interface CameraDriver {
  /** The id a {@link CameraSpec} names in `driver`, e.g. `onvif`. */
  readonly id: string;
  /** Finds cameras on the network; completes after the timeout. */
  discover?(options?: DiscoverOptions): Observable<DiscoveredCamera>;
  /** Connects to a camera; rejects with a coded `WardwatchError` (auth, unreachable, timeout, protocol). */
  connect(spec: CameraSpec, options?: DriverConnectOptions): Promise<CameraSession>;
}
