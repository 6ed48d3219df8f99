import type { IncidentStatus } from '../model/incident.js';

/**
 * The allowed incident status transitions: open → investigating → resolved → closed, plus
 * reopening a resolved incident (resolved → investigating). Anything else is `INVALID_STATE`.
 */
export const INCIDENT_TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  open: ['investigating'],
  investigating: ['resolved'],
  resolved: ['closed', 'investigating'],
  closed: [],
};

/** True when an incident may move from `from` to `to`. */
export function canTransitionIncident(from: IncidentStatus, to: IncidentStatus): boolean {
  return INCIDENT_TRANSITIONS[from].includes(to);
}
