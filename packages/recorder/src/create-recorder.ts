import { mkdir } from 'node:fs/promises';
import { Observable } from 'rxjs';
import {
  silentLogger,
  systemClock,
  WardwatchError,
  type BackoffOptions,
  type ClipEvent,
  type ClipRequest,
  type Frame,
  type FrameOptions,
  type Logger,
  type Recorder,
  type RecorderContext,
} from '@wardwatch/core';
import { exportClip } from './export-clip.js';
import type { FfmpegCapabilities } from './ffmpeg-capabilities.js';
import { decodeFrames } from './decode-frames.js';
import { createProcessRunner, type ProcessRunner } from './process-runner.js';
import { recordCamera } from './record-camera.js';
import { recoverAtStart } from './recover-at-start.js';
import { createRecorderBinaries } from './recorder-binaries.js';
import { createRecorderState, type RecorderState } from './recorder-state.js';
import { resolveRecorderOptions } from './resolve-recorder-options.js';
import { createRetention, type RetentionOptions } from './retention.js';
import { grabSnapshot } from './grab-snapshot.js';
import { createSegmentFinisher } from './segment-finisher.js';
import { streamPolicyOf } from './stream-policy.js';
import { createTicker } from './ticker.js';

/** Options of {@link createRecorder}. */
export interface RecorderOptions {
  /** Directory that holds `<cameraId>/<YYYY-MM-DD>/<HH>/<start>.mp4` segments. */
  root: string;
  /** Target segment length, seconds (cut at the next keyframe). @default 60 */
  segmentSeconds?: number;
  /** Retention by age and disk watermark. */
  retention?: RetentionOptions;
  /** ffmpeg binary; else `FFMPEG_PATH` → PATH → bundled. */
  ffmpegPath?: string;
  /** ffprobe binary; else `FFPROBE_PATH` → PATH → bundled. */
  ffprobePath?: string;
  /** RTSP transport. @default 'tcp' */
  transport?: 'tcp' | 'udp';
  /** RTSP socket I/O timeout, ms. @default 5000 */
  socketTimeoutMs?: number;
  /** No media for this long restarts the process, ms. @default 8000 */
  stallTimeoutMs?: number;
  /** A connection attempt without media for this long is abandoned, ms. @default 15000 */
  connectTimeoutMs?: number;
  /** Grace period between `q` and SIGTERM when stopping, ms. @default 4000 */
  graceMs?: number;
  /** Reconnect backoff. @default { initialMs: 500, maxMs: 10000, factor: 2, jitter: 0.2 } */
  backoff?: BackoffOptions;
  /** Record the first audio stream too (AAC recommended). @default false */
  includeAudio?: boolean;
  /** Holes between recordings up to this length are not reported as gaps, ms. @default 1000 */
  gapToleranceMs?: number;
  /** Where clips go when a request gives no `outPath`. @default `<root>/.exports` */
  exportDir?: string;
  /** The live relay the recording process also feeds (e.g. a {@link LiveGateway}). */
  live?: { publishUrl(cameraId: string): string | undefined };
  /** How far back (ms) recovery looks for unindexed files before the latest indexed segment. @default 3600000 */
  recoveryWindowMs?: number;
  /** Process runner (the recorder owns the processes it spawns); one is created when omitted. */
  runner?: ProcessRunner;
  /** Logger used before `start()` gives the station's. */
  logger?: Logger;
}

/** A {@link Recorder} with a few extras for tools and tests. */
export interface WardwatchRecorder extends Recorder {
  /** Pids of every process the recorder runs now. */
  pids(): number[];
  /** The ffmpeg binary and its detected capabilities. */
  capabilities(): Promise<FfmpegCapabilities>;
  /** Runs one retention pass now (age, then disk watermark). */
  enforceRetention(): Promise<void>;
  /** The absolute root directory. */
  readonly root: string;
}

/** `recorder.start(context)`: recovery, then the shared tick, the segment finisher and retention (undone when it fails). */
async function startRecorder(state: RecorderState, deps: { options: ReturnType<typeof resolveRecorderOptions>; runner: ProcessRunner; binaries: ReturnType<typeof createRecorderBinaries> }, ctx: RecorderContext): Promise<void> {
  const { options, binaries } = deps;
  if (state.context) throw new WardwatchError('INVALID_STATE', 'recorder already started');
  state.context = ctx;
  state.stopRequested = false;
  // each closed segment (or one the disk had no room for) checks the disk at once, not only on the retention timer
  const ownFinisher = createSegmentFinisher({ onWritten: () => state.retention?.checkDisk() });
  state.ticker = createTicker(ctx.clock ?? systemClock, { onError: (error) => ctx.logger.error({ err: error }, 'a recording tick failed') });
  state.finisher = ownFinisher;
  try {
    await mkdir(options.root, { recursive: true, mode: 0o750 });
    const { ffmpegPath, ffprobePath, caps } = binaries.get();
    await caps;
    await recoverAtStart(ctx, { root: options.root, ffmpegPath, ffprobePath, runner: deps.runner, logger: ctx.logger }, options.recoveryWindowMs);
  } catch (error) {
    // undone, so that start() can be tried again
    if (state.context === ctx) {
      state.context = undefined;
      state.ticker = undefined;
      state.finisher = undefined;
    }
    binaries.forgetCapabilities();
    await ownFinisher.close();
    throw error;
  }
  if (state.stopRequested || state.context !== ctx) throw new WardwatchError('INVALID_STATE', 'the recorder was stopped while it was starting');
  // a camera that is offline, disabled or removed keeps its own retention (from the index), not the default
  const retentionDays = async (id: string): Promise<number | undefined> => state.sessions.get(id)?.spec.recording.retentionDays ?? (await ctx.segments.retentionDays(id));
  state.retention = createRetention({ root: options.root, context: ctx, ...options.retention, retentionDays });
  state.retention.start();
  state.ready = true;
}

