import type { CameraState, CameraStatus } from '../model/camera-status.js';
import type { TimeRange } from '../model/segment.js';

/** Time a camera spent in each state within a range, and its uptime ratio. */
export interface UptimeSummary {
  /** The range measured. */
  range: TimeRange;
  /** Milliseconds spent in each state; time before the first known transition counts as `unknownMs`. */
  byState: Record<CameraState, number>;
  /** Milliseconds with no known state (before the first transition). */
  unknownMs: number;
  /** Milliseconds `online` or `degraded` (media was flowing). */
  upMs: number;
  /** `upMs` over the known (not unknown, not disabled) time; 1 when nothing is known. */
  ratio: number;
}

/**
 * Computes uptime from a camera's status transitions (any order; each `since` is when that state
 * began) over `range`. A transition before `range.from` sets the state at the start of the range.
 */
export function computeUptime(transitions: readonly CameraStatus[], range: TimeRange): UptimeSummary {
  const byState: Record<CameraState, number> = { connecting: 0, online: 0, degraded: 0, offline: 0, disabled: 0 };
  const sorted = [...transitions].sort((a, b) => a.since - b.since);
  let unknownMs = 0;
  let cursor = range.from;
  let current: CameraState | undefined;
  for (const t of sorted) {
    if (t.since <= range.from) {
      current = t.state;
      continue;
    }
    if (t.since >= range.to) break;
    if (current === undefined) unknownMs += t.since - cursor;
    else byState[current] += t.since - cursor;
    cursor = t.since;
    current = t.state;
  }
  if (range.to > cursor) {
    if (current === undefined) unknownMs += range.to - cursor;
    else byState[current] += range.to - cursor;
  }
  const upMs = byState.online + byState.degraded;
  const known = upMs + byState.offline + byState.connecting;
  return { range, byState, unknownMs, upMs, ratio: known === 0 ? 1 : upMs / known };
}
