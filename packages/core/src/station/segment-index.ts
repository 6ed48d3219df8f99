import type { Clock } from '../contracts/clock.js';
import type { RecorderNotice } from '../contracts/recorder.js';
import type { SegmentStore } from '../contracts/segment-store.js';
import type { StorageAdapter } from '../contracts/storage-adapter.js';
import { isWardwatchError } from '../errors/wardwatch-error.js';
import type { Segment } from '../model/segment.js';
import type { StationEvent } from '../model/station-event.js';

/** The station's segment index: the only module that writes `storage.segments` (internal). */
export interface SegmentIndex {
  /** Indexes closed segments, then announces each as `segment.closed`. */
  index(segments: readonly Segment[]): Promise<void>;
  /** The port a recorder reads and purges through. */
  readonly store: SegmentStore;
  /** Handles a recorder-wide notice: segments are indexed, the rest announced. */
  notify(notice: RecorderNotice): Promise<void>;
}

/** Creates the segment index over a storage; `emit` receives `segment.closed` and the recorder's storage events. */
export function createSegmentIndex(options: { storage: Pick<StorageAdapter, 'segments' | 'holds' | 'cameras'>; clock: Clock; emit: (event: StationEvent) => void }): SegmentIndex {
  const { storage, clock, emit } = options;
  const segments = storage.segments;

  async function index(closed: readonly Segment[]): Promise<void> {
    if (closed.length === 0) return;
    if (closed.length === 1) await segments.add(closed[0]!);
    else await segments.addMany(closed);
    for (const segment of closed) emit({ type: 'segment.closed', at: clock.now(), cameraId: segment.cameraId, segment });
  }

  const store: SegmentStore = {
    query: (cameraId, range) => segments.query(cameraId, range),
    latest: (cameraId) => segments.latest(cameraId),
    gaps: (cameraId, range, toleranceMs) => segments.gaps(cameraId, range, toleranceMs),
    cameraIds: () => segments.cameraIds(),
    oldestUnheld: (query) => segments.oldestUnheld(query),
    retentionDays: async (cameraId) => (await storage.cameras.get(cameraId))?.recording.retentionDays,
    async purge(segment, deleteFile) {
      const range = { from: segment.start, to: Math.max(segment.end, segment.start + 1) };
      if ((await storage.holds.covering(segment.cameraId, range)).length > 0) return 'held';
      try {
        // the index refuses a held segment itself too (SEGMENT_HELD): a hold placed since the check above wins
        await segments.remove([{ cameraId: segment.cameraId, start: segment.start }]);
      } catch (error) {
        if (isWardwatchError(error, 'SEGMENT_HELD')) return 'held';
        throw error;
      }
      try {
        await deleteFile();
      } catch (error) {
        await segments.add(segment);
        throw error;
      }
      return 'purged';
    },
  };

  return {
    index,
    store,
    async notify(notice) {
      if (notice.type === 'segment') await index([notice.segment]);
      else emit(notice);
    },
  };
}
