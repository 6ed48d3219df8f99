import { VirtualTimeScheduler } from 'rxjs';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createIncidentService,
  createMemoryStorage,
  createStation,
  INCIDENT_CATEGORIES,
  isWardwatchError,
  type IncidentService,
  type StationEvent,
  type StorageAdapter,
} from '@wardwatch/core';

const T0 = Date.UTC(2026, 10, 1, 3, 0, 0);

async function rejects(promise: Promise<unknown>, code: string): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isWardwatchError(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  return error as Error;
}

describe('incidents service', () => {
  let clock: VirtualTimeScheduler;
  let storage: StorageAdapter;
  let events: StationEvent[];
  let incidents: IncidentService;

  beforeEach(() => {
    clock = new VirtualTimeScheduler();
    clock.frame = T0;
    storage = createMemoryStorage();
    events = [];
    incidents = createIncidentService({ storage, clock, emit: (e) => events.push(e), categories: ['karaoke-noise'], stationName: 'CA Bến Nghé' });
  });

  const advance = (ms: number): void => {
    clock.schedule(() => undefined, ms);
    clock.flush();
  };

  it('creates a validated incident, stores it, audits it with the actor and emits incident.created', async () => {
    const incident = await incidents.create({
      title: 'Cướp giật điện thoại',
      category: 'snatching-robbery',
      occurredAt: T0 - 3_600_000,
      ranges: [{ cameraId: 'cam-1', from: T0 - 3_700_000, to: T0 - 3_500_000 }],
      actor: 'officer.lan',
    });
    expect(incident).toMatchObject({ status: 'open', station: 'CA Bến Nghé', createdBy: 'officer.lan', createdAt: T0, evidenceIds: [] });
    expect(await storage.incidents.get(incident.id)).toEqual(incident);
    const audit = await storage.audit.list();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'officer.lan', action: 'incident.create', target: `incident:${incident.id}`, at: T0 });
    expect(events).toEqual([{ type: 'incident.created', at: T0, incidentId: incident.id, category: 'snatching-robbery' }]);
  });

  it('rejects invalid input naming the fields, and unknown categories unless added', async () => {
    const bad = await rejects(incidents.create({ title: '', category: 'theft', occurredAt: -1, actor: 'a' }), 'INVALID_CONFIG');
    expect(bad.message).toContain('title');
    expect(bad.message).toContain('occurredAt');
    const unknown = await rejects(incidents.create({ title: 't', category: 'jaywalking', occurredAt: T0, actor: 'a' }), 'INVALID_CONFIG');
    expect(unknown.message).toContain('category');
    expect(unknown.message).toContain('incidentCategories');
    expect((await incidents.create({ title: 't', category: 'karaoke-noise', occurredAt: T0, actor: 'a' })).category).toBe('karaoke-noise');
    expect(incidents.categories).toEqual([...INCIDENT_CATEGORIES, 'karaoke-noise']);
    await rejects(incidents.create({ title: 't', category: 'theft', occurredAt: T0, actor: ' ' }), 'INVALID_ARGUMENT');
    await rejects(incidents.create({ title: 't', category: 'theft', occurredAt: T0, actor: 'a', ranges: [{ cameraId: 'c', from: 10, to: 5 }] }), 'INVALID_CONFIG');
    expect(events.filter((e) => e.type === 'incident.created')).toHaveLength(1);
    expect(await storage.audit.list()).toHaveLength(1);
  });

  it('walks the workflow open → investigating → resolved → closed and refuses invalid transitions', async () => {
    const { id } = await incidents.create({ title: 'Đua xe trái phép', category: 'illegal-racing', occurredAt: T0, actor: 'a' });
    await rejects(incidents.setStatus(id, 'resolved', 'a'), 'INVALID_STATE');
    await rejects(incidents.setStatus(id, 'closed', 'a'), 'INVALID_STATE');
    advance(1000);
    await incidents.setStatus(id, 'investigating', 'officer.minh', 'assigned');
    advance(1000);
    await incidents.setStatus(id, 'resolved', 'officer.minh');
    await incidents.setStatus(id, 'investigating', 'chief', 'reopened');
    await incidents.setStatus(id, 'resolved', 'officer.minh');
    const closed = await incidents.setStatus(id, 'closed', 'chief');
    await rejects(incidents.setStatus(id, 'open', 'a'), 'INVALID_STATE');
    expect(closed.history.map((h) => `${h.status}/${h.by}`)).toEqual(['open/a', 'investigating/officer.minh', 'resolved/officer.minh', 'investigating/chief', 'resolved/officer.minh', 'closed/chief']);
    expect(closed.history[1]).toMatchObject({ at: T0 + 1000, note: 'assigned' });
    expect(closed.updatedAt).toBe(T0 + 2000);
    const audit = await storage.audit.list();
    expect(audit.map((e) => e.action)).toEqual(['incident.create', ...Array(5).fill('incident.status')]);
    expect((await storage.audit.verify()).ok).toBe(true);
    expect(events.filter((e) => e.type === 'incident.updated').map((e) => (e.type === 'incident.updated' ? e.status : ''))).toEqual([
      'investigating',
      'resolved',
      'investigating',
      'resolved',
      'closed',
    ]);
    await rejects(incidents.setStatus('nope', 'investigating', 'a'), 'NOT_FOUND');
  });

  it('links cameras/ranges and evidence, records outcomes, edits fields — each audited and emitted', async () => {
    const { id } = await incidents.create({ title: 'Trộm xe máy', category: 'theft', occurredAt: T0, actor: 'a' });
    await incidents.linkRange(id, { cameraId: 'cam-2', from: T0, to: T0 + 60_000 }, 'b');
    await rejects(incidents.linkRange(id, { cameraId: 'bad/id', from: T0, to: T0 + 1 }, 'b'), 'INVALID_ARGUMENT');
    await incidents.linkEvidence(id, 'ev-1', 'b');
    await incidents.linkEvidence(id, 'ev-1', 'b');
    await incidents.setOutcome(id, 'administrative-fine', 'chief');
    await rejects(incidents.setOutcome(id, 'beaten', 'chief'), 'INVALID_CONFIG');
    await incidents.update(id, { title: 'Trộm xe máy Wave', category: 'property-damage' }, 'b');
    await rejects(incidents.update(id, { category: 'nope' }, 'b'), 'INVALID_CONFIG');
    const incident = (await incidents.get(id))!;
    expect(incident).toMatchObject({
      title: 'Trộm xe máy Wave',
      category: 'property-damage',
      outcome: 'administrative-fine',
      evidenceIds: ['ev-1'],
      ranges: [{ cameraId: 'cam-2', from: T0, to: T0 + 60_000 }],
    });
    expect((await storage.audit.list()).map((e) => `${e.action}/${e.actor}`)).toEqual([
      'incident.create/a',
      'incident.link-range/b',
      'incident.link-evidence/b',
      'incident.link-evidence/b',
      'incident.outcome/chief',
      'incident.update/b',
    ]);
    expect(events.at(-2)).toMatchObject({ type: 'incident.updated', incidentId: id, outcome: 'administrative-fine' });
    expect((await incidents.query({ category: 'property-damage' })).items.map((i) => i.id)).toEqual([id]);
  });

  it('station.incidents uses the station option incidentCategories and publishes on events$', async () => {
    const station = createStation({ storage: createMemoryStorage(), incidentCategories: ['fireworks'], clock });
    const seen: string[] = [];
    station.events$.subscribe((e) => seen.push(e.type));
    await station.incidents.create({ title: 'Pháo nổ', category: 'fireworks', occurredAt: T0, actor: 'a' });
    expect(seen).toEqual(['incident.created']);
  });
});
