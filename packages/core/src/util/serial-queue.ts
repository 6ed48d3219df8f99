/** Runs tasks one at a time, in the order they were given (a write lock, an ordered writer). */
export interface SerialQueue {
  /** Runs `task` once every task given before it has settled; settles with the task's own result or error. */
  run<T>(task: () => T | PromiseLike<T>): Promise<T>;
  /** Resolves when every task given so far has settled (never rejects). */
  idle(): Promise<void>;
}

/** Creates a {@link SerialQueue}: a failed task does not stop the ones after it. */
export function createSerialQueue(): SerialQueue {
  let tail: Promise<void> = Promise.resolve();
  return {
    run<T>(task: () => T | PromiseLike<T>): Promise<T> {
      const result = tail.then(task);
      // the queue itself never rejects; each caller receives its own task's error through `result`
      tail = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
    idle: () => tail,
  };
}
