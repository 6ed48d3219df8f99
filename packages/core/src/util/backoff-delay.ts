/** Exponential backoff with jitter, capped: the one retry rule of every WardWatch package. */
export interface BackoffOptions {
  /** First delay, ms. @default 500 */
  initialMs?: number;
  /** Largest delay, ms. @default 10000 */
  maxMs?: number;
  /** Growth factor per attempt. @default 2 */
  factor?: number;
  /** Random spread as a fraction of the delay (0.2 = ±20 %); 0 makes the delays exact. @default 0.2 */
  jitter?: number;
}

/** The delay before retry `attempt` (0-based): `initialMs · factor^attempt`, capped at `maxMs`, with ± `jitter`. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialMs ?? 500;
  const max = options.maxMs ?? 10_000;
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? 0.2;
  const base = Math.min(max, initial * factor ** Math.min(Math.max(attempt, 0), 30));
  const spread = base * jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(base + spread));
}
