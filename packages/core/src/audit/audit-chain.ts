import { createHash } from 'node:crypto';
import type { AuditEntry, AuditInput, AuditVerification } from '../model/audit.js';
import { canonicalJson } from '../util/canonical-json.js';

/** The `prevHash` of the first audit entry. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** Computes the hash of an audit entry from every field except `hash`. */
export function hashAuditEntry(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, actor, action, target, details, prevHash } = entry;
  return createHash('sha256').update(canonicalJson({ seq, at, actor, action, target, details, prevHash })).digest('hex');
}

/** Builds the next chained entry after `previous` (or the first entry when there is none). */
export function chainAuditEntry(previous: AuditEntry | undefined, input: AuditInput): AuditEntry {
  const base = { ...input, seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? AUDIT_GENESIS_HASH };
  return { ...base, hash: hashAuditEntry(base) };
}

/** Verifies a chain in order; reports the first entry whose sequence, link or hash is wrong. */
export async function verifyAuditChain(entries: Iterable<AuditEntry> | AsyncIterable<AuditEntry>): Promise<AuditVerification> {
  let previous: AuditEntry | undefined;
  let count = 0;
  for await (const entry of entries) {
    count++;
    const expectedSeq = (previous?.seq ?? 0) + 1;
    const expectedPrev = previous?.hash ?? AUDIT_GENESIS_HASH;
    if (entry.seq !== expectedSeq) return { ok: false, entries: count, brokenAt: entry.seq, reason: `expected seq ${expectedSeq}, found ${entry.seq}` };
    if (entry.prevHash !== expectedPrev) return { ok: false, entries: count, brokenAt: entry.seq, reason: 'prevHash does not match the previous entry' };
    if (hashAuditEntry(entry) !== entry.hash) return { ok: false, entries: count, brokenAt: entry.seq, reason: 'entry content does not match its hash (edited)' };
    previous = entry;
  }
  return { ok: true, entries: count, lastHash: previous?.hash ?? AUDIT_GENESIS_HASH };
}
