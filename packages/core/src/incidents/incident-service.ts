import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createAudit, type Audit } from '../audit/create-audit.js';
import type { Clock } from '../contracts/clock.js';
import type { Page, IncidentQuery, StorageAdapter } from '../contracts/storage-adapter.js';
import { WardwatchError } from '../errors/wardwatch-error.js';
import {
  INCIDENT_CATEGORIES,
  INCIDENT_OUTCOMES,
  IncidentRangeSchema,
  IncidentSchema,
  type Incident,
  type IncidentRange,
  type IncidentStatus,
} from '../model/incident.js';
import type { StationEvent } from '../model/station-event.js';
import { parseWithSchema } from '../model/validate.js';
import { canTransitionIncident } from './incident-transitions.js';

/** What a caller gives to open an incident. */
export interface CreateIncidentInput {
  title: string;
  description?: string;
  /** One of the station's categories (built-in {@link INCIDENT_CATEGORIES} plus `incidentCategories`). */
  category: string;
  /** The police station handling it. @default the station option `stationName` */
  station?: string;
  /** When it happened, UTC ms. */
  occurredAt: number;
  /** Linked cameras and time ranges. @default [] */
  ranges?: IncidentRange[];
  /** Linked evidence export ids. @default [] */
  evidenceIds?: string[];
  /** Who opens it (user id); recorded in the audit log. */
  actor: string;
  /** An id to use instead of a generated one. */
  id?: string;
}

/** Editable descriptive fields of an incident. */
export interface IncidentPatch {
  title?: string;
  description?: string;
  category?: string;
  occurredAt?: number;
}

/** Options of {@link createIncidentService}. */
export interface IncidentServiceOptions {
  storage: StorageAdapter;
  clock: Clock;
  /** Publishes `incident.created` / `incident.updated`. */
  emit: (event: StationEvent) => void;
  /** The station's audit function. @default one over `storage.audit` and `clock` */
  audit?: Audit;
  /** Categories added to {@link INCIDENT_CATEGORIES}. @default [] */
  categories?: readonly string[];
  /** Outcomes added to {@link INCIDENT_OUTCOMES}. @default [] */
  outcomes?: readonly string[];
  /** Default `station` of new incidents. @default 'station' */
  stationName?: string;
}

/** Incidents (vụ việc) on top of storage: validated, workflow-checked, audited, and published as events. */
export interface IncidentService {
  /** Every accepted category. */
  readonly categories: readonly string[];
  /** Every accepted outcome. */
  readonly outcomes: readonly string[];
  create(input: CreateIncidentInput): Promise<Incident>;
  get(id: string): Promise<Incident | undefined>;
  query(query?: IncidentQuery): Promise<Page<Incident>>;
  /** Edits title/description/category/occurredAt. */
  update(id: string, patch: IncidentPatch, actor: string): Promise<Incident>;
  /** Moves the workflow; invalid transitions are `INVALID_STATE`. */
  setStatus(id: string, status: IncidentStatus, actor: string, note?: string): Promise<Incident>;
  /** Links a camera and time range. */
  linkRange(id: string, range: IncidentRange, actor: string): Promise<Incident>;
  /** Links an evidence export (the incident is then "clarified with camera footage"). */
  linkEvidence(id: string, evidenceId: string, actor: string): Promise<Incident>;
  /** Records the outcome (administrative fine, prosecuted, no violation, ...). */
  setOutcome(id: string, outcome: string, actor: string): Promise<Incident>;
}

const ActorSchema = z.string().trim().min(1, 'must name who acts');

