import { runStorageConformance, type StorageConformanceReport } from '@wardwatch/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage, type SightingRepository, type StorageAdapter } from '../../src/index.js';

const failedChecks = (report: StorageConformanceReport): string[] => report.failed.map((f) => f.check);

/** An adapter whose sightings repository is replaced by `wrap(inner)`. */
function withSightings(wrap: (inner: SightingRepository) => SightingRepository): () => StorageAdapter {
  return () => {
    const inner = createMemoryStorage();
    return { ...inner, sightings: wrap(inner.sightings), flush: () => inner.flush(), close: () => inner.close() };
  };
}

describe('the sightings conformance checks detect broken adapters', () => {
  it('fail when a partial plate matches as a substring instead of the whole plate', async () => {
    const broken = withSightings((inner) => ({
      ...inner,
      // The bug: `29A-1??.45` also returns plates that merely contain the pattern's known start.
      query: (q = {}) => inner.query(q.plate?.includes('?') ? { ...q, plate: `${q.plate.split('?')[0]}*` } : q),
    }));
    const failed = failedChecks(await runStorageConformance(broken, { only: ['sightings'] }));
    expect(failed).toContain('sightings: partial plates: ? is one character, * any run, anchored at both ends, results in time order');
    expect(failed.every((f) => f.startsWith('sightings:'))).toBe(true);
  });

  it('fail when the time range end is ignored or cursors repeat items', async () => {
    const noEnd = withSightings((inner) => ({ ...inner, query: (q = {}) => inner.query({ ...q, to: undefined }) }));
    expect(failedChecks(await runStorageConformance(noEnd, { only: ['sightings'] }))).toContain(
      'sightings: an exact plate finds its sightings in time order whatever the layout, inside [from, to)',
    );
    const repeating = withSightings((inner) => ({
      ...inner,
      query: async (q = {}) => {
        const page = await inner.query(q);
        const previous = page.items[page.items.length - 2];
        return page.next && previous ? { ...page, next: previous.id } : page;
      },
    }));
    expect(failedChecks(await runStorageConformance(repeating, { only: ['sightings'] }))).toEqual(['sightings: paging by cursor returns every match exactly once, in order, for each kind of query']);
  });

  it('fail when removeCrops leaves the crops in place', async () => {
    const broken = withSightings((inner) => ({ ...inner, removeCrops: async () => undefined }));
    expect(failedChecks(await runStorageConformance(broken, { only: ['sightings'] }))).toEqual(['sightings: removeCrops forgets crops and keeps the sightings']);
  });
});
