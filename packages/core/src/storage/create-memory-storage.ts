import type { StorageAdapter } from '../contracts/storage-adapter.js';
import { WardwatchError } from '../errors/wardwatch-error.js';
import { DEFAULT_MAX_RECORD_BYTES } from './check-storage-record.js';
import { createMemoryAuditLog } from './memory-audit-log.js';
import { createMemoryCameraRepository } from './memory-camera-repository.js';
import { createMemoryContext } from './memory-context.js';
import { createMemoryEventRepository } from './memory-event-repository.js';
import { createMemoryEvidenceRepository } from './memory-evidence-repository.js';
import { createMemoryHoldRepository } from './memory-hold-repository.js';
import { createMemoryIncidentRepository } from './memory-incident-repository.js';
import { createMemorySegmentRepository } from './memory-segment-repository.js';
import { createMemorySightingRepository } from './memory-sighting-repository.js';
import { createMemoryWatchlistRepository } from './memory-watchlist-repository.js';

/** Options of {@link createMemoryStorage}. */
export interface MemoryStorageOptions {
  /**
   * Largest accepted record, in UTF-8 bytes of its JSON; larger ones fail with `STORAGE_RECORD_TOO_LARGE`.
   * @default 1048576
   */
  maxRecordBytes?: number;
}

/**
 * Creates an in-memory {@link StorageAdapter} for tests, demos and small embeds. It validates records
 * like a durable adapter, keeps segments and events in sorted arrays searched by bisection, chains the
 * audit log, and loses everything when the process exits. One file per repository, like `storage-level`.
 */
export function createMemoryStorage(options: MemoryStorageOptions = {}): StorageAdapter {
  const maxBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < 1) {
    throw new WardwatchError('INVALID_CONFIG', `maxRecordBytes must be a positive integer, got ${String(maxBytes)}`);
  }
  const context = createMemoryContext(maxBytes);
  const { activeOf, ...holds } = createMemoryHoldRepository(context);
  return {
    cameras: createMemoryCameraRepository(context),
    segments: createMemorySegmentRepository(context, activeOf),
    events: createMemoryEventRepository(context),
    incidents: createMemoryIncidentRepository(context),
    evidence: createMemoryEvidenceRepository(context),
    holds,
    audit: createMemoryAuditLog(context),
    sightings: createMemorySightingRepository(context),
    watchlist: createMemoryWatchlistRepository(context),
    async flush() {
      context.assertOpen();
    },
    async close() {
      context.close();
    },
  };
}
