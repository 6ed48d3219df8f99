import { z } from 'zod';

/** Runtime schema of {@link AuditInput}. */
export const AuditInputSchema = z.object({
  at: z.number().int().nonnegative(),
  actor: z.string().min(1).max(200),
  action: z.string().min(1).max(100),
  target: z.string().max(500).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** What a caller appends to the audit log: who did what to which target, when. */
export type AuditInput = z.output<typeof AuditInputSchema>;

/** A stored audit entry: the input plus its sequence number and the hash chain links. */
export interface AuditEntry extends AuditInput {
  /** 1-based position in the log. */
  seq: number;
  /** Hash of the previous entry (64 zeros for the first). */
  prevHash: string;
  /** SHA-256 over this entry's canonical JSON including `prevHash`. */
  hash: string;
}

/** Result of verifying the audit chain. */
export type AuditVerification =
  | { ok: true; entries: number; lastHash: string }
  | { ok: false; entries: number; brokenAt: number; reason: string };
