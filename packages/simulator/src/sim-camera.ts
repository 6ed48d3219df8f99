import { spawn } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CameraEvents } from './camera-events.js';
import { CameraStream } from './camera-stream.js';
import { H264Feed, killChild, type StreamSettings } from './h264-feed.js';
import type { MalformedKind, OnvifDevice } from './onvif-device.js';
import { OnvifServer } from './onvif-server.js';
import { PtzState, type PtzPosition } from './ptz-state.js';
import { RtspServer } from './rtsp-server.js';
import { sceneGraph, type PictureFault, type SceneKind, type VehiclePass } from './scene-graph.js';
import { DEFAULT_MAIN, DEFAULT_SUB, type CameraLocation, type OnvifAuthMode, type RtspAuthMode, type SimCameraOptions, type SimDeviceQuirks } from './simulator-options.js';
import { SimulatorError } from './simulator-error.js';

export type { MalformedKind } from './onvif-device.js';

/** Tamper kinds a camera reports as ONVIF events. */
export type TamperKind = 'tamper' | 'scene-change' | 'too-dark' | 'too-blurry';

/** URL paths of the two RTSP streams (Hikvision style). */
export const RTSP_PATHS = { main: '/Streaming/Channels/101', sub: '/Streaming/Channels/102' } as const;

/** Internal wiring a camera gets from the simulator. */
export interface SimCameraContext {
  ffmpeg: string;
  host: string;
  fontFile: string;
  workDir: string;
  vehicles: VehiclePass[];
  shared: { main: H264Feed; sub: H264Feed } | undefined;
}

const TAMPER_TOPICS: Record<TamperKind, { topic: string }> = {
  tamper: { topic: 'tns1:RuleEngine/TamperDetector/Tamper' },
  'scene-change': { topic: 'tns1:VideoSource/GlobalSceneChange/ImagingService' },
  'too-dark': { topic: 'tns1:VideoSource/ImageTooDark/ImagingService' },
  'too-blurry': { topic: 'tns1:VideoSource/ImageTooBlurry/ImagingService' },
};

/**
 * One virtual IP camera: two H.264 streams served by its own RTSP server, an ONVIF device service with
 * snapshot, PTZ and events, and fault injection. Created by {@link startSimulator}.
 */
export class SimCamera implements OnvifDevice {
  /** Camera id. */
  readonly id: string;
  /** Display name (burned into the picture). */
  readonly name: string;
  /** Bind address. */
  readonly host: string;
  /** Scene shown. */
  readonly scene: SceneKind;
  /** Whether the camera has PTZ. */
  readonly hasPtz: boolean;
  /** RTSP authentication mode. */
  readonly rtspAuth: RtspAuthMode;
  /** ONVIF authentication mode. */
  readonly onvifAuth: OnvifAuthMode;
  /** Real-device behaviours this camera reproduces. */
  readonly quirks: Readonly<SimDeviceQuirks & { channels: number }>;
  /** Manufacturer reported by GetDeviceInformation. */
  readonly manufacturer: string;
  /** Model reported by GetDeviceInformation. */
  readonly hardware: string;
  /** Serial number reported by GetDeviceInformation. */
  readonly serialNumber: string;
  /** Installation place. */
  readonly location: CameraLocation | undefined;
  /** Main stream settings. */
  readonly mainSettings: StreamSettings;
  /** Sub stream settings. */
  readonly subSettings: StreamSettings;
  /** Main and sub streams as served by RTSP. */
  readonly streams: { main: CameraStream; sub: CameraStream };
  /** ONVIF events of the camera. */
  readonly events: CameraEvents;
  /** PTZ mechanics (present even when `hasPtz` is false, but then not served). */
  readonly ptz: PtzState;

  private user: string;
  private pass: string;
  private driftMs = 0;
  private pictureNow: PictureFault = 'normal';
  private malformedKind: MalformedKind = null;
  private stalled = false;
  private privateFeeds: { main: H264Feed; sub: H264Feed } | undefined;
  private readonly rtsp: RtspServer;
  private readonly onvif: OnvifServer;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly osdFile: string;
  private readonly options: SimCameraOptions;
  private rebooting: Promise<void> | undefined;
  private snapshotInFlight: Promise<Buffer> | undefined;
  private stopped = false;
  private readonly children = new Set<ReturnType<typeof spawn>>();

