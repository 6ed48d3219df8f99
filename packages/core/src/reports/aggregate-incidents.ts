import type { CameraSpec, Ownership } from '../model/camera-spec.js';
import type { Incident } from '../model/incident.js';
import { parseUtcOffset, periodOf, type ReportPeriod } from './period-key.js';

/** Options of {@link aggregateIncidents}. */
export interface IncidentReportOptions {
  /** Bucket size. @default 'month' */
  period?: ReportPeriod;
  /** Local time of the report as a UTC offset. @default '+07:00' (Vietnam) */
  utcOffset?: string;
  /** Only incidents that occurred at or after this UTC ms. */
  from?: number;
  /** Only incidents that occurred before this UTC ms. */
  to?: number;
  /** Only incidents of this police station. */
  station?: string;
}

/** Counts of one period (or of the whole report). */
export interface IncidentCounts {
  total: number;
  byCategory: Record<string, number>;
  byOutcome: Record<string, number>;
  byStatus: Record<string, number>;
  byStation: Record<string, number>;
  /** Incidents with at least one linked camera of each ownership (an incident counts once per ownership). */
  byOwnership: Partial<Record<Ownership | 'unknown', number>>;
  /** Incidents clarified with camera footage: at least one evidence export linked. */
  clarifiedWithFootage: number;
}

/** One period of an incident report. */
export interface IncidentReportRow extends IncidentCounts {
  /** Sortable period key, e.g. `2026-11` or `2026-W48`. */
  key: string;
  /** Period start, UTC ms. */
  from: number;
  /** Period end (exclusive), UTC ms. */
  to: number;
}

/** An incident report: periods in ascending order plus totals. */
export interface IncidentReport {
  period: ReportPeriod;
  utcOffset: string;
  rows: IncidentReportRow[];
  totals: IncidentCounts;
}

const emptyCounts = (): IncidentCounts => ({ total: 0, byCategory: {}, byOutcome: {}, byStatus: {}, byStation: {}, byOwnership: {}, clarifiedWithFootage: 0 });
const bump = (record: Record<string, number>, key: string): void => {
  record[key] = (record[key] ?? 0) + 1;
};

/**
 * Aggregates incidents by period (by `occurredAt` in local time), category, outcome (`none` when
 * not recorded), status, station, camera ownership (via linked ranges' cameras) and footage use.
 */
export function aggregateIncidents(
  incidents: Iterable<Incident>,
  cameras: ReadonlyMap<string, Pick<CameraSpec, 'ownership'>>,
  options: IncidentReportOptions = {},
): IncidentReport {
  const period = options.period ?? 'month';
  const utcOffset = options.utcOffset ?? '+07:00';
  const offset = parseUtcOffset(utcOffset);
  const rows = new Map<string, IncidentReportRow>();
  const totals = emptyCounts();
  for (const incident of incidents) {
    if (options.from !== undefined && incident.occurredAt < options.from) continue;
    if (options.to !== undefined && incident.occurredAt >= options.to) continue;
    if (options.station !== undefined && incident.station !== options.station) continue;
    const p = periodOf(incident.occurredAt, period, offset);
    let row = rows.get(p.key);
    if (!row) rows.set(p.key, (row = { key: p.key, from: p.from, to: p.to, ...emptyCounts() }));
    const ownerships = new Set(incident.ranges.map((r) => cameras.get(r.cameraId)?.ownership ?? 'unknown'));
    for (const counts of [row, totals]) {
      counts.total++;
      bump(counts.byCategory, incident.category);
      bump(counts.byOutcome, incident.outcome ?? 'none');
      bump(counts.byStatus, incident.status);
      bump(counts.byStation, incident.station);
      for (const o of ownerships) bump(counts.byOwnership as Record<string, number>, o);
      if (incident.evidenceIds.length > 0) counts.clarifiedWithFootage++;
    }
  }
  return { period, utcOffset, rows: [...rows.values()].sort((a, b) => a.from - b.from), totals };
}
