import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFileKeyStore,
  createMemoryStorage,
  createStation,
  isWardwatchError,
  parseCameraSpec,
  type EvidenceExportEvent,
  type StationEvent,
  type StorageAdapter,
} from '@wardwatch/core';
import { makeCamera } from '@wardwatch/core/testing';
import { createFakeRecorder } from '../helpers/fake-recorder.js';
import { createVirtualClock } from '../helpers/virtual-clock.js';
import { fakeRecorder, seedSegments, tempDir } from './evidence-fixtures.js';

const T = Date.UTC(2026, 10, 20, 8, 0, 0);

describe('station.evidence and station.audit', () => {
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

  function station() {
    const { clock } = createVirtualClock(Date.UTC(2026, 10, 22, 9, 0, 0));
    const recordings = join(tmp.dir, 'recordings');
    const recorder = { ...createFakeRecorder(clock), exportClip: fakeRecorder(storage, recordings).exportClip };
    const s = createStation({
      storage,
      recorder,
      clock,
      evidence: { keyStore: createFileKeyStore({ dir: join(tmp.dir, 'keys') }), evidenceRoot: join(tmp.dir, 'evidence'), recordingsRoot: recordings, station: { id: 'CA-BN', name: 'CA-BN', ward: 'Bến Nghé' } },
    });
    const events: StationEvent[] = [];
    s.events$.subscribe((e) => events.push(e));
    return { s, clock, recordings, events };
  }

  it('exports through station.evidence, linking the incident through the incident service, audited on the station clock', async () => {
    const { s, clock, recordings, events } = station();
    await storage.cameras.put(parseCameraSpec(makeCamera('cam-a')));
    await seedSegments(storage, recordings, 'cam-a', T, 3);
    const theft = await s.incidents.create({ title: 'Trộm xe máy', category: 'theft', occurredAt: T, ranges: [{ cameraId: 'cam-a', from: T, to: T + 30_000 }], actor: 'officer.lan' });
    const done = (await lastValueFrom(s.evidence!.exportEvidence({ cameraId: 'cam-a', from: T, to: T + 20_000, operator: 'officer.lan', reason: 'r', incidentId: theft.id }))) as Extract<
      EvidenceExportEvent,
      { type: 'done' }
    >;
    expect((await s.incidents.get(theft.id))!.evidenceIds).toEqual([done.record.id]);
    const audit = await storage.audit.list();
    expect(audit.map((a) => a.action)).toEqual(['incident.create', 'hold.create', 'evidence.export', 'incident.link-evidence', 'hold.create']);
    // every entry is stamped by the one station clock
    expect(new Set(audit.map((a) => a.at))).toEqual(new Set([clock.now()]));
    expect(events.map((e) => e.type)).toEqual(['incident.created', 'hold.created', 'incident.updated', 'hold.created', 'evidence.exported']);
    expect((await storage.audit.verify()).ok).toBe(true);
  });

  it('station.audit appends with the station clock time, whatever the caller', async () => {
    const { s, clock } = station();
    const entry = await s.audit({ actor: 'admin', action: 'auth.login', details: { ip: '127.0.0.1' } });
    expect(entry).toMatchObject({ seq: 1, at: clock.now(), actor: 'admin', action: 'auth.login' });
    expect(await storage.audit.list()).toEqual([entry]);
  });

  it('has no evidence service unless asked, and refuses evidence without a recorder', () => {
    expect(createStation({ storage }).evidence).toBeUndefined();
    let error: unknown;
    try {
      createStation({ storage, evidence: { keyStore: createFileKeyStore({ dir: join(tmp.dir, 'keys') }), evidenceRoot: tmp.dir, recordingsRoot: tmp.dir, station: { id: 's', name: 's', ward: 'w' } } });
    } catch (e) {
      error = e;
    }
    expect(isWardwatchError(error, 'INVALID_CONFIG')).toBe(true);
  });
});
