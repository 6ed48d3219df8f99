import type { RecordingGap, TimeRange } from '../model/segment.js';

/** The default hole size ignored by gap detection, in milliseconds. */
export const DEFAULT_GAP_TOLERANCE_MS = 1000;

/**
 * Finds the periods of `range` not covered by `segments` (ordered by start), ignoring holes of at
 * most `toleranceMs`. Overlapping segments are merged; the result is ordered and clipped to `range`.
 */
export function findRecordingGaps(
  cameraId: string,
  range: TimeRange,
  segments: Iterable<{ start: number; end: number }>,
  toleranceMs: number = DEFAULT_GAP_TOLERANCE_MS,
): RecordingGap[] {
  const gaps: RecordingGap[] = [];
  let covered = range.from;
  for (const segment of segments) {
    if (segment.start >= range.to) break;
    if (segment.start - covered > toleranceMs) gaps.push({ cameraId, from: covered, to: Math.min(segment.start, range.to) });
    if (segment.end > covered) covered = segment.end;
    if (covered >= range.to) break;
  }
  if (range.to - covered > toleranceMs) gaps.push({ cameraId, from: covered, to: range.to });
  return gaps;
}
