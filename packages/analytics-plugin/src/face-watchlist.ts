import type { Clock } from '@wardwatch/core';
import { WardwatchError, systemClock } from '@wardwatch/core';
import type { FaceEngine } from './face-engine.js';

/** A person on the watchlist. */
export interface WatchlistEntry {
  id: string;
  label: string;
  /** Face descriptors enrolled for this person. */
  embeddings: Float32Array[];
  /** UTC ms after which the entry no longer matches (and is purged). */
  expiresAt?: number;
  /** Cameras where the entry may match; all opted-in cameras when absent. */
  cameras?: string[];
  enrolledAt: number;
}

/** A watchlist match. */
export interface WatchlistMatch {
  entryId: string;
  label: string;
  /** 0..1 similarity of the best enrolled descriptor. */
  similarity: number;
}

/** What to enrol. */
export interface EnrolInput {
  /** Stable id; generated when absent. */
  id?: string;
  label: string;
  /** Images (JPEG/PNG bytes) of the person; the largest face of each is enrolled. */
  images?: Uint8Array[];
  /** Descriptors, when already computed. */
  embeddings?: Float32Array[];
  expiresAt?: number;
  cameras?: string[];
}

/**
 * An entry kept outside the watchlist, e.g. in the station's persisted watchlist (`station.watchlists.faces()`, whose
 * entries fit this shape): matched like an enrolled one, never enrolled, removed or purged here.
 */
export interface FaceWatchlistSourceEntry {
  id: string;
  label: string;
  /** Face descriptors; an entry without any never matches. */
  embeddings?: ReadonlyArray<ArrayLike<number>>;
  expiresAt?: number;
  cameras?: readonly string[];
}

/** Options of {@link createFaceWatchlist}. */
export interface FaceWatchlistOptions {
  /** Computes descriptors of enrolment images. */
  engine?: FaceEngine;
  /** Similarity from which a face matches. @default 0.45 */
  threshold?: number;
  /** The clock expiry is judged by. @default systemClock */
  clock?: Clock;
  /**
   * Entries kept elsewhere, read on every match besides the enrolled ones: pass `() => station.watchlists.faces()` to
   * match against the station's persisted face watchlist.
   * @default none
   */
  entries?: () => Iterable<FaceWatchlistSourceEntry>;
}

/** Enrolled faces matched by descriptor similarity, with expiry and per-camera scope. */
export interface FaceWatchlist {
  /** Enrols a person from images and/or descriptors; `INVALID_ARGUMENT` when an image has no face. */
  enrol(input: EnrolInput): Promise<WatchlistEntry>;
  /** Removes an entry; false when there was none. */
  remove(id: string): boolean;
  /** Entries that have not expired. */
  list(): WatchlistEntry[];
  /** The best non-expired match for a descriptor seen on a camera, at or above the threshold. */
  match(embedding: Float32Array, cameraId?: string): WatchlistMatch | undefined;
  /** Removes expired entries and returns how many. */
  purgeExpired(): number;
}

/**
 * Similarity of two face descriptors, 0..1: Euclidean distance mapped as in the FaceRes model's
 * reference matcher (1 − √(25·Σd²)/100, normalised over 0.2..0.8 and clamped).
 */
export function faceSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) {
    const d = (a[i] as number) - (b[i] as number);
    sum += d * d;
  }
  if (sum === 0) return 1;
  const root = Math.sqrt(25 * sum);
  return Math.max(0, Math.min(1, (1 - root / 100 - 0.2) / 0.6));
}

let counter = 0;

/** Creates an in-memory face watchlist. */
export function createFaceWatchlist(options: FaceWatchlistOptions = {}): FaceWatchlist {
  const threshold = options.threshold ?? 0.45;
  if (!(threshold > 0 && threshold <= 1)) throw new WardwatchError('INVALID_CONFIG', 'threshold must be in (0, 1]');
  const clock = options.clock ?? systemClock;
  const entries = new Map<string, WatchlistEntry>();
  const live = (e: { expiresAt?: number }): boolean => e.expiresAt === undefined || e.expiresAt > clock.now();
  return {
    async enrol(input) {
      if (typeof input.label !== 'string' || input.label.trim() === '') throw new WardwatchError('INVALID_ARGUMENT', 'label must not be empty');
      const embeddings = [...(input.embeddings ?? [])];
      for (const [i, image] of (input.images ?? []).entries()) {
        if (!options.engine) throw new WardwatchError('INVALID_CONFIG', 'enrolling from images needs a face engine');
        const faces = await options.engine.detect(image);
        const largest = faces.sort((a, b) => b.sizePx - a.sizePx)[0];
        if (!largest) throw new WardwatchError('INVALID_ARGUMENT', `no face found in enrolment image ${i}`, { details: { image: i } });
        embeddings.push(largest.embedding);
      }
      if (embeddings.length === 0) throw new WardwatchError('INVALID_ARGUMENT', 'enrolment needs at least one image or descriptor');
      if (input.expiresAt !== undefined && !(input.expiresAt > clock.now())) {
        throw new WardwatchError('INVALID_ARGUMENT', 'expiresAt must be in the future');
      }
      counter += 1;
      const entry: WatchlistEntry = {
        id: input.id ?? `wl-${clock.now().toString(36)}-${counter}`,
        label: input.label,
        embeddings,
        enrolledAt: clock.now(),
        ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }),
        ...(input.cameras ? { cameras: [...input.cameras] } : {}),
      };
      entries.set(entry.id, entry);
      return entry;
    },
    remove(id) {
      return entries.delete(id);
    },
    list() {
      return [...entries.values()].filter(live);
    },
    match(embedding, cameraId) {
      let best: WatchlistMatch | undefined;
      const external: Iterable<FaceWatchlistSourceEntry> = options.entries?.() ?? [];
      for (const e of [...entries.values(), ...external]) {
        if (!live(e) || !e.embeddings) continue;
        if (cameraId !== undefined && e.cameras && !e.cameras.includes(cameraId)) continue;
        for (const enrolled of e.embeddings) {
          const similarity = faceSimilarity(embedding, enrolled);
          if (similarity >= threshold && (!best || similarity > best.similarity)) best = { entryId: e.id, label: e.label, similarity };
        }
      }
      return best;
    },
    purgeExpired() {
      let n = 0;
      for (const [id, e] of entries) {
        if (!live(e)) {
          entries.delete(id);
          n += 1;
        }
      }
      return n;
    },
  };
}
