import { redactUrlsIn, WardwatchError, type RecorderSignal, type Segment } from '@wardwatch/core';
import { describeFfmpegExit } from './describe-ffmpeg-exit.js';
import type { FfmpegProgress } from './progress-parser.js';
import type { ProcessExit } from './process-runner.js';

/** Why the recorder itself ended a run that produced no (more) media. */
export type RecordingKillCause = 'connect-timeout' | 'stalled';

/** A stretch without footage whose end is not known yet (it ends when the next run's anchor settles). */
export interface RecordingOutage {
  from: number;
  cause: string;
}

/** State of one ffmpeg run of a camera, from spawn to exit. */
export interface RunState {
  startedAt: number;
  /** Whether this run feeds the live relay too. */
  live: boolean;
  liveFailed: boolean;
  connected: boolean;
  connectedAt: number;
  lastFrame: number;
  lastOutUs: number;
  /** Clock time of the last progress block whose frame count advanced. */
  lastAdvance: number;
  /**
   * Anchor candidate: the least `now − out_time` seen. Until the output has caught up with the live input (ffmpeg
   * buffers while probing), `now − media` only overestimates the wall clock of media time 0, so the minimum is kept.
   */
  anchorMin: number | undefined;
  /** Consecutive samples that agreed with `anchorMin` within 150 ms. */
  stable: number;
  /** The anchor is fixed for the rest of the run (segments of a run stay contiguous). */
  settled: boolean;
  /** Wall-clock time of media time 0 once settled (or the best estimate when the run ended first). */
  anchor: number | undefined;
  /** End of the last segment of this run that was delivered. */
  lastClosedEnd: number | undefined;
  codec: string;
  width: number | undefined;
  height: number | undefined;
  /** The outage this run ends (reported as a gap when its anchor settles). */
  pendingGap: RecordingOutage | undefined;
  killCause: RecordingKillCause | undefined;
  /** Set when the process has exited: why the run ended. */
  cause: string | undefined;
}

/** State of one camera's recording loop: what the reducer below changes, and nothing else does. */
export interface RecordingState {
  stopped: boolean;
  /** End of the latest footage recorded (progress or segments), for the next outage's start. */
  lastMediaEnd: number | undefined;
  outage: RecordingOutage | undefined;
  /** Backoff attempt of the reconnect delay being waited now (0 after a run that connected). */
  retryAttempt: number;
  /** Backoff attempt of the reconnect after the next failure. */
  nextAttempt: number;
  run: RunState | undefined;
}

/** What the reducer needs to know of its camera: its id and the timing thresholds of the resolved options. */
export interface RecordingLimits {
  cameraId: string;
  gapToleranceMs: number;
  stallTimeoutMs: number;
  connectTimeoutMs: number;
}

/** Everything that can happen to a camera's recording, as data. */
export type RecordingAction =
  | { type: 'run-started'; at: number; live: boolean }
  | { type: 'stderr-line'; at: number; line: string }
  | { type: 'progress'; at: number; progress: FfmpegProgress }
  | { type: 'tick'; at: number }
  | { type: 'segment-closed'; segment: Segment }
  | { type: 'segments-recovered'; segments: readonly Segment[] }
  /** `upstreamCause`: why the camera connection failed when ffmpeg could not see it (it talked to a proxy). */
  | { type: 'process-exited'; exit: ProcessExit; upstreamCause?: string }
  | { type: 'run-ended'; at: number; failure?: string }
  | { type: 'stop-requested' };

/** What the shell must do after a transition: signals to emit, a process to end, a journal to write. */
export type RecordingEffect =
  | { type: 'emit'; signal: RecorderSignal }
  | { type: 'kill'; cause: RecordingKillCause }
  | { type: 'anchor-settled'; anchor: number };

/** A new state and the effects of getting there. */
export interface RecordingTransition {
  state: RecordingState;
  effects: RecordingEffect[];
}

/** The first stream line of ffmpeg's input dump: codec and size of the video. */
const STREAM_LINE = /Stream #0:\d+.*?: Video: (\w+).*?(\d{2,5})x(\d{2,5})/;
/** The tee muxer's report that the live output failed (recording goes on). */
const LIVE_FAILED_LINE = /Slave .*(failed|error)|Slave muxer #1 failed/i;
/** Samples this close (ms) to the least anchor count as agreeing with it. */
const ANCHOR_AGREEMENT_MS = 150;
/** An anchor that has not settled this long after the first frame is fixed anyway, ms. */
const ANCHOR_SETTLE_MAX_MS = 10_000;
/** A pause of media inside one connection shorter than this is not a stall, ms. */
const STALL_GAP_MIN_MS = 2000;
/** Most characters of one ffmpeg line quoted in an error (redacted first). */
const MAX_LINE_CHARS = 200;