  constructor(options: SimCameraOptions, private readonly ctx: SimCameraContext) {
    this.options = options;
    this.id = options.id;
    this.name = options.name ?? options.id;
    this.host = ctx.host;
    this.scene = options.scene ?? 'static';
    this.hasPtz = options.ptz ?? false;
    this.user = options.username ?? 'admin';
    this.pass = options.password ?? 'admin123';
    this.rtspAuth = options.rtspAuth ?? 'digest';
    this.onvifAuth = options.onvifAuth ?? 'both';
    this.quirks = { ...options.quirks, channels: options.quirks?.channels ?? 1 };
    this.manufacturer = options.manufacturer ?? 'WardWatch Sim';
    this.hardware = options.hardware ?? 'DS-2CD2143G2-I';
    this.serialNumber = options.serialNumber ?? `WWSIM-${Buffer.from(options.id).toString('hex').slice(0, 12).toUpperCase()}`;
    this.location = options.location;
    this.mainSettings = { ...DEFAULT_MAIN, ...options.main };
    this.subSettings = { ...DEFAULT_SUB, ...options.sub };
    this.streams = { main: new CameraStream('main'), sub: new CameraStream('sub') };
    this.events = new CameraEvents(() => this.now());
    this.osdFile = join(ctx.workDir, `${safeFileName(options.id)}-osd.txt`);
    this.ptz = new PtzState(() => this.writeOsd());
    this.rtsp = new RtspServer(ctx.host, {
      realm: 'IP Camera',
      sessionName: `${this.manufacturer} ${this.hardware}`,
      auth: () => this.rtspAuth,
      credentials: () => ({ username: this.user, password: this.pass }),
      streams: new Map([
        [RTSP_PATHS.main, this.streams.main],
        [RTSP_PATHS.sub, this.streams.sub],
      ]),
      malformedSdp: () => this.malformedKind === 'sdp',
      warn: (what, error) => process.emitWarning(`simulator camera ${this.id}: ${what}: ${error.message}`),
    });
    this.onvif = new OnvifServer(ctx.host, this);
  }

  /** Username accepted now. */
  get username(): string {
    return this.user;
  }

  /** Password accepted now. */
  get password(): string {
    return this.pass;
  }

  /** ONVIF HTTP port. */
  get onvifPort(): number {
    return this.onvif.port;
  }

  /** RTSP port. */
  get rtspPort(): number {
    return this.rtsp.port;
  }

  /** ONVIF device service URL. */
  get onvifUrl(): string {
    return `http://${this.host}:${this.onvifPort}/onvif/device_service`;
  }

  /** RTSP URLs of the main and sub streams (without credentials). */
  get rtspUrl(): { main: string; sub: string } {
    return { main: `rtsp://${this.host}:${this.rtspPort}${RTSP_PATHS.main}`, sub: `rtsp://${this.host}:${this.rtspPort}${RTSP_PATHS.sub}` };
  }

  /** Snapshot URL (same authentication as ONVIF HTTP Digest). */
  get snapshotUrl(): string {
    return `http://${this.host}:${this.onvifPort}/onvif/snapshot.jpg`;
  }

  /** Camera clock now (wall clock plus drift), ms since the epoch. */
  now(): number {
    return Date.now() + this.driftMs;
  }

  /** Current clock drift in ms. */
  get clockDriftMs(): number {
    return this.driftMs;
  }

  /** Current picture fault. */
  get pictureFault(): PictureFault {
    return this.pictureNow;
  }

  /** Current malformed-answer fault. */
  get malformedFault(): MalformedKind {
    return this.malformedKind;
  }

  /** Whether the camera is stalled. */
  get isStalled(): boolean {
    return this.stalled;
  }

  /** Number of RTSP sessions set up now. */
  get rtspSessionCount(): number {
    return this.rtsp.sessionCount;
  }

  /** RTP packets this camera has sent since start (all sessions, TCP and UDP). */
  get rtpPacketsSent(): number {
    return this.rtsp.packetsSent;
  }

  /** Pids of the ffmpeg encoders this camera owns (not shared ones). */
  get encoderPids(): number[] {
    const f = this.privateFeeds;
    return f ? [f.main.pid, f.sub.pid].filter((p): p is number => p !== undefined) : [];
  }

  /** Starts encoders (unless shared) and both servers. */
  async start(): Promise<void> {
    this.writeOsd();
    if (this.ctx.shared) {
      this.streams.main.attach(this.ctx.shared.main);
      this.streams.sub.attach(this.ctx.shared.sub);
    } else {
      await this.usePrivateFeeds();
    }
    await this.rtsp.listen(this.options.rtspPort ?? 0);
    await this.onvif.listen(this.options.onvifPort ?? 0);
  }

