import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Observable, type Subscription } from 'rxjs';
import { redactUrl, WardwatchError, type Clock, type Logger, type RecorderSignal, type Segment } from '@wardwatch/core';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import type { FfmpegCapabilities } from './ffmpeg-capabilities.js';
import { ffmpegFailureCause } from './ffmpeg-failure.js';
import { createLineBuffer } from './line-splitter.js';
import type { ManagedProcess, ProcessRunner } from './process-runner.js';
import { createProgressParser, type FfmpegProgress } from './progress-parser.js';
import { buildRecordArgs } from './record-command.js';
import { openReportPipe } from './report-pipe.js';
import { INCOMING_DIR, recoverIncoming, type RunJournal } from './recover-segments.js';
import type { SegmentFinisher } from './segment-finisher.js';
import { parseSegmentListLine, type SegmentListEntry } from './segment-list-parser.js';
import { resolveInside, segmentRelativePath } from './segment-path.js';
import type { Ticker } from './ticker.js';

/** Everything one camera's recording loop needs. */
export interface CameraRecordingConfig {
  cameraId: string;
  inputUri: string;
  root: string;
  ffmpegPath: string;
  ffprobePath: string;
  capabilities: FfmpegCapabilities;
  runner: ProcessRunner;
  /** Drives progress reading and the connect/stall watchdog of every camera (one timer for all). */
  ticker: Ticker;
  /** Moves, journals and hashes closed segments off the main thread. */
  finisher: SegmentFinisher;
  clock: Clock;
  logger: Logger;
  segmentSeconds: number;
  transport: 'tcp' | 'udp';
  socketTimeoutMs: number;
  /** No media progress for this long kills the process and reconnects, ms. */
  stallTimeoutMs: number;
  /** Giving up on a connection attempt that never produced media, ms. */
  connectTimeoutMs: number;
  graceMs: number;
  backoff: BackoffOptions;
  includeAudio: boolean;
  /** Holes smaller than this between runs are not reported as gaps, ms. */
  gapToleranceMs: number;
  /** End of the last footage already recorded (e.g. the latest indexed segment), for the first gap. */
  previousEnd?: number;
  /** RTMP URL of the live relay, resolved at each (re)connect. */
  liveUrl?: () => string | undefined;
  /** Where segments go when nobody is subscribed any more (the last segment after unsubscribe). */
  orphanSink: (segment: Segment) => void;
}

/** A running camera recording: its signals and a graceful stop. */
export interface CameraRecording {
  readonly signals$: Observable<RecorderSignal>;
  /** Stops the process gracefully, waits for its last segment to be delivered, completes `signals$`. */
  stop(): Promise<void>;
  /** Pid of the current ffmpeg process, if any. */
  pid(): number | undefined;
}

function describeExit(code: number | null, signal: string | null, tail: string[]): string {
  const cause = ffmpegFailureCause(tail.join('\n'));
  if (cause) return cause;
  if (code === 0 && signal === null) return 'stream-ended';
  const last = tail.filter((l) => l.trim()).slice(-1)[0] ?? '';
  return `ffmpeg exited (${signal ?? `code ${code}`})${last ? `: ${last.trim().slice(0, 200)}` : ''}`;
}

const STREAM_LINE = /Stream #0:\d+.*?: Video: (\w+).*?(\d{2,5})x(\d{2,5})/;

