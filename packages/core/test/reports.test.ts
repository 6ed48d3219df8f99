import { describe, expect, it } from 'vitest';
import {
  aggregateIncidents,
  createMemoryStorage,
  createReportService,
  IncidentSchema,
  isWardwatchError,
  parseCameraSpec,
  parseUtcOffset,
  periodOf,
  type Incident,
} from '@wardwatch/core';

const H = 3_600_000;

function incident(id: string, occurredAt: number, extra: Partial<Incident> = {}): Incident {
  return IncidentSchema.parse({
    id,
    title: id,
    category: 'theft',
    status: 'open',
    station: 'CA Bến Nghé',
    occurredAt,
    createdBy: 'a',
    createdAt: occurredAt,
    updatedAt: occurredAt,
    ...extra,
  });
}

describe('report periods', () => {
  it('buckets by local time at the given UTC offset (default Vietnam +07:00)', () => {
    // 2026-03-31 18:30 UTC is 2026-04-01 01:30 in Vietnam
    const at = Date.UTC(2026, 2, 31, 18, 30);
    const vn = parseUtcOffset('+07:00');
    expect(periodOf(at, 'day', vn)).toEqual({ key: '2026-04-01', from: Date.UTC(2026, 3, 1) - 7 * H, to: Date.UTC(2026, 3, 2) - 7 * H });
    expect(periodOf(at, 'month', vn).key).toBe('2026-04');
    expect(periodOf(at, 'quarter', vn).key).toBe('2026-Q2');
    expect(periodOf(at, 'year', vn).key).toBe('2026');
    expect(periodOf(at, 'day', 0).key).toBe('2026-03-31');
    expect(periodOf(at, 'quarter', 0).key).toBe('2026-Q1');
  });

  it('uses ISO weeks starting on Monday', () => {
    expect(periodOf(Date.UTC(2026, 10, 23, 12), 'week', 0)).toEqual({ key: '2026-W48', from: Date.UTC(2026, 10, 23), to: Date.UTC(2026, 10, 30) });
    expect(periodOf(Date.UTC(2027, 0, 1, 12), 'week', 0).key).toBe('2026-W53'); // Friday 1 Jan 2027 belongs to 2026's last week
    expect(periodOf(Date.UTC(2024, 11, 30, 12), 'week', 0).key).toBe('2025-W01');
  });

  it('rejects malformed offsets and periods', () => {
    expect(parseUtcOffset('-05:30')).toBe(-330);
    expect(parseUtcOffset('Z')).toBe(0);
    for (const bad of ['7', '+7:00', '+15:00', 'UTC+7']) expect(() => parseUtcOffset(bad)).toThrow(/UTC offset/);
    try {
      periodOf(0, 'decade' as never, 0);
      expect.unreachable();
    } catch (error) {
      expect(isWardwatchError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('aggregateIncidents', () => {
  const cameras = new Map([
    ['c-station', { ownership: 'station' as const }],
    ['c-house', { ownership: 'household' as const }],
    ['c-shop', { ownership: 'business' as const }],
  ]);
  const jan = Date.UTC(2026, 0, 10);
  const feb = Date.UTC(2026, 1, 10);
  const list = [
    incident('i1', jan, { category: 'theft', outcome: 'administrative-fine', evidenceIds: ['e1'], ranges: [{ cameraId: 'c-house', from: jan, to: jan + 1000 }] }),
    incident('i2', jan + H, { category: 'theft', outcome: 'prosecuted', ranges: [{ cameraId: 'c-house', from: jan, to: jan + 1000 }, { cameraId: 'c-station', from: jan, to: jan + 1000 }] }),
    incident('i3', jan + 2 * H, { category: 'assault', status: 'closed', evidenceIds: ['e2', 'e3'], ranges: [{ cameraId: 'c-shop', from: jan, to: jan + 1 }, { cameraId: 'c-gone', from: jan, to: jan + 1 }] }),
    incident('i4', feb, { category: 'waste-dumping', outcome: 'no-violation', station: 'CA Bến Thành' }),
    // 31 Jan 20:00 UTC is 1 Feb 03:00 in Vietnam
    incident('i5', Date.UTC(2026, 0, 31, 20), { category: 'theft' }),
  ];

  it('counts per month, category, outcome, status, station, ownership and footage use', () => {
    const report = aggregateIncidents(list, cameras);
    expect(report.period).toBe('month');
    expect(report.utcOffset).toBe('+07:00');
    expect(report.rows.map((r) => [r.key, r.total])).toEqual([
      ['2026-01', 3],
      ['2026-02', 2],
    ]);
    const janRow = report.rows[0]!;
    expect(janRow.byCategory).toEqual({ theft: 2, assault: 1 });
    expect(janRow.byOutcome).toEqual({ 'administrative-fine': 1, prosecuted: 1, none: 1 });
    expect(janRow.byStatus).toEqual({ open: 2, closed: 1 });
    expect(janRow.byOwnership).toEqual({ household: 2, station: 1, business: 1, unknown: 1 });
    expect(janRow.clarifiedWithFootage).toBe(2);
    expect(report.totals.total).toBe(5);
    expect(report.totals.byStation).toEqual({ 'CA Bến Nghé': 4, 'CA Bến Thành': 1 });
    expect(report.totals.clarifiedWithFootage).toBe(2);
  });

  it('filters by station and range, and supports other periods and offsets', () => {
    expect(aggregateIncidents(list, cameras, { station: 'CA Bến Thành' }).totals.total).toBe(1);
    expect(aggregateIncidents(list, cameras, { from: feb }).totals.total).toBe(1);
    expect(aggregateIncidents(list, cameras, { utcOffset: 'Z' }).rows.map((r) => r.total)).toEqual([4, 1]);
    expect(aggregateIncidents(list, cameras, { period: 'quarter' }).rows.map((r) => [r.key, r.total])).toEqual([['2026-Q1', 5]]);
    expect(aggregateIncidents(list, cameras, { period: 'day' }).rows.map((r) => r.key)).toEqual(['2026-01-10', '2026-02-01', '2026-02-10']);
  });
});

describe('report service', () => {
  it('reads every incident page and camera ownership from storage', async () => {
    const storage = createMemoryStorage();
    await storage.cameras.put(
      parseCameraSpec({ id: 'c-house', name: 'h', site: { ward: 'w', station: 's' }, location: { lat: 0, lon: 0 }, ownership: 'household', driver: 'fake', connection: { host: 'h' } }),
    );
    const base = Date.UTC(2026, 5, 1);
    for (let i = 0; i < 620; i++) {
      await storage.incidents.put(incident(`i${String(i).padStart(4, '0')}`, base + i * H, i % 2 === 0 ? { evidenceIds: ['e'], ranges: [{ cameraId: 'c-house', from: base, to: base + 1 }] } : {}));
    }
    const report = await createReportService({ storage }).incidents({ period: 'year' });
    expect(report.totals.total).toBe(620);
    expect(report.totals.clarifiedWithFootage).toBe(310);
    expect(report.totals.byOwnership).toEqual({ household: 310 });
  });
});