  /** Stops servers, timers and the encoders this camera owns. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.ptz.stop();
    this.events.clear();
    await Promise.all([this.rtsp.close(), this.onvif.close()]);
    this.streams.main.close();
    this.streams.sub.close();
    const feeds = this.privateFeeds;
    this.privateFeeds = undefined;
    await Promise.all([feeds?.main.stop(), feeds?.sub.stop(), ...[...this.children].map((c) => killChild(c))]);
  }

  /** Fault: connections stay open, no RTP packets and no RTSP/ONVIF answers until {@link resume}. */
  stall(): void {
    this.stalled = true;
    this.streams.main.setPaused(true);
    this.streams.sub.setPaused(true);
    this.rtsp.setStalled(true);
    this.onvif.setStalled(true);
  }

  /** Ends a stall: queued requests are answered and packets flow again. */
  resume(): void {
    this.stalled = false;
    this.streams.main.setPaused(false);
    this.streams.sub.setPaused(false);
    this.rtsp.setStalled(false);
    this.onvif.setStalled(false);
  }

  /** Fault: resets (TCP RST) every RTSP and HTTP connection now; servers keep listening. */
  drop(): void {
    this.rtsp.drop();
    this.onvif.drop();
  }

  /** Fault: everything down (connections reset, ports refuse) for `ms`, then up again on the same ports. */
  reboot(ms: number): Promise<void> {
    if (this.rebooting) return this.rebooting;
    const run = async (): Promise<void> => {
      const rtspPort = this.rtsp.port;
      const onvifPort = this.onvif.port;
      this.events.clear();
      await Promise.all([this.rtsp.close({ udp: false }), this.onvif.close()]);
      await new Promise<void>((resolve) => this.timer(resolve, ms));
      if (this.stopped) return;
      await this.rtsp.listen(rtspPort);
      await this.onvif.listen(onvifPort);
    };
    this.rebooting = run().finally(() => {
      this.rebooting = undefined;
    });
    return this.rebooting;
  }

  /** Changes the credentials the camera accepts (clients keep using the old ones → auth failures). */
  setCredentials(username: string, password: string): void {
    this.user = username;
    this.pass = password;
  }

  /** Fault: malformed SDP on DESCRIBE, malformed SOAP, an oversized SOAP answer, or `null` for none. */
  malformed(kind: MalformedKind): void {
    this.malformedKind = kind;
  }

  /** Fault: the camera clock runs `ms` ahead (negative: behind) — in GetSystemDateAndTime, events, the picture and RTCP. */
  setClockDrift(ms: number): void {
    if (!Number.isFinite(ms)) throw new SimulatorError('INVALID_ARGUMENT', 'clock drift must be a finite number of ms');
    this.driftMs = ms;
    void this.applyPicture();
  }

  /** Picture fault for tamper analytics (restarts this camera's encoders; clients stay connected). */
  picture(fault: PictureFault): void {
    const valid: PictureFault[] = ['normal', 'black', 'covered', 'blurred', 'scene-changed', 'night'];
    if (!valid.includes(fault)) throw new SimulatorError('INVALID_ARGUMENT', `unknown picture fault ${String(fault)}`);
    const previous = this.pictureNow;
    this.pictureNow = fault;
    void this.applyPicture();
    if (previous !== fault) this.raiseTamperFor(fault);
  }

  /**
   * Raises ONVIF motion (`VideoSource/MotionAlarm` and `RuleEngine/CellMotionDetector/Motion`) on `channel`
   * (1-based; NVR quirk), ended after `durationMs`.
   */
  triggerMotion(durationMs = 3000, channel = 1): void {
    const channels = this.quirks.channels;
    if (!Number.isInteger(channel) || channel < 1 || channel > channels) {
      throw new SimulatorError('INVALID_ARGUMENT', `channel must be a whole number from 1 to ${channels}`);
    }
    this.events.setState('tns1:VideoSource/MotionAlarm', true, channel);
    this.events.setState('tns1:RuleEngine/CellMotionDetector/Motion', true, channel);
    this.timer(() => {
      this.events.setState('tns1:VideoSource/MotionAlarm', false, channel);
      this.events.setState('tns1:RuleEngine/CellMotionDetector/Motion', false, channel);
    }, durationMs);
  }

  /** Raises an ONVIF tamper event of `kind`, ended after `durationMs`. @default kind 'tamper' */
  triggerTamper(kind: TamperKind = 'tamper', durationMs = 3000): void {
    const t = TAMPER_TOPICS[kind];
    if (!t) throw new SimulatorError('INVALID_ARGUMENT', `unknown tamper kind ${String(kind)}`);
    this.events.setState(t.topic, true);
    this.timer(() => this.events.setState(t.topic, false), durationMs);
  }

