import { z } from 'zod';
import { CameraIdSchema } from './camera-spec.js';

/** Incident categories from the ward stations' reports; other strings are accepted too. */
export const INCIDENT_CATEGORIES = [
  'theft',
  'snatching-robbery',
  'assault',
  'property-damage',
  'illegal-racing',
  'loan-shark-flyers',
  'traffic-accident',
  'waste-dumping',
  'public-order',
  'other',
] as const;
/** A built-in category, or any extension string. */
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number] | (string & {});

/** The incident workflow: open → investigating → resolved → closed. */
export const INCIDENT_STATUSES = ['open', 'investigating', 'resolved', 'closed'] as const;
/** One of {@link INCIDENT_STATUSES}. */
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Outcomes stations count at their reviews; other strings are accepted too. */
export const INCIDENT_OUTCOMES = [
  'administrative-fine',
  'prosecuted',
  'no-violation',
  'transferred',
  'unresolved',
] as const;
/** A built-in outcome, or any extension string. */
export type IncidentOutcome = (typeof INCIDENT_OUTCOMES)[number] | (string & {});

/** A camera and time range linked to an incident. */
export const IncidentRangeSchema = z
  .object({ cameraId: CameraIdSchema, from: z.number().int().nonnegative(), to: z.number().int().nonnegative() })
  .refine((r) => r.to > r.from, { message: 'to must be after from', path: ['to'] });

/** A camera/time range linked to an incident. */
export type IncidentRange = z.output<typeof IncidentRangeSchema>;

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a lowercase slug (a-z, 0-9, "-")');

/** Runtime schema of {@link Incident}. */
export const IncidentSchema = z.object({
  id: z.string().min(1).max(64),
  title: z.string().trim().min(1, 'must not be empty').max(300),
  description: z.string().max(10_000).default(''),
  category: slug,
  status: z.enum(INCIDENT_STATUSES),
  station: z.string().min(1),
  occurredAt: z.number().int().nonnegative(),
  ranges: z.array(IncidentRangeSchema).default([]),
  outcome: slug.optional(),
  evidenceIds: z.array(z.string()).default([]),
  createdBy: z.string().min(1),
  createdAt: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
  history: z
    .array(
      z.object({
        at: z.number().int(),
        by: z.string(),
        status: z.enum(INCIDENT_STATUSES),
        note: z.string().optional(),
      }),
    )
    .default([]),
});

/** An incident (vụ việc): category, workflow status, linked cameras/ranges, evidence and outcome. */
export type Incident = z.output<typeof IncidentSchema>;
