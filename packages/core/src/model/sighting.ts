import { z } from 'zod';
import { CameraIdSchema } from './camera-spec.js';

/** Runtime schema of a box in normalised picture coordinates (0..1). */
const BoxSchema = z.object({
  x: z.number().min(0).max(1),
  y: z.number().min(0).max(1),
  width: z.number().min(0).max(1),
  height: z.number().min(0).max(1),
});

/** Runtime schema of {@link SightingCrop}. */
export const SightingCropSchema = z.object({
  /** Path of the JPEG file relative to the station's crop directory. */
  path: z
    .string()
    .min(1)
    .max(1024)
    .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'must be a relative path inside the crop directory'),
  /** Lowercase hex SHA-256 of the file. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256'),
  /** File size in bytes. */
  bytes: z.number().int().nonnegative(),
});

/** The JPEG crop of a sighting, stored as a file beside the recordings: where it is and what it hashes to. */
export type SightingCrop = z.output<typeof SightingCropSchema>;

/** Ids of watchlist entries (and the entry ids sightings are indexed by): no `!`, so they never run into index keys. */
export const WatchlistEntryIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be 1-128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit');

/** Runtime schema of {@link SightingInput}. */
export const SightingInputSchema = z
  .object({
    /** `plate`: a plate read; `face`: a face that matched a watchlist entry. */
    kind: z.enum(['plate', 'face']),
    /** When the plate or face was seen, UTC epoch ms. */
    at: z.number().int().nonnegative(),
    cameraId: CameraIdSchema,
    /** Reader confidence (plate) or match similarity (face), 0..1. */
    confidence: z.number().min(0).max(1),
    box: BoxSchema.optional(),
    /** The normalised plate (e.g. `29A-123.45`); required for plate sightings. */
    plate: z.string().min(1).max(32).optional(),
    /** The reader's raw text. */
    raw: z.string().max(64).optional(),
    /** The watchlist entry matched (the face's entry, or the wanted-vehicle entry a plate matched). */
    entryId: WatchlistEntryIdSchema.optional(),
    /** The label of the matched entry, as it was at the time. */
    label: z.string().max(200).optional(),
    crop: SightingCropSchema.optional(),
  })
  .refine((s) => s.kind !== 'plate' || s.plate !== undefined, { message: 'a plate sighting needs plate', path: ['plate'] })
  .refine((s) => s.kind !== 'face' || s.entryId !== undefined, { message: 'a face sighting needs the entryId it matched', path: ['entryId'] });

/** A sighting before it is stored: one plate read or face match, with camera and time. */
export type SightingInput = z.input<typeof SightingInputSchema>;

/** A stored sighting: the input plus its time-ordered id (`<at:15 digits>-<seq:12 digits>`, like event ids). */
export type Sighting = z.output<typeof SightingInputSchema> & { id: string };
