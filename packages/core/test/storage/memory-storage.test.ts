import { describeStorageAdapter } from '@wardwatch/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage, isWardwatchError } from '../../src/index.js';

describeStorageAdapter(() => createMemoryStorage(), { name: 'createMemoryStorage conformance' });

describe('createMemoryStorage options', () => {
  it('honours maxRecordBytes', async () => {
    const storage = createMemoryStorage({ maxRecordBytes: 300 });
    await storage.audit.append({ at: 1, actor: 'a', action: 'x' });
    const error = await storage.audit.append({ at: 1, actor: 'a', action: 'x', details: { pad: 'p'.repeat(400) } }).catch((e: unknown) => e);
    expect(isWardwatchError(error, 'STORAGE_RECORD_TOO_LARGE')).toBe(true);
    expect((error as { details: { maxBytes: number } }).details.maxBytes).toBe(300);
    expect((await storage.audit.verify()).entries).toBe(1);
  });

  it('rejects a bad maxRecordBytes with INVALID_CONFIG', () => {
    expect(() => createMemoryStorage({ maxRecordBytes: 0 })).toThrowError(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
