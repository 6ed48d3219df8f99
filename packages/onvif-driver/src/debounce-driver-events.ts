import { Observable, type MonoTypeOperatorFunction, type Subscription } from 'rxjs';
import type { Clock, DriverEvent } from '@wardwatch/core';

type EdgeEvent = Extract<DriverEvent, { phase: 'start' | 'end' }>;

/** The state key of an edge event: its type, kind and video source, so NVR channels never share state. */
function edgeKey(event: EdgeEvent): string {
  const kind = event.type === 'motion' ? '' : event.kind;
  return `${event.type}\u0000${kind}\u0000${event.source ?? ''}`;
}

/**
 * Turns level-style device notifications into clean edges, per video source (NVR channel): repeated
 * `start`s and unmatched `end`s are dropped (per source for motion, per kind and source for tamper and
 * analytics), and a motion `end` is synthesised when no motion `start` refresh or real `end` arrived
 * for `motionHoldMs` — some cameras never send it.
 */
export function debounceDriverEvents(motionHoldMs: number, clock: Clock): MonoTypeOperatorFunction<DriverEvent> {
  return (source) =>
    new Observable<DriverEvent>((subscriber) => {
      const active = new Set<string>();
      const motionTimers = new Map<string, Subscription>();
      const ioState = new Map<string, boolean>();
      const stopTimer = (key: string): void => {
        motionTimers.get(key)?.unsubscribe();
        motionTimers.delete(key);
      };
      const stopAll = (): void => {
        for (const timer of motionTimers.values()) timer.unsubscribe();
        motionTimers.clear();
      };
      const armMotionTimer = (key: string, event: EdgeEvent): void => {
        stopTimer(key);
        motionTimers.set(
          key,
          clock.schedule(() => {
            motionTimers.delete(key);
            if (!active.delete(key)) return;
            subscriber.next({
              type: 'motion',
              phase: 'end',
              at: clock.now(),
              ...(event.topic ? { topic: event.topic } : {}),
              ...(event.source !== undefined ? { source: event.source } : {}),
            });
          }, motionHoldMs),
        );
      };
      const inner = source.subscribe({
        next(event) {
          if (event.type === 'io') {
            if (ioState.get(event.input) !== event.active) {
              ioState.set(event.input, event.active);
              subscriber.next(event);
            }
            return;
          }
          const key = edgeKey(event);
          if (event.phase === 'start') {
            if (event.type === 'motion') armMotionTimer(key, event);
            if (!active.has(key)) {
              active.add(key);
              subscriber.next(event);
            }
          } else {
            stopTimer(key);
            if (active.delete(key)) subscriber.next(event);
          }
        },
        error(error) {
          stopAll();
          subscriber.error(error);
        },
        complete() {
          stopAll();
          subscriber.complete();
        },
      });
      return () => {
        inner.unsubscribe();
        stopAll();
      };
    });
}
