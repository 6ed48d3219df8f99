import {
  runStorageCheck,
  selectStorageChecks,
  type StorageAdapterFactory,
  type StorageConformanceOptions,
} from '../storage/conformance/run-storage-conformance.js';
import { loadVitest } from './load-vitest.js';

/** Options of {@link describeStorageAdapter}: the kit's options plus vitest settings. */
export interface DescribeStorageAdapterOptions extends StorageConformanceOptions {
  /** Name of the top-level `describe` block. @default 'StorageAdapter conformance' */
  name?: string;
  /** Per-check timeout in milliseconds. @default 30000 */
  timeoutMs?: number;
}

/**
 * Registers the storage conformance suite with vitest (loaded on this call; `runStorageConformance` needs none): one
 * `it` per check, grouped by repository, each on a fresh adapter from `factory`. Durable adapters pass `{ persistent: true }` and return
 * `{ storage, reopen, cleanup }` from the factory to also run the close/reopen checks.
 *
 * ```ts
 * describeStorageAdapter(async () => {
 *   const dir = await mkdtemp(join(tmpdir(), 'ww-'));
 *   return {
 *     storage: await createLevelStorage({ path: dir }),
 *     reopen: () => createLevelStorage({ path: dir }),
 *     cleanup: () => rm(dir, { recursive: true, force: true }),
 *   };
 * }, { persistent: true });
 * ```
 */
export function describeStorageAdapter(factory: StorageAdapterFactory, options: DescribeStorageAdapterOptions = {}): void {
  const { describe, it } = loadVitest('describeStorageAdapter');
  const checks = selectStorageChecks(options);
  const groups = [...new Set(checks.map((c) => c.group))];
  describe(options.name ?? 'StorageAdapter conformance', () => {
    for (const group of groups) {
      describe(group, () => {
        for (const check of checks.filter((c) => c.group === group)) {
          it(check.name, () => runStorageCheck(check, factory, options), options.timeoutMs ?? 30_000);
        }
      });
    }
  });
}
