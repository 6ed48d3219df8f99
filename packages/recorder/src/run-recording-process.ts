import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Subscription } from 'rxjs';
import { redactUrlsIn, WardwatchError, type Logger, type Segment, type SerialQueue } from '@wardwatch/core';
import type { CameraRecordingConfig } from './camera-recording.js';
import { closeSegment } from './close-segment.js';
import { createLineBuffer } from './line-splitter.js';
import { nextRunId } from './next-run-id.js';
import type { ManagedProcess } from './process-runner.js';
import { createProgressParser, type FfmpegProgress } from './progress-parser.js';
import { openCameraInput, type CameraInput } from './open-camera-input.js';
import { buildRecordArgs } from './record-command.js';
import type { RecordingAction, RecordingEffect, RecordingState, RunState } from './recording-reducer.js';
import { recoverIncoming, type RunJournal } from './recover-segments.js';
import { openReportPipe, type ReportPipe } from './report-pipe.js';
import { parseSegmentListLine } from './segment-list-parser.js';

/** A process that ignored SIGTERM this long after a watchdog kill gets SIGKILL, ms. */
const KILL_GRACE_MS = 3000;

/** What one run of the recording process shares with its camera's recording loop. */
export interface RunContext {
  config: CameraRecordingConfig;
  /** The camera's logger (carries `cameraId`). */
  logger: Logger;
  /** The camera's `.incoming` directory. */
  incoming: string;
  state(): RecordingState;
  dispatch(action: RecordingAction): void;
  /** Receives the run-specific effects (`kill`, `anchor-settled`) of the actions this run dispatches. */
  onRunEffect(handler: ((effect: RecordingEffect) => void) | undefined): void;
  /** Reports an error as a signal (with the camera id in its details). */
  emitError(error: WardwatchError): void;
  /** Publishes the running process (for `stop()` and `pid()`). */
  setProcess(proc: ManagedProcess | undefined): void;
  /** Segments of this camera being finished, in order; the recording waits for it before it completes. */
  closing: SerialQueue;
  /** The id of the camera's last run (set by each run), below which no later run's id goes. */
  lastRunId?: number;
}

/** The journal of a run, as written beside its segments for recovery. */
function journalOf(run: RunState | undefined): RunJournal {
  const journal: RunJournal = {};
  if (run?.anchor !== undefined) journal.anchor = run.anchor;
  if (run && run.codec !== 'unknown') journal.codec = run.codec;
  if (run?.lastClosedEnd !== undefined) journal.lastClosedEnd = run.lastClosedEnd;
  return journal;
}

/** Step 1: the report pipe and the arguments of a run; `undefined` when a stop came meanwhile. */
async function prepareRun(ctx: RunContext, runId: string): Promise<{ reports: ReportPipe; input: CameraInput; args: string[]; live: boolean } | undefined> {
  const { config } = ctx;
  if (ctx.state().stopped) return undefined;
  const liveUrl = config.liveUrl?.();
  const reports = await openReportPipe(ctx.incoming, runId);
  // stop() came while the pipe was being made: it found no process to stop, so none may start
  if (ctx.state().stopped) {
    reports.close();
    return undefined;
  }
  let input: CameraInput;
  try {
    // credentials stay off ffmpeg's command line: they go through a one-time loopback proxy
    input = await openCameraInput(config.inputUri, ctx.logger, config.connectTimeoutMs);
  } catch (error) {
    reports.close();
    throw error;
  }
  if (ctx.state().stopped) {
    reports.close();
    input.close();
    return undefined;
  }
  const args = buildRecordArgs({
    inputUri: input.url,
    transport: config.transport,
    socketTimeoutMs: config.socketTimeoutMs,
    segmentSeconds: config.segmentSeconds,
    segmentPattern: join(ctx.incoming, `${runId}-%06d.mp4`),
    reportPath: reports.path,
    ...(liveUrl ? { liveUrl } : {}),
    includeAudio: config.includeAudio,
    capabilities: config.capabilities,
  });
  return { reports, input, args, live: Boolean(liveUrl) };
}

