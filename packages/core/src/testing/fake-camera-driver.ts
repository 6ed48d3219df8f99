import { Observable, Subject } from 'rxjs';
import type {
  CameraDriver,
  CameraSession,
  DiscoveredCamera,
  DriverEvent,
  ProbeResult,
  PtzControl,
  PtzPreset,
  PtzVector,
} from '../contracts/camera-driver.js';
import { WardwatchError } from '../errors/wardwatch-error.js';
import type { CameraSpec } from '../model/camera-spec.js';

/**
 * The bytes a fake snapshot returns: a JPEG start-of-image marker, a JFIF APP0 header and an
 * end-of-image marker (recognisable as JPEG, not a decodable picture).
 */
export const FAKE_JPEG: Uint8Array = Uint8Array.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9,
]);

/** The controllable state of one fake camera (keyed by host). */
export interface FakeCameraControl {
  readonly host: string;
  /** Whether connect and probe succeed; hosts ending in `.invalid` start unreachable. @default true */
  reachable: boolean;
  /** Whether connect fails with `CAMERA_AUTH_FAILED`. @default false */
  authFails: boolean;
  /** Whether probes succeed (while reachable). @default true */
  probeOk: boolean;
  /** Whether sessions offer PTZ. @default the driver's `ptz` option */
  ptz: boolean;
  /** Camera clock minus station clock reported by sessions, ms. @default 0 */
  clockOffsetMs: number;
  /** Sends a device event to every open session of this camera. */
  emit(event: DriverEvent): void;
  /** Sessions currently open. */
  readonly openSessions: number;
  /** Calls of `connect` so far (successful or not). */
  readonly connectAttempts: number;
  /** Current PTZ position (moves are applied to it). */
  readonly position: Required<PtzVector>;
}

/** Options of {@link createFakeCameraDriver}. */
export interface FakeCameraDriverOptions {
  /** Driver id. @default 'fake' */
  id?: string;
  /** Whether cameras offer PTZ unless their control says otherwise. @default false */
  ptz?: boolean;
}

/** An in-process fake {@link CameraDriver} whose cameras are controlled by host. */
export interface FakeCameraDriver extends CameraDriver {
  /** The control of the camera at `host` (created on first use). */
  camera(host: string): FakeCameraControl;
  /** Sessions currently open across all cameras. */
  readonly openSessions: number;
}