/** Creates the incidents service of a station. */
export function createIncidentService(options: IncidentServiceOptions): IncidentService {
  const { storage, clock, emit } = options;
  const audit = options.audit ?? createAudit({ log: storage.audit, clock });
  const categories = [...new Set([...INCIDENT_CATEGORIES, ...(options.categories ?? [])])];
  const outcomes = [...new Set([...INCIDENT_OUTCOMES, ...(options.outcomes ?? [])])];
  const stationName = options.stationName ?? 'station';

  const checkActor = (actor: unknown): string => parseWithSchema(ActorSchema, actor, 'actor', 'INVALID_ARGUMENT');
  const checkCategory = (category: string): void => {
    if (!categories.includes(category)) {
      throw new WardwatchError('INVALID_CONFIG', `Invalid incident: category: "${category}" is not one of ${categories.join(', ')} (add it with the incidentCategories option)`, {
        details: { problems: [{ path: 'category', message: 'unknown category' }] },
      });
    }
  };
  const load = async (id: string): Promise<Incident> => {
    const found = await storage.incidents.get(id);
    if (!found) throw new WardwatchError('NOT_FOUND', `Incident "${id}" does not exist`, { details: { incidentId: id } });
    return found;
  };
  const save = async (incident: Incident, actor: string, action: string, details: Record<string, unknown>, created: boolean): Promise<Incident> => {
    const valid = parseWithSchema(IncidentSchema, incident, 'incident');
    await storage.incidents.put(valid);
    await audit({ actor, action, target: `incident:${valid.id}`, details });
    emit(
      created
        ? { type: 'incident.created', at: clock.now(), incidentId: valid.id, category: valid.category }
        : { type: 'incident.updated', at: clock.now(), incidentId: valid.id, status: valid.status, ...(valid.outcome ? { outcome: valid.outcome } : {}) },
    );
    return valid;
  };
  const change = async (id: string, actor: string, action: string, details: Record<string, unknown>, apply: (incident: Incident) => Incident): Promise<Incident> => {
    const who = checkActor(actor);
    const current = await load(id);
    const next = apply(current);
    return save({ ...next, updatedAt: clock.now() }, who, action, details, false);
  };

  return {
    categories,
    outcomes,
    async create(input) {
      const actor = checkActor(input?.actor);
      const now = clock.now();
      const candidate = {
        id: input.id ?? `inc-${randomUUID()}`,
        title: input.title,
        description: input.description,
        category: input.category,
        status: 'open' as const,
        station: input.station ?? stationName,
        occurredAt: input.occurredAt,
        ranges: input.ranges,
        evidenceIds: input.evidenceIds,
        createdBy: actor,
        createdAt: now,
        updatedAt: now,
        history: [{ at: now, by: actor, status: 'open' as const }],
      };
      const incident = parseWithSchema(IncidentSchema, candidate, 'incident');
      checkCategory(incident.category);
      if (await storage.incidents.get(incident.id)) {
        throw new WardwatchError('ALREADY_EXISTS', `Incident "${incident.id}" already exists`, { details: { incidentId: incident.id } });
      }
      return save(incident, actor, 'incident.create', { category: incident.category, title: incident.title }, true);
    },
    get: (id) => storage.incidents.get(id),
    query: (query) => storage.incidents.query(query),
    async update(id, patch, actor) {
      if (patch.category !== undefined) checkCategory(patch.category);
      const fields = Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && ['title', 'description', 'category', 'occurredAt'].includes(k)));
      return change(id, actor, 'incident.update', { fields: Object.keys(fields) }, (incident) => ({ ...incident, ...fields }));
    },
    async setStatus(id, status, actor, note) {
      return change(id, actor, 'incident.status', { status, ...(note ? { note } : {}) }, (incident) => {
        if (!canTransitionIncident(incident.status, status)) {
          throw new WardwatchError('INVALID_STATE', `Incident "${id}" cannot move from ${incident.status} to ${status}`, { details: { incidentId: id, from: incident.status, to: status } });
        }
        const by = actor.trim();
        return { ...incident, status, history: [...incident.history, { at: clock.now(), by, status, ...(note ? { note } : {}) }] };
      });
    },
    async linkRange(id, range, actor) {
      const valid = parseWithSchema(IncidentRangeSchema, range, 'incident range', 'INVALID_ARGUMENT');
      return change(id, actor, 'incident.link-range', { ...valid }, (incident) => ({ ...incident, ranges: [...incident.ranges, valid] }));
    },
    async linkEvidence(id, evidenceId, actor) {
      if (typeof evidenceId !== 'string' || evidenceId.length === 0) throw new WardwatchError('INVALID_ARGUMENT', 'evidenceId must be a non-empty string');
      return change(id, actor, 'incident.link-evidence', { evidenceId }, (incident) =>
        incident.evidenceIds.includes(evidenceId) ? incident : { ...incident, evidenceIds: [...incident.evidenceIds, evidenceId] },
      );
    },
    async setOutcome(id, outcome, actor) {
      if (!outcomes.includes(outcome)) {
        throw new WardwatchError('INVALID_CONFIG', `Invalid incident: outcome: "${outcome}" is not one of ${outcomes.join(', ')}`, {
          details: { problems: [{ path: 'outcome', message: 'unknown outcome' }] },
        });
      }
      return change(id, actor, 'incident.outcome', { outcome }, (incident) => ({ ...incident, outcome }));
    },
  };
}