  /** Current PTZ position. */
  ptzPosition(): PtzPosition {
    return this.ptz.get();
  }

  /** Renders a JPEG of the current main-stream picture (a one-off ffmpeg run of the same filter graph). */
  snapshot(): Promise<Buffer> {
    if (this.snapshotInFlight) return this.snapshotInFlight;
    const p = this.renderSnapshot().finally(() => {
      this.snapshotInFlight = undefined;
    });
    this.snapshotInFlight = p;
    return p;
  }

  private renderSnapshot(): Promise<Buffer> {
    const s = this.mainSettings;
    const graph = this.graphFor(s)(this.now());
    return new Promise((resolve, reject) => {
      const child = spawn(this.ctx.ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', graph, '-frames:v', '1', '-q:v', '4', '-f', 'image2', '-c:v', 'mjpeg', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
      this.children.add(child);
      const chunks: Buffer[] = [];
      let err = '';
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()).slice(-2000));
      child.on('error', (e) => reject(new SimulatorError('FFMPEG_FAILED', `snapshot: ${e.message}`)));
      child.on('exit', (code) => {
        this.children.delete(child);
        const jpeg = Buffer.concat(chunks);
        if (code === 0 && jpeg.length > 2 && jpeg[0] === 0xff && jpeg[1] === 0xd8) resolve(jpeg);
        else reject(new SimulatorError('FFMPEG_FAILED', `snapshot failed (${code}): ${err.slice(-500)}`));
      });
    });
  }

  private graphFor(settings: StreamSettings): (startEpochMs: number) => string {
    const spec = {
      width: settings.width,
      height: settings.height,
      fps: settings.fps,
      scene: this.scene,
      picture: this.pictureNow,
      fontFile: this.ctx.fontFile,
      osdFile: this.osdFile,
      vehicles: this.ctx.vehicles,
      driftMs: this.driftMs,
    };
    return (start) => sceneGraph(spec, start);
  }

  private async usePrivateFeeds(): Promise<void> {
    if (this.privateFeeds) return;
    const main = new H264Feed(this.ctx.ffmpeg, this.mainSettings, this.graphFor(this.mainSettings), () => this.driftMs);
    const sub = new H264Feed(this.ctx.ffmpeg, this.subSettings, this.graphFor(this.subSettings), () => this.driftMs);
    this.privateFeeds = { main, sub };
    try {
      await Promise.all([main.start(), sub.start()]);
    } catch (error) {
      await Promise.all([main.stop(), sub.stop()]);
      this.privateFeeds = undefined;
      throw error;
    }
    this.streams.main.attach(main);
    this.streams.sub.attach(sub);
  }

  private async applyPicture(): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.privateFeeds) {
        await this.usePrivateFeeds();
        return;
      }
      this.privateFeeds.main.restart(this.graphFor(this.mainSettings));
      this.privateFeeds.sub.restart(this.graphFor(this.subSettings));
    } catch (error) {
      process.emitWarning(`simulator camera ${this.id}: picture change failed: ${(error as Error).message}`);
    }
  }

  private raiseTamperFor(fault: PictureFault): void {
    const on = new Set<string>();
    if (fault === 'black' || fault === 'covered') on.add(TAMPER_TOPICS.tamper.topic).add(TAMPER_TOPICS['too-dark'].topic);
    if (fault === 'night') on.add(TAMPER_TOPICS['too-dark'].topic);
    if (fault === 'blurred') on.add(TAMPER_TOPICS['too-blurry'].topic);
    if (fault === 'scene-changed') on.add(TAMPER_TOPICS['scene-change'].topic);
    for (const { topic } of Object.values(TAMPER_TOPICS)) this.events.setState(topic, on.has(topic));
  }

  private writeOsd(): void {
    const lines = [this.name];
    if (this.hasPtz) {
      const p = this.ptz.get();
      lines.push(`PTZ P${fmt(p.pan)} T${fmt(p.tilt)} Z${p.zoom.toFixed(2)}`);
    }
    const tmp = `${this.osdFile}.tmp`;
    writeFileSync(tmp, lines.join('\n'));
    renameSync(tmp, this.osdFile);
  }

  /** Schedules a vehicle-pass motion event. */
  scheduleMotionAt(wallMs: number, durationMs: number, repeatEveryMs?: number): void {
    const fire = (): void => {
      this.triggerMotion(durationMs);
      if (repeatEveryMs) this.timer(fire, repeatEveryMs);
    };
    this.timer(fire, Math.max(0, wallMs - Date.now()));
  }

  private timer(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(t);
  }
}

function fmt(v: number): string {
  return `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;
}

function safeFileName(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]/g, '_');
}
