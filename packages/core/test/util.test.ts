import { describe, expect, it } from 'vitest';
import { backoffDelay, createSerialQueue, defined } from '@wardwatch/core';

describe('backoffDelay', () => {
  it('grows the backoff exponentially with bounded jitter and a cap', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, { initialMs: 500, maxMs: 10_000 }, mid))).toEqual([500, 1000, 2000, 4000, 10_000]);
    expect(backoffDelay(1, { initialMs: 500, jitter: 0.2 }, () => 0)).toBe(800);
    expect(backoffDelay(1, { initialMs: 500, jitter: 0.2 }, () => 1)).toBe(1200);
  });

  it('is exact without jitter and stays capped for huge attempt numbers', () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, { initialMs: 1000, maxMs: 30_000, jitter: 0 }))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000]);
    expect(backoffDelay(10_000, { initialMs: 1000, maxMs: 30_000, jitter: 0 })).toBe(30_000);
    expect(backoffDelay(-3, { initialMs: 700, jitter: 0 })).toBe(700);
  });
});

describe('createSerialQueue', () => {
  it('runs tasks one at a time in order, each settling with its own result', async () => {
    const queue = createSerialQueue();
    const log: string[] = [];
    let release!: () => void;
    const first = queue.run(async () => {
      log.push('first start');
      await new Promise<void>((r) => (release = r));
      log.push('first end');
      return 1;
    });
    const second = queue.run(() => {
      log.push('second');
      return 2;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['first start']);
    release();
    expect(await first).toBe(1);
    expect(await second).toBe(2);
    expect(log).toEqual(['first start', 'first end', 'second']);
  });

  it('goes on after a failed task, and idle() waits for every task without rejecting', async () => {
    const queue = createSerialQueue();
    const failed = queue.run(async () => {
      throw new Error('boom');
    });
    const after = queue.run(async () => 'after');
    await expect(failed).rejects.toThrow('boom');
    expect(await after).toBe('after');
    let done = false;
    void queue.run(async () => {
      await new Promise((r) => setTimeout(r, 5));
      done = true;
    });
    await queue.idle();
    expect(done).toBe(true);
  });
});

describe('defined', () => {
  it('drops undefined keys so defaults survive a spread', () => {
    expect(defined({ a: 1, b: undefined, c: null, d: 0 })).toEqual({ a: 1, c: null, d: 0 });
    expect({ a: 5, b: 6, ...defined({ a: undefined, b: 7 }) }).toEqual({ a: 5, b: 7 });
  });
});
