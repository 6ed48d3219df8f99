import type { Subscriber } from 'rxjs';
import type { CameraSession, CameraSpec, Frame, RecorderContext } from '@wardwatch/core';
import type { CameraRecording } from './camera-recording.js';
import type { Retention } from './retention.js';
import type { SegmentFinisher } from './segment-finisher.js';
import type { Ticker } from './ticker.js';

/** The lifecycle state a recorder's `start`, `record`, `frames` and `stop` share (internal). */
export interface RecorderState {
  context: RecorderContext | undefined;
  /** `start()` has completed (record() is refused before: recovery must not race a live run). */
  ready: boolean;
  /** `stop()` has begun: recordings still being set up must not start. */
  stopRequested: boolean;
  retention: Retention | undefined;
  /** One timer and one worker thread for all cameras (created at start, on the station's clock). */
  ticker: Ticker | undefined;
  finisher: SegmentFinisher | undefined;
  readonly recordings: Map<string, CameraRecording>;
  readonly sessions: Map<string, { spec: CameraSpec; session: CameraSession }>;
  /** Recordings being stopped, by camera: a re-record waits for them. */
  readonly stoppings: Map<string, Promise<void>>;
  readonly frameStreams: Set<Subscriber<Frame>>;
  /** Work `stop()` waits for. */
  readonly background: Set<Promise<unknown>>;
}

/** A recorder's state before `start()`. */
export function createRecorderState(): RecorderState {
  return {
    context: undefined,
    ready: false,
    stopRequested: false,
    retention: undefined,
    ticker: undefined,
    finisher: undefined,
    recordings: new Map(),
    sessions: new Map(),
    stoppings: new Map(),
    frameStreams: new Set(),
    background: new Set(),
  };
}

/** Adds work `stop()` waits for; it leaves the set when it settles (its error is its owner's to handle). */
export function trackBackground<T>(state: RecorderState, work: Promise<T>): Promise<T> {
  state.background.add(work);
  void work.then(
    () => state.background.delete(work),
    () => state.background.delete(work),
  );
  return work;
}
