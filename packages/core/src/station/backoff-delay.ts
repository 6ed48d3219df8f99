/** Reconnect delay for the `failures`-th consecutive failure (1-based): doubling from `initialMs` up to `maxMs`. */
export function backoffDelay(failures: number, initialMs: number, maxMs: number): number {
  const exp = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(maxMs, initialMs * 2 ** exp);
}
