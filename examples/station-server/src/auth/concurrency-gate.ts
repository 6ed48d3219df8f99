import { WardwatchError } from '@wardwatch/core';

/** Runs at most `max` tasks at once, queues up to `queue` more and refuses the rest with `RATE_LIMITED`. */
export interface ConcurrencyGate {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now. */
  readonly running: number;
}

/**
 * Creates a concurrency gate. The station server puts every password check (scrypt, 16 MB and tens of ms of a
 * libuv thread each) through one, so a password spray cannot fill the thread pool that file and crypto calls of
 * every other request share.
 */
export function createConcurrencyGate(options: { max: number; queue: number; what: string }): ConcurrencyGate {
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    get running() {
      return running;
    },
    async run(task) {
      if (running >= options.max) {
        if (waiting.length >= options.queue) throw new WardwatchError('RATE_LIMITED', `The server is busy with ${options.what}; try again in a moment`);
        // the slot of a finishing task is handed over directly (running stays the same)
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running += 1;
      }
      try {
        return await task();
      } finally {
        const waiter = waiting.shift();
        if (waiter) waiter();
        else running -= 1;
      }
    },
  };
}
