import { z } from 'zod';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');
const utcRange = z.object({
  from: z.number().int(),
  to: z.number().int(),
  /** ISO-8601 UTC rendering of `from`, for people reading the file. */
  fromIso: z.string(),
  /** ISO-8601 UTC rendering of `to`. */
  toIso: z.string(),
});

/** The manifest format identifier written in every package. */
export const EVIDENCE_MANIFEST_FORMAT = 'wardwatch-evidence/1';

/** Runtime schema of {@link EvidenceManifest}. */
export const EvidenceManifestSchema = z.object({
  format: z.literal(EVIDENCE_MANIFEST_FORMAT),
  id: z.string().min(1).max(64),
  station: z.object({ id: z.string().min(1), name: z.string().min(1), ward: z.string().min(1) }),
  camera: z.object({
    id: z.string().min(1),
    name: z.string(),
    ownership: z.string(),
    owner: z.string().nullable(),
    site: z.object({ ward: z.string(), station: z.string() }).nullable(),
    location: z.object({ lat: z.number(), lon: z.number(), address: z.string().nullable() }).nullable(),
  }),
  requested: utcRange,
  actual: utcRange,
  /** Camera clock minus station clock, ms, measured from the device; null when unknown. */
  clockOffsetMs: z.number().nullable(),
  sourceSegments: z.array(
    z.object({
      path: z.string(),
      start: z.number().int(),
      end: z.number().int(),
      bytes: z.number().int().nonnegative(),
      codec: z.string(),
      /** Hash recorded when the segment closed. */
      sha256: hex64,
      /** The re-hash at export matched `sha256` (two-point integrity). */
      verifiedAtExport: z.literal(true),
    }),
  ),
  gaps: z.array(z.object({ from: z.number().int(), to: z.number().int() })),
  operator: z.string().min(1),
  reason: z.string().min(1),
  caseId: z.string().nullable(),
  incidentId: z.string().nullable(),
  exportedAt: z.number().int(),
  exportedAtIso: z.string(),
  software: z.record(z.string(), z.string()),
  /** Every content file of the package (clip and stills) with its hash; the signature binds them. */
  files: z.array(
    z.object({
      path: z.string().min(1),
      role: z.enum(['clip', 'still']),
      bytes: z.number().int().nonnegative(),
      sha256: hex64,
    }),
  ),
  signing: z.object({
    algorithm: z.literal('Ed25519'),
    /** Hex SHA-256 of the station public key (SPKI DER). */
    publicKeyFingerprint: hex64,
  }),
});

/** The signed description of an evidence package: who exported what, from which camera, place and time, with every hash. */
export type EvidenceManifest = z.output<typeof EvidenceManifestSchema>;
