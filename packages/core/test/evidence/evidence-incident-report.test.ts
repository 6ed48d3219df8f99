import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEvidenceService,
  createFileKeyStore,
  createIncidentService,
  createMemoryStorage,
  createReportService,
  parseCameraSpec,
  systemClock,
  type EvidenceExportEvent,
  type StationEvent,
  type StorageAdapter,
} from '@wardwatch/core';
import { makeCamera } from '@wardwatch/core/testing';
import { fakeRecorder, seedSegments, tempDir } from './evidence-fixtures.js';

const T = Date.UTC(2026, 10, 20, 8, 0, 0);

describe('incidents ↔ evidence', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let storage: StorageAdapter;
  beforeEach(async () => {
    tmp = await tempDir();
    storage = createMemoryStorage();
  });
  afterEach(async () => {
    await storage.close();
    await tmp.cleanup();
  });

  it('an export linked to an incident (through the incident service) makes the report count it as clarified with camera footage', async () => {
    const events: StationEvent[] = [];
    const recordings = join(tmp.dir, 'recordings');
    await storage.cameras.put(parseCameraSpec(makeCamera('cam-a')));
    await seedSegments(storage, recordings, 'cam-a', T, 3);
    const incidents = createIncidentService({ storage, clock: systemClock, emit: (e) => events.push(e), stationName: 'CA-BN' });
    const evidence = createEvidenceService({
      storage,
      recorder: fakeRecorder(storage, recordings),
      keyStore: createFileKeyStore({ dir: join(tmp.dir, 'keys') }),
      evidenceRoot: join(tmp.dir, 'evidence'),
      recordingsRoot: recordings,
      station: { id: 'CA-BN', name: 'CA-BN', ward: 'Bến Nghé' },
      incidents,
      emit: (e) => events.push(e),
    });
    const theft = await incidents.create({ title: 'Trộm xe máy', category: 'theft', occurredAt: T, ranges: [{ cameraId: 'cam-a', from: T, to: T + 30_000 }], actor: 'officer.lan' });
    await incidents.create({ title: 'Tụ tập gây rối', category: 'public-order', occurredAt: T, actor: 'officer.lan' });
    const done = (await lastValueFrom(
      evidence.exportEvidence({ cameraId: 'cam-a', from: T, to: T + 20_000, operator: 'officer.lan', reason: 'r', incidentId: theft.id }),
    )) as Extract<EvidenceExportEvent, { type: 'done' }>;
    await incidents.setOutcome(theft.id, 'administrative-fine', 'chief.minh');

    expect((await incidents.get(theft.id))!.evidenceIds).toEqual([done.record.id]);
    const report = await createReportService({ storage }).incidents();
    expect(report.totals).toMatchObject({ total: 2, clarifiedWithFootage: 1, byOutcome: { 'administrative-fine': 1 } });
    const holds = await evidence.listHolds({ active: true });
    expect(holds.filter((h) => h.owner.kind === 'incident')).toMatchObject([{ owner: { id: theft.id }, from: T, to: T + 30_000 }]);
    expect((await storage.audit.verify()).ok).toBe(true);
  });
});
