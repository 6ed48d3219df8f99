import { createAudit, type Audit } from '../audit/create-audit.js';
import type { Recorder } from '../contracts/recorder.js';
import { createEvidenceService, type EvidenceService } from '../evidence/evidence-service.js';
import { createIncidentService, type IncidentService } from '../incidents/incident-service.js';
import type { StationEvent } from '../model/station-event.js';
import { createReportService, type ReportService } from '../reports/report-service.js';
import { createSightingService, type SightingService } from '../sightings/sighting-service.js';
import { createWatchlistService, type WatchlistService } from '../sightings/watchlist-service.js';
import type { ResolvedStationOptions } from './resolve-station-options.js';
import type { StationOptions } from './station.js';

/** The services of a station, wired to one audit function and one event stream (internal). */
export interface StationServices {
  audit: Audit;
  incidents: IncidentService;
  reports: ReportService;
  evidence: EvidenceService | undefined;
  sightings: SightingService;
  watchlists: WatchlistService;
}

/** Creates the audit function, the incident, report, sighting, watchlist and (when configured) evidence services of a station. */
export function createStationServices(
  options: StationOptions,
  resolved: ResolvedStationOptions,
  parts: { recorder: Recorder | undefined; emit: (event: StationEvent) => void; clockOffsetOf: (cameraId: string) => number | undefined },
): StationServices {
  const { storage, clock, logger } = resolved;
  const { emit, recorder } = parts;
  const audit = createAudit({ log: storage.audit, clock });
  const incidents = createIncidentService({
    storage,
    clock,
    emit,
    audit,
    ...(options.incidentCategories ? { categories: options.incidentCategories } : {}),
    ...(options.incidentOutcomes ? { outcomes: options.incidentOutcomes } : {}),
    ...(options.stationName ? { stationName: options.stationName } : {}),
  });
  const evidence =
    options.evidence && recorder
      ? createEvidenceService({ ...options.evidence, storage, recorder, clock, logger, emit, audit, incidents, clockOffsetOf: parts.clockOffsetOf })
      : undefined;
  const watchlists = createWatchlistService({ storage, clock, emit, audit });
  const sightings = createSightingService({ ...options.sightings, storage, clock, logger, emit, audit, watchlists });
  return { audit, incidents, reports: createReportService({ storage }), evidence, sightings, watchlists };
}
