import { WardwatchError } from '@wardwatch/core';

/** Options of {@link createSnapshotGuard}. */
export interface SnapshotGuardOptions {
  /** How long a snapshot is served again to everyone who asks, ms. @default 1000 */
  cacheMs?: number;
  /** Snapshots one user may ask for per window. @default { max: 30, windowMs: 60000 } */
  perUser?: { max: number; windowMs: number };
  /** Clock. @default Date.now */
  now?: () => number;
}

/** Snapshots through one guard: one grab per camera at a time, a short cache, a per-user rate limit. */
export interface SnapshotGuard {
  /** The camera's snapshot for `user`: joins a grab in flight, or serves a fresh cached one; `RATE_LIMITED` past the user's limit. */
  snapshot(cameraId: string, user: string, grab: () => Promise<Uint8Array>): Promise<Uint8Array>;
}

/**
 * Creates the snapshot guard. A camera without a snapshot URI is grabbed by an ffmpeg process: without the guard,
 * 20 parallel requests of a viewer started 20 ffmpeg processes.
 */
export function createSnapshotGuard(options: SnapshotGuardOptions = {}): SnapshotGuard {
  const cacheMs = options.cacheMs ?? 1000;
  const perUser = options.perUser ?? { max: 30, windowMs: 60_000 };
  const now = options.now ?? Date.now;
  const inFlight = new Map<string, Promise<Uint8Array>>();
  const cache = new Map<string, { at: number; jpeg: Uint8Array }>();
  const counts = new Map<string, { start: number; n: number }>();

  return {
    async snapshot(cameraId, user, grab) {
      const t = now();
      let count = counts.get(user);
      if (!count || t - count.start >= perUser.windowMs) counts.set(user, (count = { start: t, n: 0 }));
      if (count.n >= perUser.max) {
        throw new WardwatchError('RATE_LIMITED', 'Too many snapshots; try again later', { details: { retryAfterMs: count.start + perUser.windowMs - t } });
      }
      count.n += 1;
      const cached = cache.get(cameraId);
      if (cached && t - cached.at < cacheMs) return cached.jpeg;
      const running = inFlight.get(cameraId);
      if (running) return running;
      const next = grab().then(
        (jpeg) => {
          cache.set(cameraId, { at: now(), jpeg });
          return jpeg;
        },
      ).finally(() => inFlight.delete(cameraId));
      inFlight.set(cameraId, next);
      return next;
    },
  };
}
