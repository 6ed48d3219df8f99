import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { AnnexBSplitter, type AccessUnit } from './annexb-splitter.js';
import { RotatingFanOut } from './rotating-fan-out.js';
import { SimulatorError } from './simulator-error.js';

/** An encoded frame with its capture time on the camera clock. */
export interface TimedAccessUnit extends AccessUnit {
  /** Camera-clock capture time in ms since the epoch (the same time burned into the picture). */
  timeMs: number;
  /** Monotonic media time in ms (drift and clock changes do not move it); drives RTP timestamps. */
  mediaMs: number;
}

/** Encoding settings of one stream variant. */
export interface StreamSettings {
  /** Width in pixels. @default 1280 (main) / 640 (sub) */
  width: number;
  /** Height in pixels. @default 720 (main) / 360 (sub) */
  height: number;
  /** Frames per second. @default 15 (main) / 10 (sub) */
  fps: number;
  /** Keyframe interval in frames. @default 30 (main) / 20 (sub) */
  gop: number;
  /** Target bitrate in kbit/s. @default 2000 (main) / 500 (sub) */
  bitrateKbps: number;
}

/** What an encoder run needs: the lavfi graph for a given camera-clock start time. */
export type GraphFactory = (startEpochMs: number) => string;

type Listener = (au: TimedAccessUnit) => void;

/**
 * One long-running ffmpeg H.264 encoder (lavfi source → libx264 → Annex-B on stdout) whose frames fan out
 * to any number of listeners. `restart()` swaps the filter graph (picture faults, drift) without
 * disturbing listeners: frame times stay monotonic, and a new run starts with SPS/PPS + IDR.
 */
export class H264Feed {
  /** Latest SPS (without start code), once seen. */
  sps: Buffer | undefined;
  /** Latest PPS (without start code), once seen. */
  pps: Buffer | undefined;
  private readonly listeners = new RotatingFanOut<TimedAccessUnit>();
  private child: ChildProcessWithoutNullStreams | undefined;
  private stopped = false;
  private lastTimeMs = 0;
  private frameIndex = 0;
  private epochMs = 0;
  private mediaEpochMs = 0;
  private lastMediaMs = 0;
  private stderrTail: string[] = [];
  private readyWaiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private restartTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  /** Frames produced since start, over every run. */
  framesProduced = 0;

  constructor(
    private readonly ffmpeg: string,
    readonly settings: StreamSettings,
    private graph: GraphFactory,
    private clockOffsetMs: () => number,
  ) {}

  /** Pid of the running ffmpeg, if any. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the encoder; resolves once SPS/PPS and the first keyframe arrived. */
  start(timeoutMs = 20_000): Promise<void> {
    this.spawnEncoder();
    return this.ready(timeoutMs);
  }

  /** Resolves once SPS and PPS are known. */
  ready(timeoutMs = 20_000): Promise<void> {
    if (this.sps && this.pps) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w.resolve !== done);
        reject(new SimulatorError('FFMPEG_FAILED', `encoder produced no keyframe within ${timeoutMs} ms: ${this.stderrTail.join(' | ')}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.readyWaiters.push({
        resolve: done,
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  /** Adds a frame listener; returns its remover. */
  subscribe(listener: Listener): () => void {
    return this.listeners.add(listener);
  }

  /** Number of listeners. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Replaces the filter graph (if given) and restarts the encoder process. */
  restart(graph?: GraphFactory): void {
    if (graph) this.graph = graph;
    if (this.stopped) return;
    const old = this.child;
    this.child = undefined;
    if (old) killChild(old);
    this.spawnEncoder();
  }

  /** Stops the encoder for good; resolves when the process exited. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    this.child = undefined;
    for (const w of this.readyWaiters) w.reject(new SimulatorError('CANCELLED', 'simulator stopped'));
    this.readyWaiters = [];
    this.listeners.clear();
    if (child) await killChild(child);
  }

  private spawnEncoder(): void {
    const s = this.settings;
    this.epochMs = Math.max(Date.now() + this.clockOffsetMs(), this.lastTimeMs + 1);
    this.mediaEpochMs = performance.timeOrigin + performance.now();
    this.frameIndex = 0;
    const args = [
      '-hide_banner', '-nostdin', '-loglevel', 'error',
      '-re', '-f', 'lavfi', '-i', this.graph(this.epochMs),
      '-an', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-threads', '1',
      '-pix_fmt', 'yuv420p', '-g', String(s.gop), '-keyint_min', String(s.gop), '-sc_threshold', '0', '-bf', '0',
      // Constant bitrate with filler data, as IP cameras in CBR mode send.
      '-b:v', `${s.bitrateKbps}k`, '-minrate', `${s.bitrateKbps}k`, '-maxrate', `${s.bitrateKbps}k`, '-bufsize', `${s.bitrateKbps * 2}k`,
      '-x264-params', 'aud=1:repeat-headers=1:nal-hrd=cbr',
      '-f', 'h264', 'pipe:1',
    ];
    const child = spawn(this.ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    const splitter = new AnnexBSplitter((au) => this.onAccessUnit(child, au));
    child.stdout.on('data', (chunk: Buffer) => splitter.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      this.stderrTail.push(...text.split('\n').filter(Boolean));
      if (this.stderrTail.length > 8) this.stderrTail = this.stderrTail.slice(-8);
    });
    child.on('error', (error) => this.onExit(child, error));
    child.on('exit', () => this.onExit(child));
  }

  private onExit(child: ChildProcessWithoutNullStreams, error?: Error): void {
    if (this.child !== child || this.stopped) return;
    this.child = undefined;
    this.failures++;
    if (this.failures > 5 && !(this.sps && this.pps)) {
      const e = new SimulatorError('FFMPEG_FAILED', `encoder failed: ${error?.message ?? this.stderrTail.join(' | ')}`);
      for (const w of this.readyWaiters) w.reject(e);
      this.readyWaiters = [];
      return;
    }
    // A camera's encoder that dies comes back (bounded back-off); listeners simply see a gap.
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.stopped && !this.child) this.spawnEncoder();
    }, Math.min(5000, 200 * this.failures));
  }

  private onAccessUnit(child: ChildProcessWithoutNullStreams, au: AccessUnit): void {
    if (this.child !== child) return;
    for (const nal of au.nals) {
      const type = nal[0]! & 0x1f;
      if (type === 7) this.sps = nal;
      else if (type === 8) this.pps = nal;
    }
    if (this.sps && this.pps && this.readyWaiters.length > 0 && au.keyframe) {
      const waiters = this.readyWaiters;
      this.readyWaiters = [];
      for (const w of waiters) w.resolve();
    }
    const timeMs = Math.max(this.epochMs + (this.frameIndex * 1000) / this.settings.fps, this.lastTimeMs + 1);
    const mediaMs = Math.max(this.mediaEpochMs + (this.frameIndex * 1000) / this.settings.fps, this.lastMediaMs + 1);
    this.frameIndex++;
    this.lastTimeMs = timeMs;
    this.lastMediaMs = mediaMs;
    this.framesProduced++;
    this.failures = 0;
    const timed: TimedAccessUnit = { ...au, timeMs, mediaMs };
    this.listeners.emit(timed);
  }
}

/** Kills a child by its own pid (SIGTERM, then SIGKILL after 2 s); resolves on exit. */
export function killChild(child: { pid?: number | undefined; exitCode: number | null; signalCode: NodeJS.Signals | null; kill(sig?: NodeJS.Signals): boolean; once(ev: 'exit', fn: () => void): unknown }): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
