import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Audit } from '../audit/create-audit.js';
import type { Clock } from '../contracts/clock.js';
import type { Logger } from '../contracts/logger.js';
import type { Page, SightingQuery, StorageAdapter } from '../contracts/storage-adapter.js';
import { WardwatchError } from '../errors/wardwatch-error.js';
import type { Sighting, SightingCrop, SightingInput } from '../model/sighting.js';
import type { StationEvent, StationEventOf } from '../model/station-event.js';
import { defined } from '../util/defined.js';
import { createSerialQueue } from '../util/serial-queue.js';
import { checkSightingQuery } from './check-sighting-query.js';
import type { WatchlistService } from './watchlist-service.js';
import { DEFAULT_MAX_CROP_BYTES, writeSightingCrop } from './write-sighting-crop.js';

/** Sighting options of a station (`createStation({ sightings })`). */
export interface StationSightingsOptions {
  /**
   * Directory the JPEG crops of plate reads are written to, e.g. a `crops` folder beside the recordings root. Without
   * one, sightings are stored without crops.
   * @default no crops
   */
  cropDir?: string;
  /** Largest crop kept, in bytes; a larger one is logged and the sighting stored without it. @default 262144 */
  maxCropBytes?: number;
  /**
   * Most detections being written at once (crop, watchlist match, storage); beyond that a detection is dropped and
   * logged (its `plate`/`face` event is still persisted with the events).
   * @default 10000
   */
  maxPending?: number;
}

/** Options of {@link createSightingService}. */
export interface SightingServiceOptions extends StationSightingsOptions {
  storage: Pick<StorageAdapter, 'sightings' | 'holds'>;
  clock: Clock;
  logger: Logger;
  emit: (event: StationEvent) => void;
  audit: Audit;
  watchlists: WatchlistService;
}

/**
 * The station's sightings: the one writer of `storage.sightings` (fed with the station's `plate` and `face` events)
 * and of their crop files, which raises `plate.alert` / `face.alert` for active watchlist entries, drops crops with
 * the footage retention purges, and audits every search.
 */
export interface SightingService {
  /** Searches sightings (see {@link SightingQuery}); audited as `sightings.search` with `operator` and the plate asked for. */
  search(query: SightingQuery, operator: string): Promise<Page<Sighting>>;
  /** One sighting by id (not audited: ids come from a search or an alert). */
  get(id: string): Promise<Sighting | undefined>;
  /** The absolute path of a crop, when a crop directory is configured. */
  cropPath(crop: SightingCrop): string | undefined;
  /** Hands a station event to the writer: plate reads and face matches become sightings (written concurrently, batched by the storage), purges drop crops. */
  observe(event: StationEvent): void;
  /** Resolves when everything observed so far is written (and its alerts emitted). */
  idle(): Promise<void>;
}