/** The state of a camera that has not recorded yet; `previousEnd` (the latest indexed footage) opens an outage. */
export function initialRecordingState(previousEnd?: number): RecordingState {
  return {
    stopped: false,
    lastMediaEnd: previousEnd,
    outage: previousEnd !== undefined ? { from: previousEnd, cause: 'recorder-restart' } : undefined,
    retryAttempt: 0,
    nextAttempt: 0,
    run: undefined,
  };
}

function newRun(at: number, live: boolean, pendingGap: RecordingOutage | undefined): RunState {
  return {
    startedAt: at,
    live,
    liveFailed: false,
    connected: false,
    connectedAt: 0,
    lastFrame: 0,
    lastOutUs: 0,
    lastAdvance: at,
    anchorMin: undefined,
    stable: 0,
    settled: false,
    anchor: undefined,
    lastClosedEnd: undefined,
    codec: 'unknown',
    width: undefined,
    height: undefined,
    pendingGap,
    killCause: undefined,
    cause: undefined,
  };
}

const later = (a: number | undefined, b: number): number => Math.max(a ?? 0, b);

function onStderrLine(state: RecordingState, run: RunState, at: number, limits: RecordingLimits, line: string): RecordingTransition {
  let next = run;
  const effects: RecordingEffect[] = [];
  if (run.codec === 'unknown') {
    const m = STREAM_LINE.exec(line);
    if (m) next = { ...next, codec: m[1]!, width: Number(m[2]), height: Number(m[3]) };
  }
  if (!run.liveFailed && run.live && LIVE_FAILED_LINE.test(line)) {
    next = { ...next, liveFailed: true };
    const error = new WardwatchError('FFMPEG_FAILED', `Live output failed; recording goes on: ${redactUrlsIn(line).slice(0, MAX_LINE_CHARS)}`, {
      details: { cameraId: limits.cameraId },
    });
    effects.push({ type: 'emit', signal: { type: 'error', at, error } });
  }
  return { state: next === run ? state : { ...state, run: next }, effects };
}

function onProgress(state: RecordingState, run: RunState, at: number, limits: RecordingLimits, p: FfmpegProgress): RecordingTransition {
  if (!(p.frame > run.lastFrame && p.outTimeUs !== undefined)) return { state, effects: [] };
  const effects: RecordingEffect[] = [];
  const pausedMs = at - run.lastAdvance;
  const next: RunState = { ...run, lastFrame: p.frame, lastOutUs: p.outTimeUs, lastAdvance: at };
  let outage = state.outage;
  if (!run.connected) {
    next.connected = true;
    next.connectedAt = at;
    outage = undefined;
    effects.push({ type: 'emit', signal: { type: 'connected', at } });
  }
  if (!run.settled) {
    const candidate = Math.round(at - p.outTimeUs / 1000);
    next.stable = run.anchorMin === undefined || candidate < run.anchorMin - ANCHOR_AGREEMENT_MS ? 0 : run.stable + 1;
    next.anchorMin = Math.min(run.anchorMin ?? candidate, candidate);
    if (next.stable >= 2 || at - next.connectedAt > ANCHOR_SETTLE_MAX_MS) {
      next.settled = true;
      next.anchor = next.anchorMin;
      effects.push({ type: 'anchor-settled', anchor: next.anchorMin });
      const gap = run.pendingGap;
      if (gap && next.anchorMin - gap.from > limits.gapToleranceMs) {
        effects.push({ type: 'emit', signal: { type: 'gap', from: gap.from, to: next.anchorMin, cause: gap.cause } });
      }
    }
  } else if (run.anchor !== undefined && pausedMs > Math.max(STALL_GAP_MIN_MS, limits.gapToleranceMs)) {
    // media stopped and came back within the same connection (a stall): the timeline has a hole. ffmpeg's
    // out_time does not reliably follow timestamp jumps, so the resume time is the wall clock minus the frames
    // received since, at the frame rate seen before the stall.
    const from = run.anchor + Math.round(run.lastOutUs / 1000);
    const frameMs = run.lastFrame > 0 && run.lastOutUs > 0 ? run.lastOutUs / 1000 / run.lastFrame : 0;
    const to = Math.max(from, Math.round(at - (p.frame - run.lastFrame) * frameMs));
    if (to - from > limits.gapToleranceMs) effects.push({ type: 'emit', signal: { type: 'gap', from, to, cause: 'stalled' } });
  }
  const signal: RecorderSignal = { type: 'progress', at };
  if (p.fps !== undefined) signal.fps = p.fps;
  if (p.bitrateKbps !== undefined) signal.bitrateKbps = p.bitrateKbps;
  if (next.width !== undefined) signal.width = next.width;
  if (next.height !== undefined) signal.height = next.height;
  effects.push({ type: 'emit', signal });
  return { state: { ...state, outage, lastMediaEnd: later(state.lastMediaEnd, at), run: next }, effects };
}

