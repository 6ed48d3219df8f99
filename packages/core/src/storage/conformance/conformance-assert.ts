import assert from 'node:assert/strict';
import type { StorageCheckContext, StorageConformanceCheck } from './storage-conformance-checks.js';

/** Awaits `fn` and asserts it fails with a WardwatchError of `code` (compared by code, not class identity). */
export async function expectCode(what: string, code: string, fn: () => Promise<unknown>): Promise<void> {
  let error: unknown;
  let failed = false;
  try {
    await fn();
  } catch (e) {
    error = e;
    failed = true;
  }
  if (!failed) throw new assert.AssertionError({ message: `${what}: expected a ${code} error, but it succeeded` });
  const got = (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  if (got !== code || name !== 'WardwatchError') {
    throw new assert.AssertionError({
      message: `${what}: expected a WardwatchError ${code}, got ${String(name)} ${String(got)}: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

/** Builds a {@link StorageConformanceCheck}. */
export const check = (group: string, name: string, run: (ctx: StorageCheckContext) => Promise<void>, needsReopen = false): StorageConformanceCheck => ({
  group,
  name,
  run,
  ...(needsReopen ? { needsReopen } : {}),
});
