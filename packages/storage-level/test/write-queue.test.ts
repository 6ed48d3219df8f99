import { describe, expect, it } from 'vitest';
import type { LevelDb, Sublevel } from '../src/level-database.js';
import { WriteQueue, type WriteOp } from '../src/write-queue.js';

/** A recording stand-in for the database's chained batch, to observe how writes are grouped. */
function recordingDb(options: { failAt?: number } = {}) {
  const batches: string[][] = [];
  const db = {
    batch() {
      const keys: string[] = [];
      return {
        put(key: string) {
          keys.push(`put:${key.replace('!t!', '')}`);
        },
        del(key: string) {
          keys.push(`del:${key.replace('!t!', '')}`);
        },
        async write() {
          await new Promise((r) => setTimeout(r, 1));
          if (options.failAt === batches.length) {
            batches.push([]);
            throw Object.assign(new Error('disk on fire'), { code: 'EIO' });
          }
          batches.push(keys);
        },
      };
    },
  };
  return { db: db as unknown as LevelDb, batches };
}

const sub = { prefix: '!t!' } as Sublevel;
const put = (key: string): WriteOp => ({ type: 'put', sublevel: sub, key, value: 'v' });

describe('WriteQueue', () => {
  it('groups writes enqueued within the delay into one batch, in order, and acknowledges after it is written', async () => {
    const { db, batches } = recordingDb();
    const queue = new WriteQueue(db, { delayMs: 5, maxOps: 1000, sync: 'none' });
    let acknowledged = 0;
    const writes = Array.from({ length: 20 }, (_, i) => queue.enqueue([put(`k${i}`), { type: 'del', sublevel: sub, key: `d${i}` }]).then(() => acknowledged++));
    expect(batches).toEqual([]);
    await Promise.all(writes);
    expect(acknowledged).toBe(20);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual(Array.from({ length: 20 }, (_, i) => [`put:k${i}`, `del:d${i}`]).flat());
  });

  it('writes at once when maxOps are buffered, keeping each enqueue atomic', async () => {
    const { db, batches } = recordingDb();
    // With a 10-minute delay these only resolve because the size threshold forces the write.
    const queue = new WriteQueue(db, { delayMs: 600_000, maxOps: 4, sync: 'none' });
    await Promise.all([queue.enqueue([put('a'), put('b'), put('c')]), queue.enqueue([put('d'), put('e')])]);
    expect(batches).toEqual([['put:a', 'put:b', 'put:c', 'put:d', 'put:e']]);
    await Promise.all([queue.enqueue([put('f')]), queue.flush()]);
    expect(batches).toEqual([['put:a', 'put:b', 'put:c', 'put:d', 'put:e'], ['put:f']]);
  });

  it('flush writes what is buffered without waiting for the delay', async () => {
    const { db, batches } = recordingDb();
    const queue = new WriteQueue(db, { delayMs: 60_000, maxOps: 1000, sync: 'none' });
    const pending = queue.enqueue([put('x')]);
    await queue.flush();
    await pending;
    expect(batches).toEqual([['put:x']]);
  });

  it('rejects the writes of a failed batch with STORAGE_IO and refuses later writes', async () => {
    const { db } = recordingDb({ failAt: 1 });
    const queue = new WriteQueue(db, { delayMs: 1, maxOps: 1000, sync: 'none' });
    await queue.enqueue([put('ok')]);
    const failed = queue.enqueue([put('lost')]);
    await expect(failed).rejects.toMatchObject({ code: 'STORAGE_IO', retryable: true });
    await expect(queue.enqueue([put('after')])).rejects.toMatchObject({ code: 'STORAGE_IO' });
    expect(queue.failed?.message).toMatch(/disk on fire/);
  });
});
