import { WardwatchError } from '../errors/wardwatch-error.js';

/** What every repository of a memory storage shares (internal). */
export interface MemoryContext {
  /** Largest accepted record, UTF-8 bytes of its JSON. */
  maxBytes: number;
  /** Throws `STORAGE_CLOSED` after `close()`. */
  assertOpen(): void;
}

/** The shared state of one memory storage: its record limit and its open/closed flag. */
export function createMemoryContext(maxBytes: number): MemoryContext & { close(): void } {
  let closed = false;
  return {
    maxBytes,
    assertOpen() {
      if (closed) throw new WardwatchError('STORAGE_CLOSED', 'The in-memory storage was used after close()');
    },
    close() {
      closed = true;
    },
  };
}
