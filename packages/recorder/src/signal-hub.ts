import { Observable } from 'rxjs';
import type { RecorderSignal, Segment } from '@wardwatch/core';

/** Fan-out of one camera's recorder signals to its subscribers. */
export interface SignalHub {
  /** Every subscriber sees the signals emitted while it is subscribed. */
  readonly signals$: Observable<RecorderSignal>;
  /** Sends a signal to the subscribers; a segment nobody listens to any more goes to the orphan sink. */
  emit(signal: RecorderSignal): void;
  /** Completes every subscriber. */
  complete(): void;
}

/**
 * Creates a {@link SignalHub}. Segments are never lost: the last segment of a recording that was unsubscribed
 * (its process finishing after the subscriber left) goes to `orphanSink`, which indexes it.
 */
export function createSignalHub(orphanSink: (segment: Segment) => void): SignalHub {
  const listeners = new Set<(signal: RecorderSignal) => void>();
  const completers = new Set<() => void>();
  return {
    signals$: new Observable<RecorderSignal>((subscriber) => {
      const listener = (s: RecorderSignal): void => subscriber.next(s);
      const complete = (): void => subscriber.complete();
      listeners.add(listener);
      completers.add(complete);
      return () => {
        listeners.delete(listener);
        completers.delete(complete);
      };
    }),
    emit(signal) {
      if (signal.type === 'segment' && listeners.size === 0) {
        orphanSink(signal.segment);
        return;
      }
      for (const l of [...listeners]) l(signal);
    },
    complete() {
      for (const c of [...completers]) c();
    },
  };
}
