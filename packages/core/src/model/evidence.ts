import { z } from 'zod';
import { CameraIdSchema } from './camera-spec.js';

/** Runtime schema of {@link EvidenceRecord}. */
export const EvidenceRecordSchema = z.object({
  id: z.string().min(1).max(64),
  cameraId: CameraIdSchema,
  requested: z.object({ from: z.number().int(), to: z.number().int() }),
  actual: z.object({ from: z.number().int(), to: z.number().int() }),
  operator: z.string().min(1),
  reason: z.string().min(1),
  caseId: z.string().optional(),
  incidentId: z.string().optional(),
  createdAt: z.number().int(),
  /** Package folder path (relative to the evidence root). */
  packagePath: z.string().min(1),
  clipSha256: z.string().regex(/^[0-9a-f]{64}$/),
  manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
  segments: z.array(z.object({ path: z.string(), start: z.number().int(), end: z.number().int(), sha256: z.string() })),
  gaps: z.array(z.object({ from: z.number().int(), to: z.number().int() })).default([]),
  holdId: z.string().optional(),
});

/** The index entry of an evidence export (trích xuất): what was exported, by whom, why, and its hashes. */
export type EvidenceRecord = z.output<typeof EvidenceRecordSchema>;

/** Runtime schema of {@link Hold}. */
export const HoldSchema = z
  .object({
    id: z.string().min(1).max(64),
    cameraId: CameraIdSchema,
    from: z.number().int().nonnegative(),
    to: z.number().int().nonnegative(),
    owner: z.object({ kind: z.enum(['incident', 'evidence', 'manual']), id: z.string().min(1) }),
    reason: z.string().min(1),
    createdBy: z.string().min(1),
    createdAt: z.number().int(),
    releasedAt: z.number().int().optional(),
    releasedBy: z.string().optional(),
  })
  .refine((h) => h.to > h.from, { message: 'to must be after from', path: ['to'] });

/** An evidence lock on a camera/time range: retention never deletes segments it overlaps while active. */
export type Hold = z.output<typeof HoldSchema>;
