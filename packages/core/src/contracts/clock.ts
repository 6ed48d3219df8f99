import { asyncScheduler, type SchedulerLike } from 'rxjs';

/**
 * The injected source of time: an RxJS scheduler. `now()` gives UTC epoch ms; timers are scheduled
 * on it, so tests pass a `TestScheduler` or `VirtualTimeScheduler` and run in virtual time.
 */
export type Clock = SchedulerLike;

/** The real-time clock used when none is injected. */
export const systemClock: Clock = asyncScheduler;
