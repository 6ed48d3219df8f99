import { WardwatchError } from '../errors/wardwatch-error.js';
import { HoldSchema, type Hold } from '../model/evidence.js';
import type { Incident } from '../model/incident.js';
import type { EvidenceContext } from './evidence-options.js';
import { newRecordId } from './evidence-id.js';

/** Input of `EvidenceService.createHold`. */
export interface CreateHoldInput {
  cameraId: string;
  from: number;
  to: number;
  reason: string;
  /** Who creates the hold. */
  actor: string;
  /** What the hold belongs to. @default { kind: 'manual', id: <hold id> } */
  owner?: Hold['owner'];
}

/** Holds (evidence locks) of the evidence service: the only writer of `storage.holds` (internal). */
export interface EvidenceHolds {
  create(input: CreateHoldInput): Promise<Hold>;
  release(id: string, input: { actor: string; reason: string }): Promise<Hold>;
  /** Holds every range of an incident not yet held for it; returns the holds created. */
  holdIncident(incident: Incident, actor: string): Promise<Hold[]>;
}

/** Creates the holds of an evidence service: each one validated, audited and announced. */
export function createEvidenceHolds(context: EvidenceContext): EvidenceHolds {
  const { storage, clock, audit, emit } = context;

  async function create(input: CreateHoldInput): Promise<Hold> {
    const at = clock.now();
    const id = newRecordId('hold', at);
    const parsed = HoldSchema.safeParse({
      id,
      cameraId: input.cameraId,
      from: input.from,
      to: input.to,
      owner: input.owner ?? { kind: 'manual', id },
      reason: input.reason,
      createdBy: input.actor,
      createdAt: at,
    });
    if (!parsed.success) {
      throw new WardwatchError('INVALID_ARGUMENT', `Invalid hold: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    }
    const hold = parsed.data;
    await storage.holds.put(hold);
    await audit({ actor: input.actor, action: 'hold.create', target: hold.id, details: { cameraId: hold.cameraId, from: hold.from, to: hold.to, owner: hold.owner, reason: hold.reason } });
    emit({ type: 'hold.created', at, holdId: hold.id, cameraId: hold.cameraId, from: hold.from, to: hold.to });
    return hold;
  }

  async function release(id: string, input: { actor: string; reason: string }): Promise<Hold> {
    if (!input.actor || !input.reason) throw new WardwatchError('INVALID_ARGUMENT', 'Releasing a hold needs an actor and a reason');
    const hold = await storage.holds.get(id);
    if (!hold) throw new WardwatchError('NOT_FOUND', `No hold ${id}`, { details: { holdId: id } });
    if (hold.releasedAt !== undefined) throw new WardwatchError('INVALID_STATE', `Hold ${id} was already released`, { details: { holdId: id } });
    const at = clock.now();
    const released: Hold = { ...hold, releasedAt: at, releasedBy: input.actor };
    await storage.holds.put(released);
    await audit({ actor: input.actor, action: 'hold.release', target: id, details: { cameraId: hold.cameraId, from: hold.from, to: hold.to, reason: input.reason } });
    emit({ type: 'hold.released', at, holdId: id, cameraId: hold.cameraId });
    return released;
  }

  async function holdIncident(incident: Incident, actor: string): Promise<Hold[]> {
    const active = await storage.holds.list({ active: true });
    const created: Hold[] = [];
    for (const range of incident.ranges) {
      const covered = active.some(
        (h) => h.owner.kind === 'incident' && h.owner.id === incident.id && h.cameraId === range.cameraId && h.from <= range.from && h.to >= range.to,
      );
      if (!covered) {
        created.push(await create({ ...range, reason: `incident ${incident.id}: ${incident.title}`, actor, owner: { kind: 'incident', id: incident.id } }));
      }
    }
    return created;
  }

  return { create, release, holdIncident };
}