/** Step 2: reads the report pipe on the shared ticker: progress and segment list lines become actions. */
function watchRun(ctx: RunContext, proc: ManagedProcess, reports: ReportPipe, runId: string): { stop(): void; drainRest(): void } {
  const { config } = ctx;
  let anchorSettled!: () => void;
  const settled = new Promise<void>((resolve) => (anchorSettled = resolve));
  let killTimer: Subscription | undefined;
  ctx.onRunEffect((effect) => {
    if (effect.type === 'anchor-settled') {
      const journalPath = join(ctx.incoming, `${runId}.json`);
      writeFile(journalPath, JSON.stringify(journalOf(ctx.state().run))).catch((error: unknown) =>
        ctx.logger.warn({ err: error, journalPath }, 'run journal could not be written; recovery will estimate times'),
      );
      anchorSettled();
    } else if (effect.type === 'kill') {
      ctx.logger.warn({ cause: effect.cause }, 'no media; restarting the recording process');
      proc.kill('SIGTERM');
      killTimer = config.clock.schedule(() => proc.kill('SIGKILL'), KILL_GRACE_MS);
    }
  });
  const finishDeps = {
    cameraId: config.cameraId,
    root: config.root,
    incoming: ctx.incoming,
    finisher: config.finisher,
    now: () => config.clock.now(),
    onJournalError: (error: string) => ctx.logger.warn({ error }, 'segment placed, but its run journal could not be written'),
  };
  const onListLine = (line: string): void => {
    const entry = parseSegmentListLine(line);
    if (!entry) return;
    // segment times need the settled anchor; a process that ends first falls back to the best estimate
    const ready = Promise.race([settled, proc.exited.then(() => undefined)]);
    // the errors are handled inside the task, so they are emitted before the queue counts as idle
    void ctx.closing.run(async () => {
      try {
        await ready;
        const run = ctx.state().run;
        const journal = journalOf(run);
        journal.anchor ??= run?.anchorMin;
        if (journal.anchor === undefined) delete journal.anchor;
        const segment = await closeSegment(finishDeps, entry, runId, journal, run?.codec ?? 'unknown');
        if (segment) ctx.dispatch({ type: 'segment-closed', segment });
        else ctx.logger.warn({ file: entry.file }, 'closed segment is missing or empty; skipped');
      } catch (error) {
        const wrapped = error instanceof WardwatchError ? error : new WardwatchError('STORAGE_IO', 'Could not finish a segment', { cause: error, details: { cameraId: config.cameraId } });
        ctx.logger.error({ err: wrapped }, 'segment close failed');
        ctx.emitError(wrapped);
      }
    });
  };
  // of the blocks read in one tick only the newest counts (older ones would be stale samples of the same moment)
  let newest: FfmpegProgress | undefined;
  const onProgressLine = createProgressParser((p) => (newest = p));
  // progress lines are `key=value`; segment list lines are CSV of a file name (which has no '=') and two times
  const reportLines = createLineBuffer((line) => (line.includes('=') ? onProgressLine(line) : onListLine(line)));
  // progress and the connect/stall watchdog run on the recorder's shared ticker (the injected clock)
  const untick = config.ticker.add({
    // fast only between the first frame and the settled anchor (a camera that cannot connect ticks slowly)
    wantsFast: () => ctx.state().run?.connected === true && !ctx.state().run?.settled,
    tick(now) {
      try {
        reportLines.push(reports.drain());
      } catch (error) {
        // the pipe cannot be read (it should not happen): the watchdog restarts the process
        ctx.emitError(new WardwatchError('STORAGE_IO', 'Could not read the recording report', { cause: error, details: { cameraId: config.cameraId } }));
      }
      if (newest) ctx.dispatch({ type: 'progress', at: now, progress: newest });
      newest = undefined;
      ctx.dispatch({ type: 'tick', at: now });
    },
  });
  return {
    stop() {
      untick();
      killTimer?.unsubscribe();
      ctx.onRunEffect(undefined);
    },
    // the last segment is listed as ffmpeg exits
    drainRest() {
      reportLines.push(reports.drainAll());
      reportLines.end();
    },
  };
}

/** Step 3: after the exit, the files the process left unlisted (killed mid-segment) are repaired and indexed. */
async function recoverLeftovers(ctx: RunContext): Promise<readonly Segment[]> {
  const { config } = ctx;
  try {
    // with any file an earlier recovery had to hold back (no run of this camera is recording between two runs)
    return await recoverIncoming({ root: config.root, ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath, runner: config.runner, logger: ctx.logger }, config.cameraId);
  } catch (error) {
    ctx.logger.error({ err: error }, 'post-run recovery failed');
    return [];
  }
}

/**
 * One run of a camera's recording process, in named steps: prepare (report pipe, arguments), spawn, watch (the
 * report pipe read on the shared ticker; progress, segment list and watchdog become actions), drain and wait for
 * the segments being finished, recover what the process left unlisted. Everything that changes state is an action
 * dispatched to the recording's reducer.
 */
export async function runRecordingProcess(ctx: RunContext): Promise<void> {
  const { config } = ctx;
  await mkdir(ctx.incoming, { recursive: true, mode: 0o750 });
  // unique and increasing per camera even when the wall clock steps back: journal and segment names stay apart
  ctx.lastRunId = await nextRunId(ctx.incoming, ctx.lastRunId, config.clock.now());
  const runId = String(ctx.lastRunId);
  const prepared = await prepareRun(ctx, runId);
  if (!prepared) return;
  const { reports, input, args, live } = prepared;
  ctx.dispatch({ type: 'run-started', at: config.clock.now(), live });
  let proc: ManagedProcess;
  try {
    proc = config.runner.spawn(config.ffmpegPath, args, { env: { TZ: 'UTC' }, onStderrLine: (line) => ctx.dispatch({ type: 'stderr-line', at: config.clock.now(), line }) });
  } catch (error) {
    reports.close();
    input.close();
    throw error;
  }
  ctx.setProcess(proc);
  ctx.logger.info({ pid: proc.pid, uri: redactUrlsIn(config.inputUri) }, 'recording process started');
  const watch = watchRun(ctx, proc, reports, runId);
  const exit = await proc.exited;
  watch.stop();
  try {
    watch.drainRest();
  } catch (error) {
    ctx.emitError(new WardwatchError('STORAGE_IO', 'Could not read the end of the recording report', { cause: error, details: { cameraId: config.cameraId } }));
  } finally {
    reports.close();
    input.close();
    ctx.setProcess(undefined);
  }
  const upstream = input.failure();
  ctx.dispatch({ type: 'process-exited', exit, ...(upstream ? { upstreamCause: upstream } : {}) });
  await ctx.closing.idle();
  ctx.dispatch({ type: 'segments-recovered', segments: await recoverLeftovers(ctx) });
  const tail = exit.stderrTail.slice(-5).map((line) => redactUrlsIn(line).slice(0, 300));
  ctx.logger.info({ code: exit.code, signal: exit.signal, cause: ctx.state().run?.cause, tail }, 'recording process ended');
}
