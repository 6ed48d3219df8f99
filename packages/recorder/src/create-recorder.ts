import { join, resolve } from 'node:path';
import { mkdir, readdir } from 'node:fs/promises';
import { Observable, type Subscriber } from 'rxjs';
import {
  silentLogger,
  systemClock,
  WardwatchError,
  type CameraSession,
  type CameraSpec,
  type ClipEvent,
  type ClipRequest,
  type Frame,
  type FrameOptions,
  type BackoffOptions,
  type Logger,
  type Recorder,
  type RecorderContext,
  type RecorderSignal,
  type Segment,
} from '@wardwatch/core';
import { startCameraRecording, type CameraRecording } from './camera-recording.js';
import { exportClip } from './export-clip.js';
import { detectCapabilities, type FfmpegCapabilities } from './ffmpeg-capabilities.js';
import { resolveFfmpegPath, resolveFfprobePath } from './ffmpeg-binaries.js';
import { decodeFrames } from './decode-frames.js';
import { createProcessRunner, type ProcessRunner } from './process-runner.js';
import { findUnindexed, recoverIncoming } from './recover-segments.js';
import { createRetention, type Retention, type RetentionOptions } from './retention.js';
import { grabSnapshot } from './grab-snapshot.js';
import { streamPolicyOf } from './stream-policy.js';
import { sweepFallbackPipes } from './report-pipe.js';
import { createSegmentFinisher, type SegmentFinisher } from './segment-finisher.js';
import { createTicker, type Ticker } from './ticker.js';

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

/** Refuses retention settings that would purge everything, busy-loop or never purge (`INVALID_CONFIG`). */
function validateRetention(r: RetentionOptions): void {
  const fail = (message: string): never => {
    throw new WardwatchError('INVALID_CONFIG', `recorder: retention.${message}`);
  };
  if (r.days !== undefined && !(r.days > 0 && r.days <= 3650)) fail('days must be more than 0 and at most 3650');
  const warn = r.warnRatio ?? 0.8;
  const purge = r.purgeRatio ?? 0.9;
  const target = r.targetRatio ?? 0.85;
  if (!(warn > 0 && warn <= purge && purge < 1)) fail('warnRatio and purgeRatio must satisfy 0 < warnRatio <= purgeRatio < 1');
  if (!(target > 0 && target < purge)) fail('targetRatio must be more than 0 and less than purgeRatio');
  if (r.intervalMs !== undefined && !(r.intervalMs >= 1000)) fail('intervalMs must be at least 1000');
  if (r.batchSize !== undefined && !(Number.isInteger(r.batchSize) && r.batchSize >= 1 && r.batchSize <= 10_000)) fail('batchSize must be an integer from 1 to 10000');
}

