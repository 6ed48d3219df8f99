import type { SchedulerAction, Subscription } from 'rxjs';
import { defined, type Clock } from '@wardwatch/core';

/** Work done on every tick of a {@link Ticker}. */
export interface TickTask {
  /** Called once per tick with the clock's time. */
  tick(now: number): void;
  /** Whether this task needs the fast period now (e.g. while a timing is being measured). */
  wantsFast(): boolean;
}

/** One timer shared by many tasks: a single wake-up per period, whatever the number of cameras. */
export interface Ticker {
  /** Adds a task; it runs from the next tick on (the fast period starts at once if it asks for it). Returns its remover. */
  add(task: TickTask): () => void;
}

/** Periods of {@link createTicker}, ms. */
export interface TickerOptions {
  /** @default 1000 */
  periodMs?: number;
  /** @default 50 */
  fastPeriodMs?: number;
  /** Receives what a task's `tick` threw; the other tasks and the timer go on regardless. */
  onError?: (error: unknown) => void;
}

/** The periods of {@link TickerOptions} with their defaults. */
const TICKER_DEFAULTS = { periodMs: 1000, fastPeriodMs: 50 };

/**
 * Creates a {@link Ticker} on the injected clock (virtual time in tests). It runs only while it has tasks, at the
 * slow period unless a task wants the fast one. Every wake-up of an idle process costs CPU (a lot of it on a
 * virtual machine), so sixteen cameras polled by one timer cost a sixteenth of sixteen timers.
 */
export function createTicker(clock: Clock, options: TickerOptions = {}): Ticker {
  const { periodMs, fastPeriodMs } = { ...TICKER_DEFAULTS, ...defined(options) };
  const tasks = new Set<TickTask>();
  let timer: Subscription | undefined;
  let dueAt = Number.POSITIVE_INFINITY;
  // each arm() starts a new generation; a stale timer (replaced or stopped during a tick) ends itself
  let generation = 0;

  const nextPeriod = (): number => ([...tasks].some((t) => t.wantsFast()) ? fastPeriodMs : periodMs);

  function disarm(): void {
    generation++;
    timer?.unsubscribe();
    timer = undefined;
    dueAt = Number.POSITIVE_INFINITY;
  }

  function arm(delay: number): void {
    disarm();
    const mine = generation;
    dueAt = clock.now() + delay;
    timer = clock.schedule(function run(this: SchedulerAction<unknown>) {
      const now = clock.now();
      for (const task of [...tasks]) {
        if (!tasks.has(task)) continue;
        try {
          task.tick(now);
        } catch (error) {
          options.onError?.(error);
        }
      }
      if (mine !== generation) return;
      if (tasks.size === 0) {
        disarm();
        return;
      }
      const delay = nextPeriod();
      dueAt = now + delay;
      this.schedule(undefined, delay);
    }, delay);
  }

  return {
    add(task) {
      tasks.add(task);
      if (!timer) arm(task.wantsFast() ? fastPeriodMs : periodMs);
      else if (task.wantsFast() && dueAt > clock.now() + fastPeriodMs) arm(fastPeriodMs);
      return () => {
        tasks.delete(task);
        if (tasks.size === 0) disarm();
      };
    },
  };
}
