import { randomBytes } from 'node:crypto';

/** The shape of evidence and hold ids (also what `getEvidence` accepts). */
export const RECORD_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** An ISO 8601 UTC time of an epoch-ms instant. */
export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** A new id such as `ev-20250101-083000-a1b2c3`: a prefix, the UTC time to the second, 3 random bytes. */
export function newRecordId(prefix: string, at: number): string {
  const stamp = isoOf(at).replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${prefix}-${stamp}-${randomBytes(3).toString('hex')}`;
}
