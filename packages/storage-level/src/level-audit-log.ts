import { AuditInputSchema, chainAuditEntry, checkStorageRecord, verifyAuditChain, WardwatchError, type AuditEntry, type AuditLog } from '@wardwatch/core';
import type { LevelContext } from './level-context.js';

/** The key of an audit entry: its sequence number zero-padded to 12 digits. */
function auditKey(seq: number): string {
  return String(seq).padStart(12, '0');
}

/**
 * The hash-chained audit log on LevelDB, keyed by sequence number. The chain head is kept in memory
 * (read at open), so concurrent appends are chained in call order without reading the disk.
 */
export async function createLevelAuditLog(ctx: LevelContext): Promise<AuditLog> {
  const [lastJson] = await ctx.sub.audit.values({ reverse: true, limit: 1 }).all();
  let head: AuditEntry | undefined;
  if (lastJson !== undefined) {
    try {
      head = JSON.parse(lastJson) as AuditEntry;
    } catch (cause) {
      throw new WardwatchError('STORAGE_CORRUPT', `The last audit entry of the database at ${ctx.location} is unreadable`, { cause, details: { path: ctx.location } });
    }
  }

  return {
    async append(input) {
      ctx.assertOpen();
      const { value } = checkStorageRecord(AuditInputSchema, input, 'audit entry', ctx.maxRecordBytes);
      if (ctx.queue.failed) throw ctx.queue.failed;
      const entry = chainAuditEntry(head, value);
      const json = JSON.stringify(entry);
      head = JSON.parse(json) as AuditEntry;
      await ctx.write([{ type: 'put', sublevel: ctx.sub.audit, key: auditKey(entry.seq), value: json }], 'record');
      return JSON.parse(json) as AuditEntry;
    },
    list(options = {}) {
      return ctx.read(async () => {
        const fromSeq = options.fromSeq ?? 1;
        if (!Number.isInteger(fromSeq) || fromSeq < 1) throw new WardwatchError('INVALID_ARGUMENT', `fromSeq must be an integer >= 1, got ${String(fromSeq)}`);
        if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
          throw new WardwatchError('INVALID_ARGUMENT', `limit must be a positive integer, got ${String(options.limit)}`);
        }
        const values = await ctx.sub.audit.values({ gte: auditKey(fromSeq), ...(options.limit === undefined ? {} : { limit: options.limit }) }).all();
        return values.map((v) => JSON.parse(v) as AuditEntry);
      });
    },
    verify() {
      return ctx.read(async () => {
        const sublevel = ctx.sub.audit;
        async function* entries(): AsyncGenerator<AuditEntry> {
          const iterator = sublevel.iterator();
          try {
            for (;;) {
              const chunk = await iterator.nextv(1000);
              if (chunk.length === 0) return;
              for (const [key, json] of chunk) {
                try {
                  yield JSON.parse(json) as AuditEntry;
                } catch {
                  // An unreadable entry cannot match its hash: verification reports it as broken.
                  yield { seq: Number(key), at: 0, actor: '', action: '', prevHash: '', hash: '' };
                }
              }
            }
          } finally {
            await iterator.close();
          }
        }
        return verifyAuditChain(entries());
      });
    },
  };
}
