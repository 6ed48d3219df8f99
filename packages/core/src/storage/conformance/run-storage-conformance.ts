import type { StorageAdapter } from '../../contracts/storage-adapter.js';
import { storageConformanceChecks, type StorageCheckContext, type StorageConformanceCheck } from './storage-conformance-checks.js';
import { WardwatchError } from '../../errors/wardwatch-error.js';

/**
 * What a storage factory returns for one conformance check: a fresh, empty adapter, and for durable
 * adapters a way to open the same store again.
 */
export interface StorageAdapterHarness {
  /** A fresh adapter over an empty store, used by one check only. */
  storage: StorageAdapter;
  /**
   * Opens a new adapter on the same store. The kit always closes the previous adapter first, so a
   * durable adapter must have flushed everything on `close()`. Omit for in-memory adapters.
   */
  reopen?: () => Promise<StorageAdapter>;
  /** Releases whatever the harness made (temporary directories...). Called after the kit closed every adapter. */
  cleanup?: () => Promise<void> | void;
}

/** Makes one {@link StorageAdapterHarness} per check; may return the adapter directly when there is nothing to clean up. */
export type StorageAdapterFactory = () => Promise<StorageAdapterHarness | StorageAdapter> | StorageAdapterHarness | StorageAdapter;

/** Options of the storage conformance kit. */
export interface StorageConformanceOptions {
  /**
   * Whether the adapter is durable: runs the reopen checks, and requires the factory to return `reopen`.
   * @default false
   */
  persistent?: boolean;
  /**
   * Size in bytes of the payload used to exceed the record size limit; must be above the adapter's limit.
   * @default 2097152
   */
  oversizedBytes?: number;
  /** Runs only the checks whose `group` or `name` contains one of these strings. @default every check */
  only?: readonly string[];
}

/** One failed check in a {@link StorageConformanceReport}. */
export interface StorageConformanceFailure {
  /** `group: name` of the check. */
  check: string;
  /** The assertion or adapter error. */
  error: unknown;
}

/** The outcome of {@link runStorageConformance}. */
export interface StorageConformanceReport {
  /** `group: name` of every passed check. */
  passed: string[];
  /** Every failed check with its error. */
  failed: StorageConformanceFailure[];
}

function isHarness(value: StorageAdapterHarness | StorageAdapter): value is StorageAdapterHarness {
  return 'storage' in value && !('segments' in value);
}

/** The checks selected by `options` (reopen checks only for persistent adapters). */
export function selectStorageChecks(options: StorageConformanceOptions = {}): StorageConformanceCheck[] {
  return storageConformanceChecks.filter(
    (c) =>
      (options.persistent === true || !c.needsReopen) &&
      (options.only === undefined || options.only.some((s) => c.group.includes(s) || c.name.includes(s))),
  );
}

/**
 * Runs one check against a fresh harness from `factory`: builds the context, runs the check, then
 * closes every adapter it opened and cleans up, whatever the outcome.
 */
export async function runStorageCheck(check: StorageConformanceCheck, factory: StorageAdapterFactory, options: StorageConformanceOptions = {}): Promise<void> {
  const made = await factory();
  const harness: StorageAdapterHarness = isHarness(made) ? made : { storage: made };
  const opened: StorageAdapter[] = [harness.storage];
  let current = harness.storage;
  const ctx: StorageCheckContext = {
    get storage() {
      return current;
    },
    canReopen: harness.reopen !== undefined,
    async reopen() {
      if (!harness.reopen) throw new WardwatchError('INVALID_ARGUMENT', 'This check needs a reopenable adapter: the factory must return { storage, reopen, cleanup }');
      await current.close();
      current = await harness.reopen();
      opened.push(current);
      return current;
    },
    oversizedBytes: options.oversizedBytes ?? 2 * 1024 * 1024,
  };
  try {
    await check.run(ctx);
  } finally {
    for (const storage of opened) {
      try {
        await storage.close();
      } catch {
        // A close failure after the check is reported by the check itself when it matters.
      }
    }
    await harness.cleanup?.();
  }
}

/**
 * Runs the storage conformance checks as plain async functions (no test runner needed) and reports
 * which passed and which failed. {@link describeStorageAdapter} wraps the same checks in vitest.
 */
export async function runStorageConformance(factory: StorageAdapterFactory, options: StorageConformanceOptions = {}): Promise<StorageConformanceReport> {
  const report: StorageConformanceReport = { passed: [], failed: [] };
  for (const check of selectStorageChecks(options)) {
    const label = `${check.group}: ${check.name}`;
    try {
      await runStorageCheck(check, factory, options);
      report.passed.push(label);
    } catch (error) {
      report.failed.push({ check: label, error });
    }
  }
  return report;
}
