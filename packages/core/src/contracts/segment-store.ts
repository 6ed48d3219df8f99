import type { RecordingGap, Segment, TimeRange } from '../model/segment.js';

/** What {@link SegmentStore.purge} did with a segment. */
export type PurgeOutcome = 'purged' | 'held';

/**
 * The station's segment index as a recorder sees it: reads, plus the one narrow way retention removes footage.
 * The station implements it and is the index's only writer; a recorder never writes the index itself.
 */
export interface SegmentStore {
  /** Indexed segments of `cameraId` overlapping `[from, to)`, ordered by start. */
  query(cameraId: string, range: TimeRange): Promise<Segment[]>;
  /** The indexed segment with the greatest start for a camera. */
  latest(cameraId: string): Promise<Segment | undefined>;
  /** Periods inside `range` with no indexed footage, ignoring holes up to `toleranceMs`. @default toleranceMs 1000 */
  gaps(cameraId: string, range: TimeRange, toleranceMs?: number): Promise<RecordingGap[]>;
  /** Camera ids that have at least one indexed segment. */
  cameraIds(): Promise<string[]>;
  /** The oldest segments no active hold covers, oldest first (of one camera, or all), optionally only those started before `before`. */
  oldestUnheld(options: { limit: number; cameraId?: string; before?: number }): Promise<Segment[]>;
  /** The retention days of a camera's stored spec; undefined when it has none (or the camera is unknown). */
  retentionDays(cameraId: string): Promise<number | undefined>;
  /**
   * Purges one segment: takes it out of the index unless a hold covers it (checked as it is removed, so a hold
   * placed meanwhile wins), then calls `deleteFile`. When `deleteFile` throws, the segment is indexed again (the
   * index never hides footage still on disk) and the error is rethrown.
   */
  purge(segment: Segment, deleteFile: () => Promise<void>): Promise<PurgeOutcome>;
}
