import { z } from 'zod';
import { CameraIdSchema } from './camera-spec.js';

/** Runtime schema of {@link Segment}. */
export const SegmentSchema = z
  .object({
    cameraId: CameraIdSchema,
    /** Start of the media, UTC epoch milliseconds. */
    start: z.number().int().nonnegative(),
    /** End of the media, UTC epoch milliseconds (exclusive). */
    end: z.number().int().nonnegative(),
    /** File path, relative to the recorder root. */
    path: z.string().min(1).max(1024),
    bytes: z.number().int().nonnegative(),
    codec: z.string().min(1).max(64),
    /** Hex SHA-256 of the file computed when it closed. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256'),
  })
  .refine((s) => s.end >= s.start, { message: 'end must not be before start', path: ['end'] });

/** A closed recording file: camera, media time range, path, size, codec and hash. */
export type Segment = z.output<typeof SegmentSchema>;

/** A half-open UTC time range `[from, to)` in epoch milliseconds. */
export interface TimeRange {
  /** Inclusive start, UTC epoch ms. */
  from: number;
  /** Exclusive end, UTC epoch ms. */
  to: number;
}

/** A period without recording for a camera. */
export interface RecordingGap extends TimeRange {
  /** The camera the gap belongs to. */
  cameraId: string;
}
