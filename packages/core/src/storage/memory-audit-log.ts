import { chainAuditEntry, verifyAuditChain } from '../audit/audit-chain.js';
import type { AuditLog } from '../contracts/storage-adapter.js';
import { WardwatchError } from '../errors/wardwatch-error.js';
import { AuditInputSchema, type AuditEntry } from '../model/audit.js';
import { checkLimit } from './check-query-options.js';
import { checkStorageRecord } from './check-storage-record.js';
import type { MemoryContext } from './memory-context.js';

/** The hash-chained audit log of a memory storage. */
export function createMemoryAuditLog(context: MemoryContext): AuditLog {
  const { assertOpen, maxBytes } = context;
  const auditJson: string[] = [];
  let lastAudit: AuditEntry | undefined;
  return {
    async append(input) {
      assertOpen();
      const { value } = checkStorageRecord(AuditInputSchema, input, 'audit entry', maxBytes);
      const entry = chainAuditEntry(lastAudit, value);
      const json = JSON.stringify(entry);
      auditJson.push(json);
      lastAudit = JSON.parse(json) as AuditEntry;
      return JSON.parse(json) as AuditEntry;
    },
    async list(opts = {}) {
      assertOpen();
      const fromSeq = opts.fromSeq ?? 1;
      if (!Number.isInteger(fromSeq) || fromSeq < 1) throw new WardwatchError('INVALID_ARGUMENT', `fromSeq must be an integer >= 1, got ${String(fromSeq)}`);
      const limit = checkLimit(opts.limit, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      return auditJson.slice(fromSeq - 1, fromSeq - 1 + Math.min(limit, auditJson.length)).map((j) => JSON.parse(j) as AuditEntry);
    },
    async verify() {
      assertOpen();
      return verifyAuditChain(auditJson.map((j) => JSON.parse(j) as AuditEntry));
    },
  };
}
