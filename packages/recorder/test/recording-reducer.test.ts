import { describe, expect, it } from 'vitest';
import type { Segment } from '@wardwatch/core';
import { initialRecordingState, reduceRecording, type RecordingAction, type RecordingEffect, type RecordingState } from '../src/recording-reducer.js';

const limits = { cameraId: 'cam-r', gapToleranceMs: 1000, stallTimeoutMs: 8000, connectTimeoutMs: 15_000 };
const T0 = 1_000_000;

/** Applies actions in order; returns the final state and every effect. */
function run(actions: RecordingAction[], from: RecordingState = initialRecordingState()): { state: RecordingState; effects: RecordingEffect[] } {
  let state = from;
  const effects: RecordingEffect[] = [];
  for (const action of actions) {
    const t = reduceRecording(state, action, limits);
    state = t.state;
    effects.push(...t.effects);
  }
  return { state, effects };
}

const progress = (at: number, frame: number, outMs: number): RecordingAction => ({ type: 'progress', at, progress: { frame, outTimeUs: outMs * 1000, fps: 10, end: false } });
const emitted = (effects: RecordingEffect[]) => effects.flatMap((e) => (e.type === 'emit' ? [e.signal] : []));

describe('reduceRecording (pure)', () => {
  it('is pure: the state given is never changed', () => {
    const before = initialRecordingState(T0 - 5000);
    const frozen = JSON.stringify(before);
    run([{ type: 'run-started', at: T0, live: false }, progress(T0 + 1000, 10, 1000)], before);
    expect(JSON.stringify(before)).toBe(frozen);
  });

  it('connects on the first advancing frame and settles the anchor after three agreeing samples, closing the outage with a gap', () => {
    const { state, effects } = run(
      [{ type: 'run-started', at: T0, live: false }, progress(T0 + 1500, 5, 500), progress(T0 + 2000, 10, 1000), progress(T0 + 2500, 15, 1500)],
      initialRecordingState(T0 - 60_000),
    );
    const signals = emitted(effects);
    expect(signals[0]).toEqual({ type: 'connected', at: T0 + 1500 });
    expect(effects).toContainEqual({ type: 'anchor-settled', anchor: T0 + 1000 });
    expect(signals).toContainEqual({ type: 'gap', from: T0 - 60_000, to: T0 + 1000, cause: 'recorder-restart' });
    expect(state.run).toMatchObject({ connected: true, settled: true, anchor: T0 + 1000 });
    expect(state.outage).toBeUndefined();
    expect(state.lastMediaEnd).toBe(T0 + 2500);
  });

  it('keeps the least anchor while the output catches up (samples that disagree restart the count)', () => {
    const { state, effects } = run([{ type: 'run-started', at: T0, live: false }, progress(T0 + 3000, 5, 500), progress(T0 + 3100, 30, 3000), progress(T0 + 3600, 35, 3500)]);
    expect(state.run).toMatchObject({ anchorMin: T0 + 100, stable: 1, settled: false });
    expect(effects.some((e) => e.type === 'anchor-settled')).toBe(false);
  });

  it('asks for a kill on connect timeout and on a stall, once', () => {
    const notConnected = run([{ type: 'run-started', at: T0, live: false }, { type: 'tick', at: T0 + 15_001 }, { type: 'tick', at: T0 + 16_000 }]);
    expect(notConnected.effects).toEqual([{ type: 'kill', cause: 'connect-timeout' }]);
    const stalled = run([{ type: 'run-started', at: T0, live: false }, progress(T0 + 1000, 10, 1000), { type: 'tick', at: T0 + 9001 }, { type: 'tick', at: T0 + 9500 }]);
    expect(stalled.effects.filter((e) => e.type === 'kill')).toEqual([{ type: 'kill', cause: 'stalled' }]);
    expect(stalled.state.run?.killCause).toBe('stalled');
  });

  it('reports a stall inside one connection as a gap', () => {
    const settledRun: RecordingAction[] = [{ type: 'run-started', at: T0, live: false }, progress(T0 + 1000, 10, 1000), progress(T0 + 1500, 15, 1500), progress(T0 + 2000, 20, 2000)];
    const { effects } = run([...settledRun, progress(T0 + 7000, 25, 2500)]);
    expect(emitted(effects)).toContainEqual({ type: 'gap', from: T0 + 2000, to: T0 + 6500, cause: 'stalled' });
  });

  it('names the exit cause without quoting ffmpeg, and a stop wins over it', () => {
    const exit = { code: 1, signal: null, stderrTail: ['[rtsp @ 0x1] method DESCRIBE failed: 404 <script>alert(1)</script>'] };
    const ended = run([{ type: 'run-started', at: T0, live: false }, { type: 'process-exited', exit }]);
    expect(ended.state.run?.cause).toBe('ffmpeg exited (code 1)');
    const refused = run([{ type: 'run-started', at: T0, live: false }, { type: 'process-exited', exit: { code: 1, signal: null, stderrTail: ['Connection refused'] } }]);
    expect(refused.state.run?.cause).toBe('connection-refused');
    const stopped = run([{ type: 'run-started', at: T0, live: false }, { type: 'stop-requested' }, { type: 'process-exited', exit }]);
    expect(stopped.state.run?.cause).toBe('stopped');
  });

  it('opens one outage per disconnection and grows the backoff attempt only while runs fail', () => {
    const failed: RecordingAction = { type: 'process-exited', exit: { code: 1, signal: null, stderrTail: ['Connection refused'] } };
    const first = run([{ type: 'run-started', at: T0, live: false }, failed, { type: 'run-ended', at: T0 + 100 }]);
    expect(emitted(first.effects)).toEqual([{ type: 'disconnected', at: T0 + 100, cause: 'connection-refused' }]);
    expect(first.state.outage).toEqual({ from: T0 + 100, cause: 'connection-refused' });
    expect(first.state.retryAttempt).toBe(0);
    const second = run([{ type: 'run-started', at: T0 + 1000, live: false }, failed, { type: 'run-ended', at: T0 + 1100 }], first.state);
    expect(emitted(second.effects)).toEqual([]); // the outage is already open: no second disconnected
    expect(second.state.retryAttempt).toBe(1);
    const third = run([{ type: 'run-ended', at: T0 + 2000, failure: 'spawn failed' }], second.state);
    expect(third.state.retryAttempt).toBe(2);
    const connected = run([{ type: 'run-started', at: T0 + 5000, live: false }, progress(T0 + 6000, 5, 500), failed, { type: 'run-ended', at: T0 + 7000 }], third.state);
    expect(connected.state.retryAttempt).toBe(0);
    expect(emitted(connected.effects)).toContainEqual({ type: 'disconnected', at: T0 + 7000, cause: 'connection-refused' });
  });

  it('reports a failed live output once, redacted and bounded, with the camera id', () => {
    const line = `[tee @ 0x1] Slave muxer #1 failed: rtmp://127.0.0.1:1935/live/cam?exp=1&sig=SECRETSIG ${'x'.repeat(500)}`;
    const { effects, state } = run([{ type: 'run-started', at: T0, live: true }, { type: 'stderr-line', at: T0 + 1, line }, { type: 'stderr-line', at: T0 + 2, line }]);
    const errors = emitted(effects);
    expect(errors).toHaveLength(1);
    const error = (errors[0] as { error: { message: string; details: unknown } }).error;
    expect(error.message).not.toContain('SECRETSIG');
    expect(error.message.length).toBeLessThan(300);
    expect(error.details).toEqual({ cameraId: 'cam-r' });
    expect(state.run?.liveFailed).toBe(true);
  });

  it('reads codec and size from the stream line, and segments move the media end', () => {
    const segment: Segment = { cameraId: 'cam-r', start: T0, end: T0 + 10_000, path: 'x', bytes: 1, codec: 'h264', sha256: 'a'.repeat(64) };
    const { state, effects } = run([
      { type: 'run-started', at: T0, live: false },
      { type: 'stderr-line', at: T0, line: '  Stream #0:0: Video: h264 (Main), yuv420p, 1280x720, 25 fps' },
      { type: 'segment-closed', segment },
    ]);
    expect(state.run).toMatchObject({ codec: 'h264', width: 1280, height: 720, lastClosedEnd: T0 + 10_000 });
    expect(state.lastMediaEnd).toBe(T0 + 10_000);
    expect(emitted(effects)).toEqual([{ type: 'segment', segment }]);
  });
});
