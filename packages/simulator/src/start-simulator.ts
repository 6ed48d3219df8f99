import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFfmpeg, findFont } from './find-ffmpeg.js';
import { H264Feed } from './h264-feed.js';
import { sceneGraph, type VehiclePass } from './scene-graph.js';
import { SimCamera } from './sim-camera.js';
import { DEFAULT_MAIN, DEFAULT_SUB, type SimulatorOptions } from './simulator-options.js';
import { SimulatorError } from './simulator-error.js';
import { WsDiscoveryResponder } from './ws-discovery-responder.js';

/** How many cameras start at once. */
const START_CONCURRENCY = 4;

/** A running simulator: its cameras, the discovery port and `stop()`. */
export interface Simulator {
  /** Every camera, in the order given. */
  readonly cameras: SimCamera[];
  /** The camera with this id; throws `NOT_FOUND` when there is none. */
  camera(id: string): SimCamera;
  /** UDP port of the WS-Discovery responder, when enabled. */
  readonly discoveryPort: number | undefined;
  /** Wall-clock ms when the simulator started (street schedules count from here). */
  readonly startedAt: number;
  /** Pids of every ffmpeg encoder running now (private and shared). */
  encoderPids(): number[];
  /** Stops every server, timer and ffmpeg it started; idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts virtual ONVIF/RTSP cameras. Resolves when every encoder produced its first keyframe and every
 * server listens, so URLs are usable at once.
 */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  validate(options);
  const host = options.host ?? '127.0.0.1';
  const ffmpeg = findFfmpeg(options.ffmpegPath);
  const fontFile = findFont();
  const workDir = mkdtempSync(join(tmpdir(), 'wardwatch-sim-'));
  const startedAt = Date.now();

  // Street vehicles → per-camera passes.
  const passes = new Map<string, VehiclePass[]>();
  const motions: Array<{ cameraId: string; at: number; duration: number; repeat: number | undefined }> = [];
  for (const v of options.streets ?? []) {
    const leg = v.legMs ?? 4000;
    const first = startedAt + (v.startAfterMs ?? 2000);
    v.route.forEach((cameraId, i) => {
      const pass: VehiclePass = { plate: v.plate, startMs: first + i * leg, durationMs: leg, repeatEveryMs: v.repeatEveryMs };
      passes.set(cameraId, [...(passes.get(cameraId) ?? []), pass]);
      if (v.motionEvents !== false) motions.push({ cameraId, at: pass.startMs, duration: leg, repeat: v.repeatEveryMs });
    });
  }

  const sharedFeeds = new Map<string, { main: H264Feed; sub: H264Feed }>();
  const cameras: SimCamera[] = [];
  let discovery: WsDiscoveryResponder | undefined;
  let stopped: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await discovery?.close();
      await Promise.all(cameras.map((c) => c.stop()));
      await Promise.all([...sharedFeeds.values()].flatMap((f) => [f.main.stop(), f.sub.stop()]));
      rmSync(workDir, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    for (const c of options.cameras) {
      const main = { ...DEFAULT_MAIN, ...c.main };
      const sub = { ...DEFAULT_SUB, ...c.sub };
      const scene = c.scene ?? 'static';
      const vehicles = passes.get(c.id) ?? [];
      let shared: { main: H264Feed; sub: H264Feed } | undefined;
      if (options.sharedEncoder && !c.ptz && vehicles.length === 0) {
        const key = JSON.stringify({ scene, main, sub });
        shared = sharedFeeds.get(key);
        if (!shared) {
          const osdFile = join(workDir, `shared-${sharedFeeds.size}-osd.txt`);
          writeFileSync(osdFile, 'WardWatch SIM');
          const spec = { scene, picture: 'normal' as const, fontFile, osdFile, vehicles: [], driftMs: 0 };
          shared = {
            main: new H264Feed(ffmpeg, main, (t) => sceneGraph({ ...spec, width: main.width, height: main.height, fps: main.fps }, t), () => 0),
            sub: new H264Feed(ffmpeg, sub, (t) => sceneGraph({ ...spec, width: sub.width, height: sub.height, fps: sub.fps }, t), () => 0),
          };
          sharedFeeds.set(key, shared);
          await Promise.all([shared.main.start(), shared.sub.start()]);
        }
      }
      cameras.push(new SimCamera(c, { ffmpeg, host, fontFile, workDir, vehicles, shared }));
    }
    // Start cameras a few at a time: each waits for its encoders' first keyframe.
    for (let i = 0; i < cameras.length; i += START_CONCURRENCY) {
      await Promise.all(cameras.slice(i, i + START_CONCURRENCY).map((camera) => camera.start()));
    }
    for (const m of motions) cameras.find((c) => c.id === m.cameraId)?.scheduleMotionAt(m.at, m.duration, m.repeat);
    if (options.discovery) {
      discovery = new WsDiscoveryResponder(host, cameras);
      await discovery.listen(options.discovery.port);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    cameras,
    startedAt,
    get discoveryPort() {
      return discovery?.port;
    },
    camera(id: string): SimCamera {
      const found = cameras.find((c) => c.id === id);
      if (!found) throw new SimulatorError('NOT_FOUND', `no simulated camera ${id}`);
      return found;
    },
    encoderPids(): number[] {
      const shared = [...sharedFeeds.values()].flatMap((f) => [f.main.pid, f.sub.pid]).filter((p): p is number => p !== undefined);
      return [...shared, ...cameras.flatMap((c) => c.encoderPids)];
    },
    stop,
  };
}

function validate(options: SimulatorOptions): void {
  const problems: string[] = [];
  if (!options || !Array.isArray(options.cameras) || options.cameras.length === 0) problems.push('cameras: at least one camera is required');
  const ids = new Set<string>();
  for (const [i, c] of (options?.cameras ?? []).entries()) {
    if (!c || typeof c.id !== 'string' || c.id.length === 0) problems.push(`cameras[${i}].id: required`);
    else if (ids.has(c.id)) problems.push(`cameras[${i}].id: duplicate ${c.id}`);
    else ids.add(c.id);
    for (const key of ['main', 'sub'] as const) {
      const s = c?.[key];
      if (!s) continue;
      for (const f of ['width', 'height', 'fps', 'gop', 'bitrateKbps'] as const) {
        const v = s[f];
        if (v !== undefined && (!Number.isInteger(v) || v <= 0)) problems.push(`cameras[${i}].${key}.${f}: positive integer expected`);
      }
      if ((s.width ?? 2) % 2 !== 0 || (s.height ?? 2) % 2 !== 0) problems.push(`cameras[${i}].${key}: width and height must be even`);
    }
    const channels = c?.quirks?.channels;
    if (channels !== undefined && (!Number.isInteger(channels) || channels < 1 || channels > 64)) problems.push(`cameras[${i}].quirks.channels: whole number 1-64 expected`);
    for (const p of ['onvifPort', 'rtspPort'] as const) {
      const v = c?.[p];
      if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 65535)) problems.push(`cameras[${i}].${p}: port 0-65535 expected`);
    }
  }
  for (const [i, v] of (options?.streets ?? []).entries()) {
    for (const id of v.route ?? []) if (!ids.has(id)) problems.push(`streets[${i}].route: unknown camera ${id}`);
    if (!v.plate) problems.push(`streets[${i}].plate: required`);
  }
  if (problems.length > 0) throw new SimulatorError('INVALID_CONFIG', `invalid simulator options: ${problems.join('; ')}`);
}
