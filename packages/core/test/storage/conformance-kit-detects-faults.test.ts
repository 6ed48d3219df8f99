import { runStorageConformance, selectStorageChecks, type StorageConformanceReport } from '@wardwatch/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage, type Incident, type IncidentStatus, type StorageAdapter } from '../../src/index.js';

/** Failed check labels of a report. */
const failedChecks = (report: StorageConformanceReport): string[] => report.failed.map((f) => f.check);

/** A wrapper whose segment query ignores `to` (returns everything from `from` on). */
function ignoringQueryEnd(inner: StorageAdapter): StorageAdapter {
  return {
    ...inner,
    segments: {
      ...inner.segments,
      query: (cameraId, range) => inner.segments.query(cameraId, { from: range.from, to: Number.MAX_SAFE_INTEGER }),
    },
  };
}

/** A wrapper with its own status index that is never updated when an incident's status changes. */
function staleStatusIndex(inner: StorageAdapter): StorageAdapter {
  const firstStatus = new Map<string, IncidentStatus>();
  return {
    ...inner,
    incidents: {
      ...inner.incidents,
      async put(incident) {
        await inner.incidents.put(incident);
        if (!firstStatus.has(incident.id)) firstStatus.set(incident.id, incident.status);
      },
      async query(query = {}) {
        const { status, ...rest } = query;
        const page = await inner.incidents.query(rest);
        const items: Incident[] = [];
        for (const item of page.items) if (status === undefined || firstStatus.get(item.id) === status) items.push(item);
        return { ...page, items };
      },
    },
  };
}

/** A wrapper whose audit log verifies without looking and whose close does nothing. */
function lyingLifecycle(inner: StorageAdapter): StorageAdapter {
  return {
    ...inner,
    audit: { ...inner.audit, verify: async () => ({ ok: true, entries: 0, lastHash: '0'.repeat(64) }) },
    close: async () => {},
  };
}

/** A wrapper that pages events with an off-by-one cursor (repeats the last item of each page). */
function offByOneCursor(inner: StorageAdapter): StorageAdapter {
  return {
    ...inner,
    events: {
      ...inner.events,
      async query(query = {}) {
        const page = await inner.events.query(query);
        return page.next === undefined ? page : { ...page, next: page.items[page.items.length - 2]?.id ?? page.next };
      },
    },
  };
}

describe('the storage conformance kit detects broken adapters', () => {
  it('passes every check on the correct in-memory adapter', async () => {
    const report = await runStorageConformance(() => createMemoryStorage());
    expect(report.failed).toEqual([]);
    expect(report.passed.length).toBe(selectStorageChecks().length);
    expect(report.passed.length).toBeGreaterThan(25);
  });

  it('fails the overlap checks when query ignores `to`', async () => {
    const report = await runStorageConformance(() => ignoringQueryEnd(createMemoryStorage()));
    const failed = failedChecks(report);
    expect(failed).toContain('segments: overlap is half-open [from, to): touching ends are excluded, partial overlaps included');
    expect(failed).toContain('segments: query returns the exact records ordered by start, whatever the insertion order');
    expect(failed.every((f) => f.startsWith('segments:'))).toBe(true);
    const overlap = report.failed.find((f) => f.check.includes('half-open'));
    expect(String((overlap?.error as Error).message)).toMatch(/exactly one segment/);
  });

  it('fails the index-consistency check when the incident status index goes stale', async () => {
    const report = await runStorageConformance(() => staleStatusIndex(createMemoryStorage()));
    const failed = failedChecks(report);
    expect(failed).toContain('incidents: secondary indexes follow updates: a changed status, category, station or camera leaves the old filter');
    expect(failed.every((f) => f.startsWith('incidents:') || f.startsWith('consistency:'))).toBe(true);
  });

  it('fails the audit and lifecycle checks when verify lies and close is a no-op', async () => {
    const failed = failedChecks(await runStorageConformance(() => lyingLifecycle(createMemoryStorage())));
    expect(failed).toContain('audit: append chains entries (seq, prevHash, hash); list pages by fromSeq/limit; verify reports ok');
    expect(failed).toContain('lifecycle: close is idempotent and every later call fails with STORAGE_CLOSED');
  });

  it('fails the paging check when cursors repeat items', async () => {
    const failed = failedChecks(await runStorageConformance(() => offByOneCursor(createMemoryStorage()), { only: ['events'] }));
    expect(failed).toEqual(['events: paging with cursors visits every match once, in order, and the last page has no cursor']);
  });

  it('fails the persistence check when "reopen" loses the data', async () => {
    const report = await runStorageConformance(
      () => ({ storage: createMemoryStorage(), reopen: async () => createMemoryStorage() }),
      { persistent: true, only: ['persistence'] },
    );
    expect(report.passed).toEqual([]);
    expect(failedChecks(report)).toHaveLength(1);
  });
});