/** `recorder.stop()`: every recording, frame stream and retention pass ended, then the runner disposed when the recorder owns it. */
async function stopRecorder(state: RecorderState, ownRunner: { runner: ProcessRunner; graceMs: number } | undefined): Promise<void> {
  state.stopRequested = true;
  state.ready = false;
  state.retention?.stop();
  for (const stream of [...state.frameStreams]) stream.complete();
  await Promise.all([...state.recordings.values()].map((r) => r.stop()));
  state.recordings.clear();
  await Promise.allSettled([...state.background]);
  await state.retention?.idle();
  await state.finisher?.close();
  state.finisher = undefined;
  state.ticker = undefined;
  if (ownRunner) await ownRunner.runner.dispose(ownRunner.graceMs);
  state.context = undefined;
  state.retention = undefined;
}

/** Creates the ffmpeg-based recorder implementing core's `Recorder` contract. */
export function createRecorder(recorderOptions: RecorderOptions): WardwatchRecorder {
  const options = resolveRecorderOptions(recorderOptions);
  const { root, transport, socketTimeoutMs } = options;
  const state = createRecorderState();
  const log = (): Logger => state.context?.logger ?? options.logger ?? silentLogger;
  // The runner outlives any one start(): it logs through whichever logger is current when something happens.
  const runnerLogger: Logger = {
    debug: (obj, msg) => log().debug(obj, msg),
    info: (obj, msg) => log().info(obj, msg),
    warn: (obj, msg) => log().warn(obj, msg),
    error: (obj, msg) => log().error(obj, msg),
    child: (bindings) => log().child(bindings),
  };
  const runner = options.runner ?? createProcessRunner({ graceMs: options.graceMs, logger: runnerLogger });
  const ownsRunner = options.runner === undefined;
  const binaries = createRecorderBinaries(options);
  const deps = { options, runner, binaries };

  const recorder: WardwatchRecorder = {
    root,
    pids: () => runner.pids(),
    capabilities: () => binaries.get().caps,
    start: (ctx) => startRecorder(state, deps, ctx),
    record: (camera, session) => recordCamera(state, deps, camera, session),

    frames(cameraId: string, frameOptions?: Partial<FrameOptions>): Observable<Frame> {
      return new Observable<Frame>((subscriber) => {
        const entry = state.sessions.get(cameraId);
        if (!entry) {
          subscriber.error(new WardwatchError('NOT_FOUND', `camera ${cameraId} is not being recorded`));
          return undefined;
        }
        const { ffmpegPath: ff, caps: capsPromise } = binaries.get();
        const uri = entry.session.streams.sub?.uri ?? entry.session.streams.main.uri;
        const decoding = decodeFrames({
          cameraId,
          uri,
          streamPolicy: streamPolicyOf(entry.spec),
          ffmpegPath: ff,
          capabilities: capsPromise,
          runner,
          clock: state.context?.clock ?? systemClock,
          transport,
          socketTimeoutMs,
          options: frameOptions ?? {},
          logger: log(),
        }).subscribe(subscriber);
        // stop() completes every frame stream (no decoder may outlive the recorder)
        state.frameStreams.add(subscriber);
        return () => {
          state.frameStreams.delete(subscriber);
          decoding.unsubscribe();
        };
      });
    },

    async snapshot(cameraId: string): Promise<Uint8Array> {
      const entry = state.sessions.get(cameraId);
      if (!entry) throw new WardwatchError('NOT_FOUND', `camera ${cameraId} is not being recorded`);
      const { ffmpegPath: ff, caps: capsPromise } = binaries.get();
      return grabSnapshot({ session: entry.session, streamPolicy: streamPolicyOf(entry.spec), ffmpegPath: ff, capabilities: await capsPromise, runner, transport, socketTimeoutMs, logger: log() });
    },

    exportClip(request: ClipRequest): Observable<ClipEvent> {
      return new Observable<ClipEvent>((subscriber) => {
        const ctx = state.context;
        if (!ctx) {
          subscriber.error(new WardwatchError('INVALID_STATE', 'recorder.start() must be called before exportClip()'));
          return undefined;
        }
        const { ffmpegPath: ff, ffprobePath: fp } = binaries.get();
        return exportClip({ request, root, exportDir: options.exportDir, segments: ctx.segments, ffmpegPath: ff, ffprobePath: fp, runner, logger: ctx.logger }).subscribe(subscriber);
      });
    },

    async enforceRetention() {
      if (!state.retention) throw new WardwatchError('INVALID_STATE', 'recorder.start() must be called first');
      await state.retention.runOnce();
    },
    stop: () => stopRecorder(state, ownsRunner ? { runner, graceMs: options.graceMs } : undefined),
  };
  return recorder;
}
