import { WardwatchError } from '../errors/wardwatch-error.js';

/** The error an evidence export ends with when it is cancelled (`CANCELLED`). */
export function exportCancelled(): WardwatchError {
  return new WardwatchError('CANCELLED', 'The evidence export was cancelled');
}

/** Throws {@link exportCancelled} when `signal` is aborted. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw exportCancelled();
}
