import { Observable, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import type { CameraSession, CameraSpec, Frame, FrameOptions, Recorder, RecorderContext, RecorderSignal, Segment } from '@wardwatch/core';

/** A recorder double: tests push signals and frames per camera and see what is subscribed. */
export interface FakeRecorder extends Recorder {
  readonly context: RecorderContext | undefined;
  readonly stopped: boolean;
  readonly recordCalls: Array<{ spec: CameraSpec; session: CameraSession }>;
  /** Cameras whose record() is subscribed right now. */
  recording(): string[];
  /** Number of live frames() subscriptions of a camera (all cameras when omitted). */
  frameSubscribers(cameraId?: string): number;
  signal(cameraId: string, signal: RecorderSignal): void;
  frame(cameraId: string, frame: Partial<Frame>): void;
  /** Emits `progress` every `everyMs` on the clock until the returned subscription ends. */
  startMedia(cameraId: string, everyMs?: number): Subscription;
  /** Makes the record() observable of a camera error. */
  fail(cameraId: string, error: unknown): void;
}

export function createFakeRecorder(clock: SchedulerLike): FakeRecorder {
  const records = new Map<string, Subscriber<RecorderSignal>>();
  const frames = new Map<string, Set<Subscriber<Frame>>>();
  let context: RecorderContext | undefined;
  let stopped = false;
  const recordCalls: Array<{ spec: CameraSpec; session: CameraSession }> = [];
  return {
    get context() {
      return context;
    },
    get stopped() {
      return stopped;
    },
    recordCalls,
    async start(ctx) {
      context = ctx;
    },
    record(spec, session) {
      recordCalls.push({ spec, session });
      return new Observable<RecorderSignal>((subscriber) => {
        records.set(spec.id, subscriber);
        return () => {
          if (records.get(spec.id) === subscriber) records.delete(spec.id);
        };
      });
    },
    frames(cameraId: string, _options?: Partial<FrameOptions>) {
      return new Observable<Frame>((subscriber) => {
        let set = frames.get(cameraId);
        if (!set) frames.set(cameraId, (set = new Set()));
        set.add(subscriber);
        return () => set.delete(subscriber);
      });
    },
    async snapshot() {
      return Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]);
    },
    exportClip() {
      return new Observable((s) => s.error(new Error('not in the fake')));
    },
    async stop() {
      stopped = true;
    },
    recording: () => [...records.keys()],
    frameSubscribers(cameraId) {
      if (cameraId) return frames.get(cameraId)?.size ?? 0;
      let n = 0;
      for (const s of frames.values()) n += s.size;
      return n;
    },
    signal(cameraId, signal) {
      const s = records.get(cameraId);
      if (!s) throw new Error(`camera ${cameraId} is not recording`);
      s.next(signal);
    },
    frame(cameraId, frame) {
      for (const s of frames.get(cameraId) ?? []) {
        s.next({ cameraId, at: clock.now(), width: 4, height: 4, format: 'gray', data: new Uint8Array(16), ...frame });
      }
    },
    startMedia(cameraId, everyMs = 500) {
      return clock.schedule(function (this: { schedule(state?: unknown, delay?: number): unknown }) {
        records.get(cameraId)?.next({ type: 'progress', at: clock.now(), fps: 25, bitrateKbps: 2048, width: 1920, height: 1080 });
        this.schedule(undefined, everyMs);
      }, 0);
    },
    fail(cameraId, error) {
      records.get(cameraId)?.error(error);
    },
  };
}

/** A valid segment for tests. */
export function segment(cameraId: string, start: number, end: number): Segment {
  return { cameraId, start, end, path: `${cameraId}/${start}.mp4`, bytes: 1000, codec: 'h264', sha256: 'a'.repeat(64) };
}
