import type { Clock } from '../contracts/clock.js';
import type { AuditLog } from '../contracts/storage-adapter.js';
import type { AuditEntry, AuditInput } from '../model/audit.js';

/** What a module records in the audit log: who did what to which target. The time is the station clock's. */
export type AuditRecord = Omit<AuditInput, 'at'>;

/** Appends one entry to the hash-chained audit log, stamped with the station clock; resolves with the stored entry. */
export type Audit = (record: AuditRecord) => Promise<AuditEntry>;

/**
 * Creates the audit function of a station: the one writer of the audit log. Every module that audits (incidents,
 * evidence, holds, the server's logins) asks it, so entries are stamped by one clock and chained in one order.
 */
export function createAudit(options: { log: AuditLog; clock: Clock }): Audit {
  const { log, clock } = options;
  return (record) => log.append({ ...record, at: clock.now() });
}