function onTick(state: RecordingState, run: RunState, at: number, limits: RecordingLimits): RecordingTransition {
  if (run.killCause !== undefined || run.cause !== undefined) return { state, effects: [] };
  let killCause: RecordingKillCause | undefined;
  if (!run.connected && at - run.startedAt > limits.connectTimeoutMs) killCause = 'connect-timeout';
  else if (run.connected && at - run.lastAdvance > limits.stallTimeoutMs) killCause = 'stalled';
  if (!killCause) return { state, effects: [] };
  return { state: { ...state, run: { ...run, killCause } }, effects: [{ type: 'kill', cause: killCause }] };
}

function onExit(state: RecordingState, run: RunState, limits: RecordingLimits, exit: ProcessExit, upstreamCause: string | undefined): RecordingTransition {
  const effects: RecordingEffect[] = [];
  // media came but the run ended before its anchor settled: the hole before it is reported all the same
  const gap = run.pendingGap;
  if (!run.settled && run.connected && gap && run.anchorMin !== undefined && run.anchorMin - gap.from > limits.gapToleranceMs) {
    effects.push({ type: 'emit', signal: { type: 'gap', from: gap.from, to: run.anchorMin, cause: gap.cause } });
  }
  const cause = state.stopped ? 'stopped' : (run.killCause ?? upstreamCause ?? describeFfmpegExit(exit));
  return { state: { ...state, run: { ...run, anchor: run.anchor ?? run.anchorMin, cause } }, effects };
}

function onRunEnded(state: RecordingState, at: number, failure: string | undefined): RecordingTransition {
  const run = state.run;
  const connected = failure === undefined && run?.connected === true;
  const cause = failure ?? run?.cause ?? 'stopped';
  const base: RecordingState = { ...state, run: undefined };
  if (state.stopped) return { state: base, effects: [] };
  const effects: RecordingEffect[] = [];
  if (connected || state.outage === undefined) effects.push({ type: 'emit', signal: { type: 'disconnected', at, cause } });
  const outage = state.outage ?? { from: state.lastMediaEnd ?? at, cause };
  // the first retry after a connection that worked, or after the first failure, waits the initial delay
  const retryAttempt = connected ? 0 : state.nextAttempt;
  return { state: { ...base, outage, retryAttempt, nextAttempt: retryAttempt + 1 }, effects };
}

/**
 * The one place the recording state of a camera changes: a pure function from a state and an action to the next
 * state and the effects to carry out (TanStack Query's `#dispatch` model). The recording shell only dispatches
 * actions and performs effects, so every transition can be tested as a function.
 */
export function reduceRecording(state: RecordingState, action: RecordingAction, limits: RecordingLimits): RecordingTransition {
  const run = state.run;
  switch (action.type) {
    case 'run-started':
      return { state: { ...state, run: newRun(action.at, action.live, state.outage) }, effects: [] };
    case 'stderr-line':
      return run ? onStderrLine(state, run, action.at, limits, action.line) : { state, effects: [] };
    case 'progress':
      return run && run.cause === undefined ? onProgress(state, run, action.at, limits, action.progress) : { state, effects: [] };
    case 'tick':
      return run ? onTick(state, run, action.at, limits) : { state, effects: [] };
    case 'segment-closed': {
      const { segment } = action;
      const next = run ? { ...run, lastClosedEnd: segment.end } : run;
      return { state: { ...state, lastMediaEnd: later(state.lastMediaEnd, segment.end), run: next }, effects: [{ type: 'emit', signal: { type: 'segment', segment } }] };
    }
    case 'segments-recovered': {
      let lastMediaEnd = state.lastMediaEnd;
      for (const segment of action.segments) lastMediaEnd = later(lastMediaEnd, segment.end);
      return { state: { ...state, lastMediaEnd }, effects: action.segments.map((segment) => ({ type: 'emit', signal: { type: 'segment', segment } })) };
    }
    case 'process-exited':
      return run ? onExit(state, run, limits, action.exit, action.upstreamCause) : { state, effects: [] };
    case 'run-ended':
      return onRunEnded(state, action.at, action.failure);
    case 'stop-requested':
      return { state: { ...state, stopped: true }, effects: [] };
  }
}
