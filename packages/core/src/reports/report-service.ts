import type { StorageAdapter } from '../contracts/storage-adapter.js';
import type { Incident } from '../model/incident.js';
import { aggregateIncidents, type IncidentReport, type IncidentReportOptions } from './aggregate-incidents.js';

/** Reports a station presents at its reviews. */
export interface ReportService {
  /** Aggregates the stored incidents (see {@link aggregateIncidents}). */
  incidents(options?: IncidentReportOptions): Promise<IncidentReport>;
}

/** Creates the report service over a station's storage. */
export function createReportService(options: { storage: StorageAdapter }): ReportService {
  const { storage } = options;
  return {
    async incidents(reportOptions = {}) {
      const all: Incident[] = [];
      let after: string | undefined;
      // Pages until the repository reports no next cursor; bounded by the number of stored incidents.
      for (;;) {
        const page = await storage.incidents.query({ ...(reportOptions.station ? { station: reportOptions.station } : {}), limit: 500, ...(after ? { after } : {}) });
        all.push(...page.items);
        if (!page.next || page.items.length === 0) break;
        after = page.next;
      }
      const cameras = new Map((await storage.cameras.list()).map((c) => [c.id, c]));
      return aggregateIncidents(all, cameras, reportOptions);
    },
  };
}