/** Starts recording one camera: ffmpeg runs with reconnect (exponential backoff with jitter) until stopped. */
export function startCameraRecording(config: CameraRecordingConfig): CameraRecording {
  const { cameraId, clock, runner } = config;
  const logger = config.logger.child({ cameraId });
  const camDir = resolveInside(config.root, cameraId);
  const incoming = join(camDir, INCOMING_DIR);
  const listeners = new Set<(signal: RecorderSignal) => void>();
  const completers = new Set<() => void>();
  let stopped = false;
  let current: ManagedProcess | undefined;
  let wake: (() => void) | undefined;
  let lastMediaEnd = config.previousEnd;
  let outage: { from: number; cause: string } | undefined =
    config.previousEnd !== undefined ? { from: config.previousEnd, cause: 'recorder-restart' } : undefined;
  let closing: Promise<void> = Promise.resolve();

  const emit = (signal: RecorderSignal): void => {
    if (signal.type === 'segment' && listeners.size === 0) {
      config.orphanSink(signal.segment);
      return;
    }
    for (const l of [...listeners]) l(signal);
  };

  async function closeSegment(entry: SegmentListEntry, runId: string, journal: RunJournal, codec: () => string): Promise<void> {
    const anchor = journal.anchor ?? clock.now() - Math.round(entry.end * 1000);
    const mediaStart = Math.round(anchor + entry.start * 1000);
    const end = Math.max(mediaStart, Math.round(anchor + entry.end * 1000));
    try {
      const job = { src: join(incoming, entry.file), journalPath: join(incoming, `${runId}.json`), journalText: JSON.stringify({ ...journal, lastClosedEnd: end }) };
      // two files never share a name: on a clash the next free millisecond is taken
      for (let start = mediaStart; start < mediaStart + 1000; start++) {
        const rel = segmentRelativePath(cameraId, start);
        const result = await config.finisher.finish({ ...job, dest: resolveInside(config.root, rel) });
        if (result.type === 'taken') continue;
        if (result.type === 'empty') {
          logger.warn({ file: entry.file }, 'closed segment is missing or empty; skipped');
          return;
        }
        journal.lastClosedEnd = end;
        lastMediaEnd = Math.max(lastMediaEnd ?? 0, end);
        emit({ type: 'segment', segment: { cameraId, start, end, path: rel, bytes: result.bytes, codec: codec(), sha256: result.sha256 } });
        return;
      }
      throw new WardwatchError('STORAGE_IO', `no free segment name near ${mediaStart}`);
    } catch (error) {
      // a coded cause (DISK_FULL, CANCELLED, ...) keeps its code
      const code = error instanceof WardwatchError ? error.code : 'STORAGE_IO';
      const wrapped = new WardwatchError(code, `Could not finish segment ${entry.file}`, { cause: error, details: { cameraId } });
      logger.error({ err: wrapped }, 'segment close failed');
      emit({ type: 'error', at: clock.now(), error: wrapped });
    }
  }

  async function runOnce(): Promise<{ connected: boolean; cause: string }> {
    const runId = String(clock.now());
    await mkdir(incoming, { recursive: true });
    if (stopped) return { connected: false, cause: 'stopped' };
    const journal: RunJournal = {};
    let codec = 'unknown';
    let width: number | undefined;
    let height: number | undefined;
    const liveUrl = config.liveUrl?.();
    const reports = await openReportPipe(incoming, runId);
    // stop() came while the pipe was being made: it found no process to stop, so none may start
    if (stopped) {
      reports.close();
      return { connected: false, cause: 'stopped' };
    }
    const args = buildRecordArgs({
      inputUri: config.inputUri,
      transport: config.transport,
      socketTimeoutMs: config.socketTimeoutMs,
      segmentSeconds: config.segmentSeconds,
      segmentPattern: join(incoming, `${runId}-%06d.mp4`),
      reportPath: reports.path,
      ...(liveUrl ? { liveUrl } : {}),
      includeAudio: config.includeAudio,
      capabilities: config.capabilities,
    });
    let liveFailed = false;
    const onStderrLine = (line: string): void => {
      if (codec === 'unknown') {
        const m = STREAM_LINE.exec(line);
        if (m) {
          codec = m[1]!;
          width = Number(m[2]);
          height = Number(m[3]);
          journal.codec = codec;
        }
      }
      if (!liveFailed && liveUrl && /Slave .*(failed|error)|Slave muxer #1 failed/i.test(line)) {
        liveFailed = true;
        emit({
          type: 'error',
          at: clock.now(),
          error: new WardwatchError('FFMPEG_FAILED', `Live output failed; recording goes on: ${redactUrl(line.replace(/rtmp:\/\/\S+/g, (u) => redactUrl(u)))}`, { details: { cameraId } }),
        });
      }
    };
    let proc: ManagedProcess;
    try {
      proc = runner.spawn(config.ffmpegPath, args, { env: { TZ: 'UTC' }, onStderrLine });
    } catch (error) {
      reports.close();
      throw error;
    }
    current = proc;
    logger.info({ pid: proc.pid, uri: redactUrl(config.inputUri) }, 'recording process started');
    let connected = false;
    let lastFrame = 0;
    let lastOutUs = 0;
    let lastAdvance = clock.now();
    const startedAt = clock.now();
    let connectedAt = 0;
    let killCause: string | undefined;
    // Anchor = wall clock of media time 0. Until the output has caught up with the live input (ffmpeg buffers
    // while probing), now - media only overestimates it, so the minimum is kept; once three consecutive samples
    // agree within 150 ms (or 10 s passed) it is settled and fixed, so the segments of a run stay contiguous.
    // From the first frame until then the progress pipe is read on the ticker's fast period (50 ms), so a sample
    // is at most that much late.
    let anchorMin: number | undefined;
    let stable = 0;
    let settled = false;
    let settle!: () => void;
    const anchorSettled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const pendingGap = outage;

    const onProgress = (p: FfmpegProgress, now: number): void => {
      if (!(p.frame > lastFrame && p.outTimeUs !== undefined)) return;
      const pausedMs = now - lastAdvance;
      const previousOutUs = lastOutUs;
      const previousFrame = lastFrame;
      lastFrame = p.frame;
      lastOutUs = p.outTimeUs;
      lastAdvance = now;
      const candidate = Math.round(now - p.outTimeUs / 1000);
      if (!connected) {
        connected = true;
        connectedAt = now;
        outage = undefined;
        emit({ type: 'connected', at: now });
      }
      if (!settled) {
        if (anchorMin === undefined || candidate < anchorMin - 150) stable = 0;
        else stable++;
        anchorMin = Math.min(anchorMin ?? candidate, candidate);
        if (stable >= 2 || now - connectedAt > 10_000) {
          settled = true;
          journal.anchor = anchorMin;
          void writeFile(join(incoming, `${runId}.json`), JSON.stringify(journal)).catch(() => undefined);
          if (pendingGap && anchorMin - pendingGap.from > config.gapToleranceMs) {
            emit({ type: 'gap', from: pendingGap.from, to: anchorMin, cause: pendingGap.cause });
          }
          settle();
        }
      } else if (journal.anchor !== undefined && pausedMs > Math.max(2000, config.gapToleranceMs)) {
        // media stopped and came back within the same connection (a stall): the timeline has a hole. ffmpeg's
        // out_time does not reliably follow timestamp jumps, so the resume time is the wall clock minus the
        // frames received since, at the frame rate seen before the stall.
        const from = journal.anchor + Math.round(previousOutUs / 1000);
        const frameMs = previousFrame > 0 && previousOutUs > 0 ? previousOutUs / 1000 / previousFrame : 0;
        const to = Math.max(from, Math.round(now - (p.frame - previousFrame) * frameMs));
        if (to - from > config.gapToleranceMs) emit({ type: 'gap', from, to, cause: 'stalled' });
      }
      lastMediaEnd = Math.max(lastMediaEnd ?? 0, now);
      const signal: RecorderSignal = { type: 'progress', at: now };
      if (p.fps !== undefined) signal.fps = p.fps;
      if (p.bitrateKbps !== undefined) signal.bitrateKbps = p.bitrateKbps;
      if (width !== undefined) signal.width = width;
      if (height !== undefined) signal.height = height;
      emit(signal);
    };
    // of the blocks read in one tick only the newest counts (older ones would be stale samples of the same moment)
    let newest: FfmpegProgress | undefined;
    const onProgressLine = createProgressParser((p) => (newest = p));
    const onListLine = (line: string): void => {
      const entry = parseSegmentListLine(line);
      if (!entry) return;
      // segment times need the settled anchor; a process that ends first falls back to the best estimate
      const ready = Promise.race([anchorSettled, proc.exited.then(() => undefined)]);
      closing = closing
        .then(() => ready)
        .then(() => {
          if (journal.anchor === undefined && anchorMin !== undefined) journal.anchor = anchorMin;
          return closeSegment(entry, runId, journal, () => codec);
        });
    };
    // progress lines are `key=value`; segment list lines are CSV of a file name (which has no '=') and two times
    const reportLines = createLineBuffer((line) => (line.includes('=') ? onProgressLine(line) : onListLine(line)));

    // progress and the connect/stall watchdog run on the recorder's shared ticker (the injected clock: virtual
    // time in tests); once a second is precise enough for timeouts of several seconds
    let killTimer: Subscription | undefined;
    const untick = config.ticker.add({
      // fast only between the first frame and the settled anchor (a camera that cannot connect ticks slowly)
      wantsFast: () => connected && !settled,
      tick(now) {
        try {
          reportLines.push(reports.drain());
        } catch (error) {
          // the pipe cannot be read (it should not happen): the watchdog below restarts the process
          emit({ type: 'error', at: now, error: new WardwatchError('STORAGE_IO', 'Could not read the recording report', { cause: error, details: { cameraId } }) });
        }
        if (newest) onProgress(newest, now);
        newest = undefined;
        if (killCause !== undefined) return;
        if (!connected && now - startedAt > config.connectTimeoutMs) killCause = 'connect-timeout';
        else if (connected && now - lastAdvance > config.stallTimeoutMs) killCause = 'stalled';
        else return;
        logger.warn({ cause: killCause }, 'no media; restarting the recording process');
        proc.kill('SIGTERM');
        killTimer = clock.schedule(() => proc.kill('SIGKILL'), 3000);
      },
    });
    const exit = await proc.exited;
    untick();
    try {
      // the last segment is listed as ffmpeg exits
      reportLines.push(reports.drainAll());
      reportLines.end();
    } catch (error) {
      emit({ type: 'error', at: clock.now(), error: new WardwatchError('STORAGE_IO', 'Could not read the end of the recording report', { cause: error, details: { cameraId } }) });
    } finally {
      reports.close();
      killTimer?.unsubscribe();
      current = undefined;
    }
    // media came but the run ended before its anchor settled: the hole before it is reported all the same
    if (!settled && connected && pendingGap && anchorMin !== undefined && anchorMin - pendingGap.from > config.gapToleranceMs) {
      emit({ type: 'gap', from: pendingGap.from, to: anchorMin, cause: pendingGap.cause });
    }
    await closing;
    // anything the process left unlisted (killed mid-segment) is repaired and indexed now, with any file an earlier
    // recovery had to hold back (no run of this camera is recording between two runs)
    const leftovers = await recoverIncoming(
      { root: config.root, ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath, runner, logger },
      cameraId,
    ).catch((error: unknown) => {
      logger.error({ err: error }, 'post-run recovery failed');
      return [] as Segment[];
    });
    for (const segment of leftovers) {
      lastMediaEnd = Math.max(lastMediaEnd ?? 0, segment.end);
      emit({ type: 'segment', segment });
    }
    const cause = stopped ? 'stopped' : (killCause ?? describeExit(exit.code, exit.signal, exit.stderrTail.map((l) => l.replace(/rtsps?:\/\/\S+/g, (u) => redactUrl(u)))));
    logger.info({ code: exit.code, signal: exit.signal, cause, tail: exit.stderrTail.slice(-5) }, 'recording process ended');
    return { connected, cause };
  }

  async function loop(): Promise<void> {
    let attempt = 0;
    while (!stopped) {
      let result: { connected: boolean; cause: string };
      try {
        result = await runOnce();
      } catch (error) {
        const wrapped = error instanceof WardwatchError ? error : new WardwatchError('FFMPEG_FAILED', 'Recording process failed to start', { cause: error, details: { cameraId } });
        emit({ type: 'error', at: clock.now(), error: wrapped });
        result = { connected: false, cause: wrapped.message };
      }
      if (stopped) break;
      if (result.connected || outage === undefined) {
        emit({ type: 'disconnected', at: clock.now(), cause: result.cause });
      }
      if (outage === undefined) outage = { from: lastMediaEnd ?? clock.now(), cause: result.cause };
      // the first retry after a connection that worked, or after the first failure, waits `initialMs`
      if (result.connected) attempt = 0;
      const delay = backoffDelay(attempt, config.backoff);
      attempt++;
      await new Promise<void>((resolve) => {
        const sub = clock.schedule(() => {
          wake = undefined;
          resolve();
        }, delay);
        wake = () => {
          sub.unsubscribe();
          wake = undefined;
          resolve();
        };
      });
    }
  }

  const done = loop().catch((error: unknown) => logger.error({ err: error }, 'recording loop failed'));

  const signals$ = new Observable<RecorderSignal>((subscriber) => {
    const listener = (s: RecorderSignal): void => subscriber.next(s);
    const complete = (): void => subscriber.complete();
    listeners.add(listener);
    completers.add(complete);
    return () => {
      listeners.delete(listener);
      completers.delete(complete);
    };
  });

  let stopping: Promise<void> | undefined;
  return {
    signals$,
    pid: () => current?.pid,
    stop() {
      stopping ??= (async () => {
        stopped = true;
        wake?.();
        await current?.stop(config.graceMs);
        await done;
        await closing;
        for (const c of [...completers]) c();
      })();
      return stopping;
    },
  };
}