/** Creates the sighting writer and search of a station. */
export function createSightingService(options: SightingServiceOptions): SightingService {
  const { storage, clock, logger, emit, audit, watchlists, cropDir } = options;
  const maxCropBytes = options.maxCropBytes ?? DEFAULT_MAX_CROP_BYTES;
  const maxPending = options.maxPending ?? 10_000;
  /** Detections are written concurrently (the storage batches them together); purges one after another. */
  const pending = new Set<Promise<void>>();
  const purges = createSerialQueue();

  const cropOf = async (event: StationEventOf<'plate'>): Promise<SightingCrop | undefined> => {
    if (cropDir === undefined || event.cropJpeg === undefined) return undefined;
    try {
      return await writeSightingCrop(cropDir, event.cameraId, event.at, event.cropJpeg, maxCropBytes);
    } catch (error) {
      logger.error({ err: error, cameraId: event.cameraId }, 'the crop of a plate read could not be written; the sighting is stored without it');
      return undefined;
    }
  };

  const recordPlate = async (event: StationEventOf<'plate'>): Promise<void> => {
    const [crop, wanted] = await Promise.all([cropOf(event), watchlists.matchPlate(event.plate, event.at, event.cameraId)]);
    const first = wanted[0];
    const input: SightingInput = defined({
      kind: 'plate' as const,
      at: event.at,
      cameraId: event.cameraId,
      plate: event.plate,
      raw: event.raw,
      confidence: event.confidence,
      box: event.box,
      crop,
      entryId: first?.id,
      label: first?.label,
    }) as SightingInput;
    const sighting = await storage.sightings.add(input);
    for (const entry of wanted) {
      emit(
        defined({
          type: 'plate.alert' as const,
          at: clock.now(),
          cameraId: event.cameraId,
          sightingId: sighting.id,
          plate: event.plate,
          confidence: event.confidence,
          entryId: entry.id,
          wanted: entry.plate as string,
          label: entry.label,
          reason: entry.reason,
          caseId: entry.caseId,
          crop: crop?.path,
        }) as StationEventOf<'plate.alert'>,
      );
    }
  };

  const recordFace = async (event: StationEventOf<'face'>): Promise<void> => {
    const match = event.match;
    if (!match) return;
    const entry = await watchlists.activeEntry(match.entryId, event.at, event.cameraId);
    const sighting = await storage.sightings.add(
      defined({ kind: 'face' as const, at: event.at, cameraId: event.cameraId, confidence: match.similarity, box: event.box, entryId: match.entryId, label: match.label }) as SightingInput,
    );
    if (entry) {
      emit(
        defined({
          type: 'face.alert' as const,
          at: clock.now(),
          cameraId: event.cameraId,
          sightingId: sighting.id,
          entryId: entry.id,
          label: entry.label,
          reason: entry.reason,
          caseId: entry.caseId,
          similarity: match.similarity,
        }) as StationEventOf<'face.alert'>,
      );
    }
  };

  /** Drops the crops of a purged range, except those a hold covers (a held range keeps its crops). */
  const purgeCrops = async (event: StationEventOf<'storage.purged'>): Promise<void> => {
    if (cropDir === undefined) return;
    let after: string | undefined;
    for (let pages = 0; pages < 1_000_000; pages++) {
      const page = await storage.sightings.query({ cameraIds: [event.cameraId], from: event.from, to: event.to, limit: 500, ...(after ? { after } : {}) });
      const drop: Sighting[] = [];
      for (const s of page.items) if (s.crop && (await storage.holds.covering(s.cameraId, { from: s.at, to: s.at + 1 })).length === 0) drop.push(s);
      if (drop.length > 0) {
        await storage.sightings.removeCrops(drop.map((s) => s.id));
        for (const s of drop) {
          try {
            await unlink(join(cropDir, (s.crop as SightingCrop).path));
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger.error({ err: error, cameraId: s.cameraId, sightingId: s.id }, 'a purged sighting crop could not be deleted');
          }
        }
      }
      if (!page.next) return;
      after = page.next;
    }
  };

  const run = (what: string, cameraId: string, task: () => Promise<void>): void => {
    if (pending.size >= maxPending) {
      logger.error({ cameraId, pending: pending.size }, `${what} dropped: too many detections are being written`);
      return;
    }
    const done: Promise<void> = task()
      .catch((error: unknown) => logger.error({ err: error, cameraId }, `${what} failed`))
      .finally(() => pending.delete(done));
    pending.add(done);
  };

  return {
    async search(query, operator) {
      if (typeof operator !== 'string' || operator.trim() === '') throw new WardwatchError('INVALID_ARGUMENT', 'operator (who searches) is required');
      checkSightingQuery(query);
      await audit({
        actor: operator,
        action: 'sightings.search',
        target: query.plate ?? (query.entryId === undefined ? 'all' : `entry:${query.entryId}`),
        details: defined({ plate: query.plate, entryId: query.entryId, kind: query.kind, cameraIds: query.cameraIds ? [...query.cameraIds] : undefined, from: query.from, to: query.to, after: query.after }),
      });
      return storage.sightings.query(query);
    },
    get: (id) => storage.sightings.get(id),
    cropPath: (crop) => (cropDir === undefined ? undefined : join(cropDir, crop.path)),
    observe(event) {
      if (event.type === 'plate') run('recording a plate sighting', event.cameraId, () => recordPlate(event));
      else if (event.type === 'face' && event.match) run('recording a face sighting', event.cameraId, () => recordFace(event));
      else if (event.type === 'storage.purged') run('dropping purged sighting crops', event.cameraId, () => purges.run(() => purgeCrops(event)));
    },
    async idle() {
      // Bounded: each pass waits for what was pending; new detections can only come from new events.
      for (let pass = 0; pending.size > 0 && pass < 1000; pass++) await Promise.all(pending);
    },
  };
}
