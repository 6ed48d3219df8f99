import { randomUUID } from 'node:crypto';
import type { Audit } from '../audit/create-audit.js';
import type { Clock } from '../contracts/clock.js';
import type { StorageAdapter } from '../contracts/storage-adapter.js';
import { WardwatchError } from '../errors/wardwatch-error.js';
import { parseWithSchema } from '../model/validate.js';
import type { StationEvent } from '../model/station-event.js';
import { isWatchlistEntryActive, WatchlistEntrySchema, type WatchlistEntry } from '../model/watchlist-entry.js';
import { defined } from '../util/defined.js';
import { createSerialQueue } from '../util/serial-queue.js';
import { compactPlate, parsePlatePattern, type PlatePattern } from './plate-pattern.js';

/** What an operator gives to add a watchlist entry. */
export interface WatchlistEntryInput {
  /** Stable id. @default a generated `wl-<uuid>` */
  id?: string;
  kind: 'plate' | 'face';
  /** A wanted plate or pattern (`29A-123.45`, `29A-1??.45`); plate entries only. */
  plate?: string;
  label: string;
  reason: string;
  caseId?: string;
  /** UTC ms from which the entry stops matching; must be in the future. @default never */
  expiresAt?: number;
  /** Cameras where the entry may match. @default every camera */
  cameras?: string[];
  /** Face descriptors (from the face engine); face entries only. */
  embeddings?: number[][];
}

/** What an operator may change on an entry (`null` clears an optional field). */
export type WatchlistEntryPatch = Partial<Pick<WatchlistEntryInput, 'plate' | 'label' | 'reason' | 'embeddings'>> & {
  caseId?: string | null;
  expiresAt?: number | null;
  cameras?: string[] | null;
};

/** Filters of {@link WatchlistService.list}. */
export interface WatchlistFilter {
  kind?: 'plate' | 'face';
  /** Only entries active (not expired) now, or only expired ones. */
  active?: boolean;
}

/**
 * The station's watchlists (wanted vehicles and enrolled faces): the one writer of `storage.watchlist`. Every change
 * is audited with its operator and announced as `watchlist.changed`; matching reads a cache kept by the same writer.
 */
export interface WatchlistService {
  /** Adds an entry; `PLATE_PATTERN_INVALID` for a malformed plate, `ALREADY_EXISTS`, `INVALID_ARGUMENT` for a past expiry. */
  add(input: WatchlistEntryInput, operator: string): Promise<WatchlistEntry>;
  /** Changes an entry; `NOT_FOUND` when there is none. */
  update(id: string, patch: WatchlistEntryPatch, operator: string): Promise<WatchlistEntry>;
  /** Removes an entry; `NOT_FOUND` when there is none. */
  remove(id: string, operator: string): Promise<void>;
  get(id: string): Promise<WatchlistEntry | undefined>;
  /** Entries ordered by id. */
  list(filter?: WatchlistFilter): Promise<WatchlistEntry[]>;
  /** The plate entries active at `at` (and scoped to `cameraId`) that `plate` matches. */
  matchPlate(plate: string, at: number, cameraId?: string): Promise<WatchlistEntry[]>;
  /** The entry `id` when it is active at `at` (and scoped to `cameraId`). */
  activeEntry(id: string, at: number, cameraId?: string): Promise<WatchlistEntry | undefined>;
  /** The face entries active now, from the cache (empty before the first load); what a face analyzer matches against. */
  faces(): WatchlistEntry[];
  /** Loads the cache from storage (done on first use; the station calls it on `start()`). */
  load(): Promise<void>;
}

/** Options of {@link createWatchlistService}. */
export interface WatchlistServiceOptions {
  storage: Pick<StorageAdapter, 'watchlist'>;
  clock: Clock;
  emit: (event: StationEvent) => void;
  audit: Audit;
}

interface Cached {
  entry: WatchlistEntry;
  pattern?: PlatePattern;
}

function checkOperator(operator: string): void {
  if (typeof operator !== 'string' || operator.trim() === '') throw new WardwatchError('INVALID_ARGUMENT', 'operator (who makes the change) is required');
}

