import type { StreamSettings } from './h264-feed.js';
import type { SceneKind } from './scene-graph.js';

/** How the RTSP server authenticates. */
export type RtspAuthMode = 'digest' | 'basic' | 'none';

/** How the ONVIF service authenticates: WS-UsernameToken in the SOAP header, HTTP Digest, either, or none. */
export type OnvifAuthMode = 'ws-security' | 'digest' | 'both' | 'none';

/** Where a camera is installed (reported in ONVIF scopes). */
export interface CameraLocation {
  lat: number;
  lon: number;
  address: string;
}

/**
 * Behaviours of real devices a simulated camera can reproduce, so integrators test their code against them
 * (the WardWatch ONVIF driver handles each).
 */
export interface SimDeviceQuirks {
  /**
   * Media2 only, like recent NVRs: GetCapabilities lists no Media service, GetServices lists
   * `ver20/media/wsdl`, and Media1 calls fault with `ActionNotSupported`. @default false
   */
  media2Only?: boolean;
  /**
   * Report the main stream as H.265: Media1 puts `encoding="H265"` on the encoder configuration while
   * `<Encoding>` still says H264 (as Hikvision/EZVIZ firmwares do), Media2 says H265. Only the reports change:
   * the RTSP stream stays H.264, so use it to test codec reporting, not decoding. @default false
   */
  h265?: boolean;
  /**
   * An NVR with this many channels: one video source and a main/sub profile pair per channel (channel 1 keeps
   * `Profile_1`/`Profile_2`, channel N has `Profile_N01`/`Profile_N02`), events carrying the channel's
   * `VideoSource_N`. Every channel serves the camera's own picture. @default 1
   */
  channels?: number;
  /**
   * Pull points identified by WS-Addressing reference parameters, as Axis does: one `/onvif/subscription`
   * address, a `SubscriptionId` reference parameter, and `ter:InvalidArgs` for a pull that does not echo it.
   * @default false
   */
  referenceParameters?: boolean;
}

/** One virtual camera. */
export interface SimCameraOptions {
  /** Stable id, e.g. `cam-a`. */
  id: string;
  /** Display name, burned into the picture. @default the id */
  name?: string;
  /** @default 'admin' */
  username?: string;
  /** @default 'admin123' */
  password?: string;
  /** @default 'digest' */
  rtspAuth?: RtspAuthMode;
  /** @default 'both' */
  onvifAuth?: OnvifAuthMode;
  /** Main stream. @default { width: 1280, height: 720, fps: 15, gop: 30, bitrateKbps: 2000 } */
  main?: Partial<StreamSettings>;
  /** Sub stream. @default { width: 640, height: 360, fps: 10, gop: 20, bitrateKbps: 500 } */
  sub?: Partial<StreamSettings>;
  /** @default 'static' */
  scene?: SceneKind;
  /** Whether the camera has PTZ. @default false */
  ptz?: boolean;
  /** ONVIF HTTP port, 0 = ephemeral. @default 0 */
  onvifPort?: number;
  /** RTSP port, 0 = ephemeral. @default 0 */
  rtspPort?: number;
  /** Installation place, reported in scopes. */
  location?: CameraLocation;
  /** Hardware model. @default 'DS-2CD2143G2-I' */
  hardware?: string;
  /** Manufacturer. @default 'WardWatch Sim' */
  manufacturer?: string;
  /** Serial number. @default derived from the id */
  serialNumber?: string;
  /** Real-device behaviours to reproduce. @default {} */
  quirks?: SimDeviceQuirks;
}

/** A vehicle of the street scene that passes cameras in order. */
export interface StreetVehicle {
  /** Plate text, e.g. `30A-123.45`. */
  plate: string;
  /** Camera ids in the order the vehicle passes them. */
  route: string[];
  /** Delay after the simulator started before it enters the first camera. @default 2000 */
  startAfterMs?: number;
  /** Time from one camera to the next; also the time to cross one picture. @default 4000 */
  legMs?: number;
  /** When set, the whole route repeats with this period (for demos). */
  repeatEveryMs?: number;
  /** Whether each pass raises an ONVIF motion event on that camera. @default true */
  motionEvents?: boolean;
}

/** Options of {@link startSimulator}. */
export interface SimulatorOptions {
  /** Bind address. @default '127.0.0.1' */
  host?: string;
  /** ffmpeg binary. @default FFMPEG_PATH → PATH → bundled @ffmpeg-installer/ffmpeg */
  ffmpegPath?: string;
  /** WS-Discovery responder (UDP, unicast probes); port 0 = ephemeral. @default false */
  discovery?: { port: number } | false;
  /** The cameras. */
  cameras: SimCameraOptions[];
  /** Street-scene vehicles passing cameras on a schedule. @default [] */
  streets?: StreetVehicle[];
  /**
   * Encode once, serve many: cameras with the same scene, stream settings, no PTZ and no vehicle route share one
   * encoder per stream, whose picture shows "WardWatch SIM" instead of each camera's name (the burned-in clock
   * is still right). A picture fault on such a camera gives it private encoders. @default false
   */
  sharedEncoder?: boolean;
}

/** Default main stream settings. */
export const DEFAULT_MAIN: StreamSettings = { width: 1280, height: 720, fps: 15, gop: 30, bitrateKbps: 2000 };
/** Default sub stream settings. */
export const DEFAULT_SUB: StreamSettings = { width: 640, height: 360, fps: 10, gop: 20, bitrateKbps: 500 };
