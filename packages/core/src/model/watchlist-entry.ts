import { z } from 'zod';
import { CameraIdSchema } from './camera-spec.js';
import { WatchlistEntryIdSchema } from './sighting.js';

/** Runtime schema of {@link WatchlistEntry}. */
export const WatchlistEntrySchema = z
  .object({
    id: WatchlistEntryIdSchema,
    /** `plate`: a wanted vehicle (biển số cần truy tìm); `face`: an enrolled person. */
    kind: z.enum(['plate', 'face']),
    /** A wanted plate or plate pattern (the grammar of `parsePlatePattern`); plate entries only. */
    plate: z.string().min(1).max(64).optional(),
    /** Who or what is wanted, as shown on an alert. */
    label: z.string().min(1).max(200),
    /** Why it is wanted. */
    reason: z.string().min(1).max(1000),
    /** The case (vụ việc) it belongs to: an incident id or a case number. */
    caseId: z.string().min(1).max(200).optional(),
    /** UTC ms from which the entry no longer matches nor alerts; absent: until removed. */
    expiresAt: z.number().int().nonnegative().optional(),
    /** Cameras where the entry may match (per-camera opt-in); all cameras when absent. */
    cameras: z.array(CameraIdSchema).max(1000).optional(),
    /** Face descriptors of an enrolled person; face entries only. */
    embeddings: z.array(z.array(z.number()).min(1).max(2048)).min(1).max(32).optional(),
    createdAt: z.number().int().nonnegative(),
    createdBy: z.string().min(1).max(200),
    updatedAt: z.number().int().nonnegative(),
    updatedBy: z.string().min(1).max(200),
  })
  .refine((e) => e.kind !== 'plate' || e.plate !== undefined, { message: 'a plate entry needs plate (a plate or pattern)', path: ['plate'] })
  .refine((e) => e.kind !== 'face' || e.embeddings !== undefined, { message: 'a face entry needs embeddings', path: ['embeddings'] })
  .refine((e) => e.kind !== 'face' || e.plate === undefined, { message: 'a face entry has no plate', path: ['plate'] });

/** A watchlist entry: a wanted plate/pattern or an enrolled face, with reason, case and expiry. */
export type WatchlistEntry = z.output<typeof WatchlistEntrySchema>;

/** True when `entry` matches and alerts at time `at`: not expired. */
export function isWatchlistEntryActive(entry: Pick<WatchlistEntry, 'expiresAt'>, at: number): boolean {
  return entry.expiresAt === undefined || entry.expiresAt > at;
}
