import { z } from 'zod';
import { parseWithSchema } from './validate.js';

/** Who owns the camera: state-installed, or a household/business/boarding house re-aimed at the street. */
export const OWNERSHIPS = ['station', 'household', 'business', 'boarding-house'] as const;
/** Camera ownership, one of {@link OWNERSHIPS}. */
export type Ownership = (typeof OWNERSHIPS)[number];

/** A camera id: letters, digits, `.`, `_`, `-`; safe as a directory name. */
export const CameraIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit')
  .refine((s) => !s.includes('..'), 'must not contain ".."');

/** Runtime schema of {@link CameraSpec}. */
export const CameraSpecSchema = z.object({
  id: CameraIdSchema,
  name: z.string().trim().min(1, 'must not be empty').max(200),
  site: z.object({
    ward: z.string().trim().min(1, 'must not be empty'),
    station: z.string().trim().min(1, 'must not be empty'),
  }),
  location: z.object({
    lat: z.number().min(-90, 'must be a latitude between -90 and 90').max(90, 'must be a latitude between -90 and 90'),
    lon: z.number().min(-180, 'must be a longitude between -180 and 180').max(180, 'must be a longitude between -180 and 180'),
    address: z.string().max(500).optional(),
  }),
  ownership: z.enum(OWNERSHIPS),
  /** Optional owner reference (e.g. a household account allowed to view its own cameras). */
  owner: z.string().max(200).optional(),
  driver: z.string().min(1, 'must name a registered driver'),
  connection: z.object({
    host: z.string().min(1, 'must not be empty'),
    port: z.number().int().min(1).max(65535).optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    /**
     * Other hosts this camera's stream URIs may point at (e.g. the NVR that serves them). By default a stream must
     * come from `host` itself: a URI elsewhere is refused (`CAMERA_STREAM_REFUSED`).
     */
    streamHosts: z.array(z.string().trim().min(1).max(253)).max(16).optional(),
    /** Driver-specific options (e.g. RTSP path templates). */
    options: z.record(z.string(), z.unknown()).default({}),
  }),
  recording: z
    .object({
      enabled: z.boolean().default(true),
      retentionDays: z.number().positive().max(3650).default(30),
      stream: z.enum(['main', 'sub']).default('main'),
    })
    .prefault({}),
  analytics: z
    .object({
      /** Names of analyzers enabled for this camera. */
      analyzers: z.array(z.string().min(1)).default([]),
      /** Per-analyzer options keyed by analyzer name. */
      options: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    })
    .prefault({}),
  tags: z.array(z.string().min(1).max(64)).default([]),
  enabled: z.boolean().default(true),
});

/** A validated camera configuration with defaults applied. */
export type CameraSpec = z.output<typeof CameraSpecSchema>;
/** What callers may pass before defaults are applied. */
export type CameraSpecInput = z.input<typeof CameraSpecSchema>;

/** Validates a camera spec, throwing `INVALID_CONFIG` naming every bad field. */
export function parseCameraSpec(input: unknown): CameraSpec {
  return parseWithSchema(CameraSpecSchema, input, 'camera spec');
}
