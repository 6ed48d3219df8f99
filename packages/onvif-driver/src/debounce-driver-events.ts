import { Observable, type MonoTypeOperatorFunction, type Subscription } from 'rxjs';
import type { Clock, DriverEvent } from '@wardwatch/core';

/**
 * Turns level-style device notifications into clean edges: repeated `start`s and unmatched `end`s
 * are dropped (per motion source and per tamper kind), and a motion `end` is synthesised when no
 * motion `start` refresh or real `end` arrived for `motionHoldMs` — some cameras never send it.
 */
export function debounceDriverEvents(motionHoldMs: number, clock: Clock): MonoTypeOperatorFunction<DriverEvent> {
  return (source) =>
    new Observable<DriverEvent>((subscriber) => {
      let motionActive = false;
      let motionTimer: Subscription | undefined;
      const tamperActive = new Set<string>();
      const ioState = new Map<string, boolean>();
      const armMotionTimer = (topic: string | undefined): void => {
        motionTimer?.unsubscribe();
        motionTimer = clock.schedule(() => {
          motionTimer = undefined;
          if (!motionActive) return;
          motionActive = false;
          subscriber.next({ type: 'motion', phase: 'end', at: clock.now(), ...(topic ? { topic } : {}) });
        }, motionHoldMs);
      };
      const inner = source.subscribe({
        next(event) {
          if (event.type === 'motion') {
            if (event.phase === 'start') {
              armMotionTimer(event.topic);
              if (!motionActive) {
                motionActive = true;
                subscriber.next(event);
              }
            } else {
              motionTimer?.unsubscribe();
              motionTimer = undefined;
              if (motionActive) {
                motionActive = false;
                subscriber.next(event);
              }
            }
          } else if (event.type === 'tamper') {
            const was = tamperActive.has(event.kind);
            if (event.phase === 'start' && !was) {
              tamperActive.add(event.kind);
              subscriber.next(event);
            } else if (event.phase === 'end' && was) {
              tamperActive.delete(event.kind);
              subscriber.next(event);
            }
          } else {
            if (ioState.get(event.input) !== event.active) {
              ioState.set(event.input, event.active);
              subscriber.next(event);
            }
          }
        },
        error(error) {
          motionTimer?.unsubscribe();
          subscriber.error(error);
        },
        complete() {
          motionTimer?.unsubscribe();
          subscriber.complete();
        },
      });
      return () => {
        inner.unsubscribe();
        motionTimer?.unsubscribe();
      };
    });
}