/** Creates the ffmpeg-based recorder implementing core's `Recorder` contract. */
export function createRecorder(options: RecorderOptions): WardwatchRecorder {
  if (!options || typeof options.root !== 'string' || options.root.length === 0) {
    throw new WardwatchError('INVALID_CONFIG', 'recorder: root must be a directory path');
  }
  if (/[|[\]\\]/.test(options.root)) {
    throw new WardwatchError('INVALID_CONFIG', 'recorder: root must not contain | [ ] or \\ (they break the ffmpeg tee syntax)');
  }
  const segmentSeconds = options.segmentSeconds ?? 60;
  if (!(segmentSeconds >= 1 && segmentSeconds <= 3600)) {
    throw new WardwatchError('INVALID_CONFIG', 'recorder: segmentSeconds must be between 1 and 3600');
  }
  const transport = options.transport ?? 'tcp';
  if (transport !== 'tcp' && transport !== 'udp') throw new WardwatchError('INVALID_CONFIG', "recorder: transport must be 'tcp' or 'udp'");
  validateRetention(options.retention ?? {});
  const root = resolve(options.root);
  const runner = options.runner ?? createProcessRunner(options.graceMs === undefined ? {} : { graceMs: options.graceMs });
  const ownsRunner = options.runner === undefined;
  let ffmpegPath: string | undefined;
  let ffprobePath: string | undefined;
  let caps: Promise<FfmpegCapabilities> | undefined;
  let context: RecorderContext | undefined;
  // start() has completed (record() is refused before: recovery must not race a live run)
  let ready = false;
  // stop() has begun: recordings still being set up must not start
  let stopRequested = false;
  let retention: Retention | undefined;
  // one timer and one worker thread for all cameras (created at start, on the station's clock)
  let ticker: Ticker | undefined;
  let finisher: SegmentFinisher | undefined;
  const recordings = new Map<string, CameraRecording>();
  const sessions = new Map<string, { spec: CameraSpec; session: CameraSession }>();
  const background = new Set<Promise<unknown>>();
  const stoppings = new Map<string, Promise<void>>();
  const frameStreams = new Set<Subscriber<Frame>>();

  const binaries = () => {
    ffmpegPath ??= resolveFfmpegPath(options.ffmpegPath);
    ffprobePath ??= resolveFfprobePath(options.ffprobePath);
    caps ??= detectCapabilities(ffmpegPath);
    return { ffmpegPath, ffprobePath, caps };
  };
  const log = (): Logger => context?.logger ?? options.logger ?? silentLogger;
  const track = <T>(p: Promise<T>): Promise<T> => {
    background.add(p);
    void p.finally(() => background.delete(p)).catch(() => undefined);
    return p;
  };

  /** Hands segments that belong to no `record()` stream to the station, which indexes them (one at a time, in order). */
  async function handOver(ctx: RecorderContext, segments: Segment[], recovered: boolean): Promise<void> {
    for (const segment of segments) await ctx.notify({ type: 'segment', segment, recovered });
  }

  async function recover(ctx: RecorderContext): Promise<void> {
    const { ffmpegPath: ff, ffprobePath: fp } = binaries();
    const tools = { root, ffmpegPath: ff, ffprobePath: fp, runner, logger: ctx.logger };
    const cameraDirs = (await readdir(root, { withFileTypes: true }).catch(() => []))
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name);
    for (const cameraId of cameraDirs) {
      const orphans = await recoverIncoming(tools, cameraId);
      await handOver(ctx, orphans, true);
      const latest = await ctx.segments.latest(cameraId);
      const since = latest ? latest.start - (options.recoveryWindowMs ?? 3_600_000) : 0;
      const unindexed = await findUnindexed(tools, cameraId, since, async (start) => {
        const hits = await ctx.segments.query(cameraId, { from: start, to: start + 1 });
        return hits.some((s) => s.start === start);
      });
      await handOver(ctx, unindexed, true);
      if (orphans.length + unindexed.length > 0) {
        ctx.logger.info({ cameraId, repaired: orphans.length, indexed: unindexed.length }, 'recovery indexed segments found on disk');
      }
    }
    const swept = await sweepFallbackPipes();
    if (swept.length > 0) ctx.logger.info({ removed: swept }, 'recovery removed report pipes left in the temp directory by a crash');
  }

  const recorder: WardwatchRecorder = {
    root,
    pids: () => runner.pids(),
    capabilities: () => binaries().caps,
    async start(ctx: RecorderContext) {
      if (context) throw new WardwatchError('INVALID_STATE', 'recorder already started');
      context = ctx;
      stopRequested = false;
      const ownFinisher = createSegmentFinisher();
      ticker = createTicker(ctx.clock ?? systemClock, { onError: (error) => ctx.logger.error({ err: error }, 'a recording tick failed') });
      finisher = ownFinisher;
      try {
        await mkdir(root, { recursive: true });
        await binaries().caps;
        await recover(ctx);
      } catch (error) {
        // undone, so that start() can be tried again
        if (context === ctx) {
          context = undefined;
          ticker = undefined;
          finisher = undefined;
        }
        caps = undefined; // looked for again next time (ffmpeg may have been installed meanwhile)
        await ownFinisher.close();
        throw error;
      }
      if (stopRequested || context !== ctx) throw new WardwatchError('INVALID_STATE', 'the recorder was stopped while it was starting');
      // a camera that is offline, disabled or removed keeps its own retention (from the index), not the default
      const retentionDays = async (id: string): Promise<number | undefined> =>
        sessions.get(id)?.spec.recording.retentionDays ?? (await ctx.segments.retentionDays(id));
      retention = createRetention({ root, context: ctx, ...options.retention, retentionDays });
      retention.start();
      ready = true;
    },

    record(camera: CameraSpec, session: CameraSession): Observable<RecorderSignal> {
      return new Observable<RecorderSignal>((subscriber) => {
        const ctx = context;
        if (!ctx || !ready) {
          subscriber.error(new WardwatchError('INVALID_STATE', 'recorder.start() must have completed before record()'));
          return undefined;
        }
        if (recordings.has(camera.id)) {
          subscriber.error(new WardwatchError('ALREADY_EXISTS', `camera ${camera.id} is already being recorded`));
          return undefined;
        }
        const stream = camera.recording?.stream === 'sub' && session.streams.sub ? session.streams.sub : session.streams.main;
        let recording: CameraRecording | undefined;
        let cancelled = false;
        const entry = { spec: camera, session };
        sessions.set(camera.id, entry);
        const placeholder = { signals$: new Observable<RecorderSignal>(), stop: async () => undefined, pid: () => undefined } as CameraRecording;
        recordings.set(camera.id, placeholder);
        const previousStop = stoppings.get(camera.id);
        const setup = (async () => {
          // a recording of this camera that was just unsubscribed finishes (last segment delivered) first
          await previousStop;
          const { ffmpegPath: ff, ffprobePath: fp, caps: capsPromise } = binaries();
          const capabilities = await capsPromise;
          const latest = await ctx.segments.latest(camera.id).catch((error: unknown) => {
            ctx.logger.warn({ cameraId: camera.id, err: error }, 'the latest indexed segment could not be read; the first gap is not reported');
            return undefined;
          });
          if (cancelled) return;
          if (stopRequested || !ticker || !finisher) throw new WardwatchError('INVALID_STATE', 'the recorder stopped before this recording started');
          recording = startCameraRecording({
            cameraId: camera.id,
            inputUri: stream.uri,
            streamPolicy: streamPolicyOf(camera),
            root,
            ffmpegPath: ff,
            ffprobePath: fp,
            capabilities,
            runner,
            ticker,
            finisher,
            clock: ctx.clock ?? systemClock,
            logger: ctx.logger,
            segmentSeconds,
            transport,
            socketTimeoutMs: options.socketTimeoutMs ?? 5000,
            stallTimeoutMs: options.stallTimeoutMs ?? 8000,
            connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
            graceMs: options.graceMs ?? 4000,
            backoff: options.backoff ?? {},
            includeAudio: options.includeAudio ?? false,
            gapToleranceMs: options.gapToleranceMs ?? 1000,
            ...(latest ? { previousEnd: latest.end } : {}),
            ...(options.live ? { liveUrl: () => options.live?.publishUrl(camera.id) } : {}),
            orphanSink: (segment) => {
              track(handOver(ctx, [segment], false).catch((error: unknown) => ctx.logger.error({ cameraId: camera.id, err: error }, 'indexing a segment after unsubscribe failed')));
            },
          });
          if (recordings.get(camera.id) === placeholder) recordings.set(camera.id, recording);
          recording.signals$.subscribe(subscriber);
        })().catch((error: unknown) => {
          if (recordings.get(camera.id) === placeholder) recordings.delete(camera.id);
          subscriber.error(error instanceof WardwatchError ? error : new WardwatchError('FFMPEG_FAILED', 'recording could not start', { cause: error }));
        });
        track(setup);
        return () => {
          cancelled = true;
          const current = recordings.get(camera.id);
          if (current === placeholder || (recording !== undefined && current === recording)) recordings.delete(camera.id);
          // a removed camera is no longer known to frames()/snapshot(); a re-record has already put its own entry
          if (sessions.get(camera.id) === entry) sessions.delete(camera.id);
          const stopping = (async () => {
            await setup;
            if (recording) await recording.stop();
          })();
          stoppings.set(camera.id, stopping);
          void stopping.finally(() => {
            if (stoppings.get(camera.id) === stopping) stoppings.delete(camera.id);
          });
          track(stopping);
        };
      });
    },

    frames(cameraId: string, frameOptions?: Partial<FrameOptions>): Observable<Frame> {
      return new Observable<Frame>((subscriber) => {
        const entry = sessions.get(cameraId);
        if (!entry) {
          subscriber.error(new WardwatchError('NOT_FOUND', `camera ${cameraId} is not being recorded`));
          return undefined;
        }
        const { ffmpegPath: ff, caps: capsPromise } = binaries();
        const uri = entry.session.streams.sub?.uri ?? entry.session.streams.main.uri;
        const decoding = decodeFrames({
          cameraId,
          uri,
          streamPolicy: streamPolicyOf(entry.spec),
          ffmpegPath: ff,
          capabilities: capsPromise,
          runner,
          clock: context?.clock ?? systemClock,
          transport,
          socketTimeoutMs: options.socketTimeoutMs ?? 5000,
          options: frameOptions ?? {},
          logger: log(),
        }).subscribe(subscriber);
        // stop() completes every frame stream (no decoder may outlive the recorder)
        frameStreams.add(subscriber);
        return () => {
          frameStreams.delete(subscriber);
          decoding.unsubscribe();
        };
      });
    },

    async snapshot(cameraId: string): Promise<Uint8Array> {
      const entry = sessions.get(cameraId);
      if (!entry) throw new WardwatchError('NOT_FOUND', `camera ${cameraId} is not being recorded`);
      const { ffmpegPath: ff, caps: capsPromise } = binaries();
      return grabSnapshot({ session: entry.session, streamPolicy: streamPolicyOf(entry.spec), ffmpegPath: ff, capabilities: await capsPromise, runner, transport, socketTimeoutMs: options.socketTimeoutMs ?? 5000, logger: log() });
    },

    exportClip(request: ClipRequest): Observable<ClipEvent> {
      return new Observable<ClipEvent>((subscriber) => {
        const ctx = context;
        if (!ctx) {
          subscriber.error(new WardwatchError('INVALID_STATE', 'recorder.start() must be called before exportClip()'));
          return undefined;
        }
        const { ffmpegPath: ff, ffprobePath: fp } = binaries();
        return exportClip({ request, root, exportDir: options.exportDir ?? join(root, '.exports'), segments: ctx.segments, ffmpegPath: ff, ffprobePath: fp, runner, logger: ctx.logger }).subscribe(subscriber);
      });
    },

    async enforceRetention() {
      if (!retention) throw new WardwatchError('INVALID_STATE', 'recorder.start() must be called first');
      await retention.runOnce();
    },

    async stop() {
      stopRequested = true;
      ready = false;
      retention?.stop();
      for (const stream of [...frameStreams]) stream.complete();
      await Promise.all([...recordings.values()].map((r) => r.stop()));
      recordings.clear();
      await Promise.allSettled([...background]);
      await retention?.idle();
      await finisher?.close();
      finisher = undefined;
      ticker = undefined;
      if (ownsRunner) await runner.dispose(options.graceMs ?? 4000);
      else await Promise.all(runner.pids().map(() => undefined));
      context = undefined;
      retention = undefined;
    },
  };
  return recorder;
}