/** Creates an in-process fake camera driver with controllable reachability, auth, probes, PTZ and events. */
export function createFakeCameraDriver(options: FakeCameraDriverOptions = {}): FakeCameraDriver {
  const id = options.id ?? 'fake';
  const cameras = new Map<string, FakeCamera>();

  interface FakeCamera extends FakeCameraControl {
    sessions: Set<Subject<DriverEvent>>;
    attempts: number;
    pos: Required<PtzVector>;
  }

  const camera = (host: string): FakeCamera => {
    let cam = cameras.get(host);
    if (!cam) {
      const sessions = new Set<Subject<DriverEvent>>();
      const state = {
        host,
        reachable: !host.endsWith('.invalid'),
        authFails: false,
        probeOk: true,
        ptz: options.ptz ?? false,
        clockOffsetMs: 0,
        sessions,
        attempts: 0,
        pos: { pan: 0, tilt: 0, zoom: 0 },
        emit(event: DriverEvent) {
          for (const s of sessions) s.next(event);
        },
        get openSessions() {
          return sessions.size;
        },
        get connectAttempts() {
          return state.attempts;
        },
        get position() {
          return { ...state.pos };
        },
      };
      cam = state;
      cameras.set(host, cam);
    }
    return cam;
  };

  const unreachable = (host: string, what: string): WardwatchError =>
    new WardwatchError('CAMERA_UNREACHABLE', `Fake camera ${host} is unreachable (${what})`, { details: { host } });

  const makePtz = (cam: FakeCamera): PtzControl => {
    const presets: PtzPreset[] = [];
    const saved = new Map<string, Required<PtzVector>>();
    const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
    const apply = (to: PtzVector, relative: boolean): void => {
      const axis = (current: number, value: number | undefined): number => (relative ? current + (value ?? 0) : (value ?? current));
      cam.pos = {
        pan: clamp(axis(cam.pos.pan, to.pan), -1, 1),
        tilt: clamp(axis(cam.pos.tilt, to.tilt), -1, 1),
        zoom: clamp(axis(cam.pos.zoom, to.zoom), 0, 1),
      };
    };
    return {
      continuousMove: async (velocity) => apply(velocity, true),
      absoluteMove: async (position) => apply(position, false),
      relativeMove: async (translation) => apply(translation, true),
      stop: async () => undefined,
      position: async () => ({ ...cam.pos }),
      presets: async () => [...presets],
      gotoPreset: async (token) => {
        const p = saved.get(token);
        if (!p) throw new WardwatchError('NOT_FOUND', `Preset ${token} does not exist`);
        cam.pos = { ...p };
      },
      setPreset: async (name) => {
        const token = `preset-${presets.length + 1}`;
        presets.push({ token, name });
        saved.set(token, { ...cam.pos });
        return token;
      },
      home: async () => {
        cam.pos = { pan: 0, tilt: 0, zoom: 0 };
      },
    };
  };

  return {
    id,
    camera,
    get openSessions() {
      let n = 0;
      for (const c of cameras.values()) n += c.sessions.size;
      return n;
    },
    discover() {
      return new Observable<DiscoveredCamera>((subscriber) => {
        for (const cam of cameras.values()) {
          if (cam.reachable) subscriber.next({ driver: id, host: cam.host, xaddrs: [`fake://${cam.host}/device`], scopes: [] });
        }
        subscriber.complete();
      });
    },
    async connect(spec: CameraSpec, connectOptions?: { signal?: AbortSignal }): Promise<CameraSession> {
      const cam = camera(spec.connection.host);
      cam.attempts++;
      await Promise.resolve();
      if (connectOptions?.signal?.aborted) throw new WardwatchError('CANCELLED', 'connect was cancelled');
      if (!cam.reachable) throw unreachable(cam.host, 'connect');
      if (cam.authFails) throw new WardwatchError('CAMERA_AUTH_FAILED', `Fake camera ${cam.host} rejected the credentials of ${spec.connection.username ?? '(none)'}`);
      const events = new Subject<DriverEvent>();
      cam.sessions.add(events);
      let closed = false;
      const user = spec.connection.username ? `${encodeURIComponent(spec.connection.username)}:${encodeURIComponent(spec.connection.password ?? '')}@` : '';
      const session: CameraSession = {
        streams: {
          main: { uri: `rtsp://${user}${cam.host}:${spec.connection.port ?? 554}/main`, codec: 'h264', width: 1920, height: 1080, fps: 25 },
          sub: { uri: `rtsp://${user}${cam.host}:${spec.connection.port ?? 554}/sub`, codec: 'h264', width: 640, height: 360, fps: 10 },
        },
        device: { manufacturer: 'WardWatch', model: 'Fake', firmware: '1.0', serial: `fake-${cam.host}` },
        clockOffsetMs: cam.clockOffsetMs,
        snapshotUri: `http://${cam.host}/snapshot.jpg`,
        ...(cam.ptz ? { ptz: makePtz(cam) } : {}),
        events$: events.asObservable(),
        async snapshot() {
          if (closed) throw new WardwatchError('INVALID_STATE', 'session is closed');
          if (!cam.reachable) throw unreachable(cam.host, 'snapshot');
          return FAKE_JPEG.slice();
        },
        async probe(): Promise<ProbeResult> {
          if (!cam.reachable) return { ok: false, latencyMs: 0, cause: 'CAMERA_UNREACHABLE' };
          if (!cam.probeOk) return { ok: false, latencyMs: 1, cause: 'probe failed (fake)' };
          return { ok: true, latencyMs: 1 };
        },
        async close() {
          if (closed) return;
          closed = true;
          cam.sessions.delete(events);
          events.complete();
        },
      };
      return session;
    },
  };
}
