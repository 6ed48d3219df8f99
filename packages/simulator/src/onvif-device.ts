import type { CameraEvents } from './camera-events.js';
import type { StreamSettings } from './h264-feed.js';
import type { PtzPosition, PtzState } from './ptz-state.js';
import type { CameraLocation, OnvifAuthMode, SimDeviceQuirks } from './simulator-options.js';

/** Which malformed answer a camera gives: bad SDP on DESCRIBE, bad SOAP XML, a huge SOAP answer, or none. */
export type MalformedKind = 'sdp' | 'soap' | 'oversized-soap' | null;

/**
 * What the ONVIF server and its handlers need from a camera: identity, credentials, media settings and
 * URLs, PTZ and event state, and the current fault settings. `SimCamera` implements it; the ONVIF code
 * depends on this interface only, never on `SimCamera` itself.
 */
export interface OnvifDevice {
  readonly id: string;
  readonly name: string;
  readonly username: string;
  readonly password: string;
  readonly manufacturer: string;
  readonly hardware: string;
  readonly serialNumber: string;
  readonly location: CameraLocation | undefined;
  readonly hasPtz: boolean;
  readonly onvifAuth: OnvifAuthMode;
  /** Real-device behaviours this camera reproduces. */
  readonly quirks: Readonly<SimDeviceQuirks & { channels: number }>;
  /** The malformed-answer fault in effect. */
  readonly malformedFault: MalformedKind;
  readonly mainSettings: StreamSettings;
  readonly subSettings: StreamSettings;
  /** RTSP URLs of the main and sub streams. */
  readonly rtspUrl: { main: string; sub: string };
  /** HTTP URL of the JPEG snapshot. */
  readonly snapshotUrl: string;
  readonly ptz: PtzState;
  readonly events: CameraEvents;
  /** The camera's clock (station clock plus the drift fault), epoch ms. */
  now(): number;
  ptzPosition(): PtzPosition;
  /** Renders a JPEG of the current picture. */
  snapshot(): Promise<Buffer>;
  /** Drops every connection and is unreachable for `downMs`. */
  reboot(downMs: number): Promise<void>;
}
