import { VirtualTimeScheduler } from 'rxjs';

/** Lets pending promise callbacks run (several macrotask turns). */
export async function drain(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A virtual clock starting at `start` that tests advance step by step, letting promises settle between steps. */
export function createVirtualClock(start = 1_700_000_000_000) {
  const clock = new VirtualTimeScheduler();
  clock.frame = start;
  /** Advances virtual time by `ms` in `stepMs` steps, draining promises after each step. */
  const advance = async (ms: number, stepMs = 100): Promise<void> => {
    const target = clock.now() + ms;
    await drain();
    while (clock.now() < target) {
      const next = Math.min(target, clock.now() + stepMs);
      clock.schedule(() => undefined, next - clock.now());
      clock.maxFrames = next;
      clock.flush();
      await drain();
    }
  };
  return { clock, advance };
}