/** Creates the watchlist service of a station. */
export function createWatchlistService(options: WatchlistServiceOptions): WatchlistService {
  const { storage, clock, emit, audit } = options;
  const cache = new Map<string, Cached>();
  const writes = createSerialQueue();
  let loading: Promise<void> | undefined;

  const cached = (entry: WatchlistEntry): Cached => (entry.kind === 'plate' && entry.plate !== undefined ? { entry, pattern: parsePlatePattern(entry.plate) } : { entry });
  const load = (): Promise<void> => {
    loading ??= storage.watchlist.list().then((entries) => {
      for (const entry of entries) cache.set(entry.id, cached(entry));
    });
    loading.catch(() => {
      loading = undefined;
    });
    return loading;
  };
  const scoped = (entry: WatchlistEntry, at: number, cameraId: string | undefined): boolean =>
    isWatchlistEntryActive(entry, at) && (cameraId === undefined || entry.cameras === undefined || entry.cameras.includes(cameraId));

  /** Validates, stores, caches, audits and announces one entry (inside the write queue). */
  const write = async (entry: WatchlistEntry, operator: string, change: 'added' | 'updated'): Promise<WatchlistEntry> => {
    const parsed = parseWithSchema(WatchlistEntrySchema, entry, 'watchlist entry', 'INVALID_ARGUMENT');
    const next = cached(parsed);
    if (parsed.expiresAt !== undefined && parsed.expiresAt <= clock.now()) {
      throw new WardwatchError('INVALID_ARGUMENT', 'expiresAt must be in the future', { details: { expiresAt: parsed.expiresAt } });
    }
    await storage.watchlist.put(parsed);
    cache.set(parsed.id, next);
    await audit({
      actor: operator,
      action: `watchlist.${change === 'added' ? 'add' : 'update'}`,
      target: parsed.id,
      details: defined({ kind: parsed.kind, plate: parsed.plate, label: parsed.label, reason: parsed.reason, caseId: parsed.caseId, expiresAt: parsed.expiresAt, cameras: parsed.cameras }),
    });
    emit({ type: 'watchlist.changed', at: clock.now(), entryId: parsed.id, kind: parsed.kind, change });
    return structuredClone(parsed);
  };

  return {
    add(input, operator) {
      return writes.run(async () => {
        checkOperator(operator);
        await load();
        const id = input.id ?? `wl-${randomUUID()}`;
        if (cache.has(id)) throw new WardwatchError('ALREADY_EXISTS', `Watchlist entry "${id}" already exists`, { details: { entryId: id } });
        const now = clock.now();
        return write(
          { ...defined({ ...input, id }), createdAt: now, createdBy: operator, updatedAt: now, updatedBy: operator } as WatchlistEntry,
          operator,
          'added',
        );
      });
    },
    update(id, patch, operator) {
      return writes.run(async () => {
        checkOperator(operator);
        await load();
        const found = cache.get(id);
        if (!found) throw new WardwatchError('NOT_FOUND', `Watchlist entry "${id}" does not exist`, { details: { entryId: id } });
        const merged: Record<string, unknown> = { ...found.entry };
        for (const [key, value] of Object.entries(patch)) {
          if (value === null) delete merged[key];
          else if (value !== undefined) merged[key] = value;
        }
        return write({ ...(merged as WatchlistEntry), id, kind: found.entry.kind, updatedAt: clock.now(), updatedBy: operator }, operator, 'updated');
      });
    },
    remove(id, operator) {
      return writes.run(async () => {
        checkOperator(operator);
        await load();
        const found = cache.get(id);
        if (!found) throw new WardwatchError('NOT_FOUND', `Watchlist entry "${id}" does not exist`, { details: { entryId: id } });
        await storage.watchlist.delete(id);
        cache.delete(id);
        await audit({ actor: operator, action: 'watchlist.remove', target: id, details: defined({ kind: found.entry.kind, plate: found.entry.plate, label: found.entry.label }) });
        emit({ type: 'watchlist.changed', at: clock.now(), entryId: id, kind: found.entry.kind, change: 'removed' });
      });
    },
    async get(id) {
      await load();
      const found = cache.get(id);
      return found ? structuredClone(found.entry) : undefined;
    },
    async list(filter = {}) {
      await load();
      const now = clock.now();
      return [...cache.values()]
        .map((c) => c.entry)
        .filter((e) => (filter.kind === undefined || e.kind === filter.kind) && (filter.active === undefined || isWatchlistEntryActive(e, now) === filter.active))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((e) => structuredClone(e));
    },
    async matchPlate(plate, at, cameraId) {
      await load();
      const compact = compactPlate(plate);
      const matches: WatchlistEntry[] = [];
      for (const { entry, pattern } of cache.values()) if (pattern !== undefined && scoped(entry, at, cameraId) && pattern.test(compact)) matches.push(entry);
      return matches.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    async activeEntry(id, at, cameraId) {
      await load();
      const found = cache.get(id);
      return found && scoped(found.entry, at, cameraId) ? found.entry : undefined;
    },
    faces() {
      const now = clock.now();
      return [...cache.values()].map((c) => c.entry).filter((e) => e.kind === 'face' && isWatchlistEntryActive(e, now));
    },
    load,
  };
}
