import type { Observable } from 'rxjs';
import type { WardwatchError } from '../errors/wardwatch-error.js';
import type { CameraSpec } from '../model/camera-spec.js';
import type { Segment, TimeRange } from '../model/segment.js';
import type { StationEventOf } from '../model/station-event.js';
import type { CameraSession } from './camera-driver.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { SegmentStore } from './segment-store.js';

/**
 * A signal of the recorder as a whole, outside any camera's `record()` stream: a segment found on disk at start
 * (`recovered: true`) or closed after its recording was unsubscribed (`recovered: false`), a disk warning, a purge.
 * The station indexes the segments and announces all of them as station events.
 */
export type RecorderNotice =
  | { type: 'segment'; segment: Segment; recovered: boolean }
  | StationEventOf<'storage.low'>
  | StationEventOf<'storage.purged'>;

/** What the station gives a recorder when it starts (`createRecorderContext` builds one over a storage for standalone use). */
export interface RecorderContext {
  clock: Clock;
  logger: Logger;
  /** The station's segment index: reads, and the retention port. The station is its only writer. */
  segments: SegmentStore;
  /** Hands the station a {@link RecorderNotice}; resolves once it is indexed and announced. */
  notify(notice: RecorderNotice): Promise<void>;
}

/** Liveness and output signals of one camera's recording; the station turns them into health and events. */
export type RecorderSignal =
  /** The stream was opened and media started. */
  | { type: 'connected'; at: number }
  /** Media is advancing (frames written); feeds health. */
  | { type: 'progress'; at: number; fps?: number; bitrateKbps?: number; width?: number; height?: number }
  /** A segment file was closed, probed and hashed. The station indexes it and emits `segment.closed`. */
  | { type: 'segment'; segment: Segment }
  /** Recording was interrupted between `from` and `to`. */
  | { type: 'gap'; from: number; to: number; cause: string }
  /** The media process ended (the recorder reconnects by itself); `cause` says why. */
  | { type: 'disconnected'; at: number; cause: string }
  /** A non-fatal error worth surfacing (e.g. the live output failed while recording goes on). */
  | { type: 'error'; at: number; error: WardwatchError };

/** Options for decoded analysis frames. */
export interface FrameOptions {
  /** @default 320 */
  width: number;
  /** @default 180 */
  height: number;
  /** @default 5 */
  fps: number;
  /** @default 'gray' */
  format: 'gray' | 'rgb';
}

/** A decoded picture for analyzers: `gray` is 1 byte per pixel, `rgb` 3, rows top to bottom. */
export interface Frame {
  cameraId: string;
  /** Capture time, UTC epoch ms. */
  at: number;
  width: number;
  height: number;
  format: 'gray' | 'rgb';
  data: Uint8Array;
}

/** A request to cut a clip from recorded segments. */
export interface ClipRequest {
  cameraId: string;
  /** Requested start, UTC ms. */
  from: number;
  /** Requested end, UTC ms. */
  to: number;
  /** Where to write the MP4; a file under the recorder's export directory when omitted. */
  outPath?: string;
  /** Cancels the export; the partial file is removed. */
  signal?: AbortSignal;
}

/** The result of a clip export. */
export interface ClipResult {
  path: string;
  bytes: number;
  sha256: string;
  requested: TimeRange;
  /** The range actually covered (cut on keyframes). */
  actual: TimeRange;
  /** Source segments used, in order. */
  segments: Segment[];
  /** Periods inside the request with no footage. */
  gaps: TimeRange[];
}

/** Progress and completion of a clip export. */
export type ClipEvent = { type: 'progress'; ratio: number; bytes: number } | { type: 'done'; result: ClipResult };

/** Turns camera streams into segments, gaps and liveness; also cuts clips and decodes frames. */
export interface Recorder {
  /** Prepares the recorder (recovery of unindexed segments, retention timers). */
  start(context: RecorderContext): Promise<void>;
  /** Records a camera while subscribed; unsubscribing stops its process. */
  record(camera: CameraSpec, session: CameraSession): Observable<RecorderSignal>;
  /** Decoded frames of a camera's sub stream while subscribed; frames are dropped, not queued, when the consumer is slow. */
  frames(cameraId: string, options?: Partial<FrameOptions>): Observable<Frame>;
  /** A JPEG of the current picture. */
  snapshot(cameraId: string): Promise<Uint8Array>;
  /** Cuts one MP4 by stream copy; emits progress, then `done`; errors with a coded error. */
  exportClip(request: ClipRequest): Observable<ClipEvent>;
  /** Stops every process gracefully and waits for them to exit. */
  stop(): Promise<void>;
}
