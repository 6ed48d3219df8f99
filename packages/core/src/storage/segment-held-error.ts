import { WardwatchError } from '../errors/wardwatch-error.js';

/** A segment a `segments.remove` found held, with the holds that keep it. */
export interface HeldSegment {
  cameraId: string;
  start: number;
  holds: string[];
}

/** The `SEGMENT_HELD` error of a refused `segments.remove` (nothing removed), the same in every adapter. */
export function segmentHeldError(held: readonly HeldSegment[]): WardwatchError {
  const first = held[0] as HeldSegment;
  return new WardwatchError(
    'SEGMENT_HELD',
    `${held.length} segment(s) are held and cannot be removed (first: camera ${first.cameraId} at ${new Date(first.start).toISOString()}, hold ${first.holds.join(', ')}); nothing was removed`,
    { details: { held: [...held] } },
  );
}
