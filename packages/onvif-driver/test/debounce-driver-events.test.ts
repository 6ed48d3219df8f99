import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { DriverEvent } from '@wardwatch/core';
import { debounceDriverEvents } from '../src/debounce-driver-events.js';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('debounceDriverEvents (virtual time)', () => {
  it('synthesises motion end after the hold when the camera never sends it', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const start: DriverEvent = { type: 'motion', phase: 'start', at: 0, topic: 't' };
      const source = cold<DriverEvent>('a 99ms b', { a: start, b: { ...start, at: 100 } });
      expectObservable(debounceDriverEvents(1000, ts).call(undefined, source)).toBe('a 1099ms e', {
        a: start,
        e: { type: 'motion', phase: 'end', at: 1100, topic: 't' },
      });
    });
  });

  it('passes a real end through once and drops duplicates and unmatched ends', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const s: DriverEvent = { type: 'motion', phase: 'start', at: 1 };
      const e: DriverEvent = { type: 'motion', phase: 'end', at: 2 };
      const source = cold<DriverEvent>('e 9ms s 9ms s 9ms e 9ms e 2000ms |', { s, e });
      expectObservable(debounceDriverEvents(1000, ts)(source)).toBe('10ms s 19ms e 2010ms |', { s, e });
    });
  });

  it('emits tamper and io edges only on change', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const t1: DriverEvent = { type: 'tamper', kind: 'covered', phase: 'start', at: 0 };
      const t0: DriverEvent = { type: 'tamper', kind: 'covered', phase: 'end', at: 0 };
      const b1: DriverEvent = { type: 'tamper', kind: 'black', phase: 'start', at: 0 };
      const i1: DriverEvent = { type: 'io', input: 'DI', active: true, at: 0 };
      expectObservable(debounceDriverEvents(1000, ts)(cold<DriverEvent>('a a b c c d |', { a: t1, b: b1, c: t0, d: i1 }))).toBe('a - b c - d |', {
        a: t1,
        b: b1,
        c: t0,
        d: i1,
      });
    });
  });
});
