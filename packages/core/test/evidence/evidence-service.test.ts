import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { asyncScheduler, lastValueFrom, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEvidenceService,
  createFileKeyStore,
  createMemoryStorage,
  parseCameraSpec,
  verifyAuditChain,
  verifyEvidencePackage,
  type Clock,
  type EvidenceExportEvent,
  type EvidenceService,
  type StationEvent,
  type StorageAdapter,
} from '@wardwatch/core';
import { makeCamera, makeIncident } from '@wardwatch/core/testing';
import { fakeRecorder, fileSha256, flipByte, seedSegments, tempDir } from './evidence-fixtures.js';

const T = Date.UTC(2026, 10, 20, 8, 0, 0);
const NOW = Date.UTC(2026, 10, 22, 9, 30, 0);

function fixedClock(at: () => number): Clock {
  return Object.assign(Object.create(asyncScheduler) as Clock, { now: at });
}

describe('createEvidenceService', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let storage: StorageAdapter;
  let events: StationEvent[];
  let service: EvidenceService;
  let recordings: string;
  let evidenceRoot: string;
  let now: number;

  function build(options: { delayMs?: number; zip?: 'eager' | 'on-demand' } = {}): EvidenceService {
    return createEvidenceService({
      storage,
      recorder: fakeRecorder(storage, recordings, options),
      keyStore: createFileKeyStore({ dir: join(tmp.dir, 'keys') }),
      evidenceRoot,
      recordingsRoot: recordings,
      station: { id: 'CA-BN', name: 'Công an phường Bến Nghé', ward: 'Phường Bến Nghé' },
      softwareVersions: { '@wardwatch/core': '0.1.0' },
      clock: fixedClock(() => now),
      emit: (e) => events.push(e),
      clockOffsetOf: (id) => (id === 'cam-a' ? -1500 : undefined),
      ...(options.zip ? { zip: options.zip } : {}),
    });
  }

  beforeEach(async () => {
    tmp = await tempDir();
    recordings = join(tmp.dir, 'recordings');
    evidenceRoot = join(tmp.dir, 'evidence');
    storage = createMemoryStorage();
    events = [];
    now = NOW;
    await storage.cameras.put(parseCameraSpec(makeCamera('cam-a', { name: 'Cổng chợ Bến Thành', location: { lat: 10.772, lon: 106.698, address: 'Lê Lợi' } })));
    // Most tests look at the .zip right after the export, so they ask for it eagerly (the default is on demand).
    service = build({ zip: 'eager' });
  });
  afterEach(async () => {
    await storage.close();
    await tmp.cleanup();
  });

  it('exports a signed package from verified segments, indexes, holds, audits and announces it', async () => {
    const segments = await seedSegments(storage, recordings, 'cam-a', T, 6);
    const out = await lastValueFrom(
      service.exportEvidence({ cameraId: 'cam-a', from: T + 5_000, to: T + 35_000, operator: 'officer.lan', reason: 'Trích xuất theo yêu cầu', caseId: 'VV-7' }).pipe(toArray()),
    );
    const progress = out.filter((e): e is Extract<EvidenceExportEvent, { type: 'progress' }> => e.type === 'progress');
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.map((p) => p.ratio)).toEqual([...progress.map((p) => p.ratio)].sort((a, b) => a - b));
    expect(new Set(progress.map((p) => p.phase))).toEqual(new Set(['verify-sources', 'cut', 'package', 'zip']));
    expect(progress.at(-1)!.ratio).toBe(1);
    const done = out.at(-1) as Extract<EvidenceExportEvent, { type: 'done' }>;
    expect(done.type).toBe('done');
    const { record, manifest } = done;
    expect(record.id).toMatch(/^ev-20261122-093000-[0-9a-f]{6}$/);
    expect(manifest.camera).toMatchObject({ id: 'cam-a', name: 'Cổng chợ Bến Thành', ownership: 'station', location: { lat: 10.772, address: 'Lê Lợi' } });
    expect(manifest.requested).toMatchObject({ from: T + 5_000, to: T + 35_000, fromIso: '2026-11-20T08:00:05.000Z' });
    expect(manifest.actual).toEqual({ from: T, to: T + 40_000, fromIso: new Date(T).toISOString(), toIso: new Date(T + 40_000).toISOString() });
    expect(manifest.sourceSegments.map((s) => s.sha256)).toEqual(segments.slice(0, 4).map((s) => s.sha256));
    expect(manifest).toMatchObject({ operator: 'officer.lan', caseId: 'VV-7', incidentId: null, clockOffsetMs: -1500, exportedAt: NOW, station: { id: 'CA-BN' } });
    expect(await fileSha256(join(done.packageDir, 'clip.mp4'))).toBe(record.clipSha256);

    expect(await storage.evidence.get(record.id)).toEqual(record);
    const holds = await service.listHolds({ cameraId: 'cam-a', active: true });
    expect(holds).toHaveLength(1);
    expect(holds[0]).toMatchObject({ id: record.holdId, owner: { kind: 'evidence', id: record.id }, from: T + 5_000, to: T + 35_000, createdBy: 'officer.lan' });
    const audit = await storage.audit.list();
    expect(audit.map((a) => a.action)).toEqual(['hold.create', 'evidence.export']);
    expect(audit[1]).toMatchObject({ actor: 'officer.lan', target: record.id, details: { manifestSha256: record.manifestSha256, caseId: 'VV-7' } });
    expect(events.map((e) => e.type)).toEqual(['hold.created', 'evidence.exported']);

    expect((await readdir(evidenceRoot)).sort()).toEqual([record.id, `${record.id}.zip`]);
    const folder = await verifyEvidencePackage(done.packageDir, { publicKey: await service.publicKeyPem() });
    expect(folder.ok).toBe(true);
    const zip = await verifyEvidencePackage(done.zipPath, { publicKey: await service.publicKeyPem() });
    expect(zip.ok).toBe(true);
    const stored = await service.verifyEvidence(record.id, { actor: 'inspector.ha' });
    expect(stored.ok).toBe(true);
    expect((await storage.audit.list()).at(-1)).toMatchObject({ action: 'evidence.verify', actor: 'inspector.ha', target: record.id });
  });

  it('stops with EVIDENCE_INTEGRITY_MISMATCH naming the segment whose bytes changed after it closed, leaving nothing', async () => {
    const segments = await seedSegments(storage, recordings, 'cam-a', T, 4);
    await flipByte(join(recordings, segments[2]!.path), 100);
    const error = await lastValueFrom(service.exportEvidence({ cameraId: 'cam-a', from: T, to: T + 40_000, operator: 'officer.lan', reason: 'r' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EVIDENCE_INTEGRITY_MISMATCH', details: { segment: segments[2]!.path } });
    expect((error as Error).message).toContain(segments[2]!.path);
    expect(await readdir(evidenceRoot)).toEqual([]);
    expect(await storage.evidence.list()).toEqual([]);
    expect(await service.listHolds({ active: true })).toEqual([]);
    expect((await storage.audit.list()).map((a) => a.action)).toEqual(['hold.create', 'hold.release', 'evidence.export.failed']);
  });

  it('cancels mid-export through the signal and leaves no partial package', async () => {
    service = build({ delayMs: 30, zip: 'eager' });
    await seedSegments(storage, recordings, 'cam-a', T, 20);
    const controller = new AbortController();
    const seen: EvidenceExportEvent[] = [];
    const error = await new Promise<unknown>((resolve) => {
      service.exportEvidence({ cameraId: 'cam-a', from: T, to: T + 200_000, operator: 'officer.lan', reason: 'r', signal: controller.signal }).subscribe({
        next: (e) => {
          seen.push(e);
          if (e.type === 'progress' && e.phase === 'cut') controller.abort();
        },
        error: resolve,
        complete: () => resolve(undefined),
      });
    });
    expect(error).toMatchObject({ code: 'CANCELLED' });
    expect(seen.some((e) => e.type === 'done')).toBe(false);
    expect(await readdir(evidenceRoot)).toEqual([]);
    expect(await storage.evidence.list()).toEqual([]);
    expect((await storage.audit.list()).map((a) => a.action)).toEqual(['hold.create', 'hold.release', 'evidence.export.cancelled']);
  });

  it('links the export to an incident, which then counts as clarified with footage, and holds its ranges', async () => {
    await seedSegments(storage, recordings, 'cam-a', T, 3);
    await storage.incidents.put(makeIncident('inc-9', { ranges: [{ cameraId: 'cam-a', from: T - 60_000, to: T + 120_000 }] }));
    const done = (await lastValueFrom(
      service.exportEvidence({ cameraId: 'cam-a', from: T, to: T + 30_000, operator: 'officer.lan', reason: 'r', incidentId: 'inc-9' }),
    )) as Extract<EvidenceExportEvent, { type: 'done' }>;
    expect(done.manifest.incidentId).toBe('inc-9');
    expect((await storage.incidents.get('inc-9'))!.evidenceIds).toEqual([done.record.id]);
    const holds = await service.listHolds({ active: true });
    expect(holds.map((h) => h.owner)).toEqual(expect.arrayContaining([{ kind: 'incident', id: 'inc-9' }, { kind: 'evidence', id: done.record.id }]));
    expect(holds.find((h) => h.owner.kind === 'incident')).toMatchObject({ from: T - 60_000, to: T + 120_000 });
    expect(await service.listEvidence({ incidentId: 'inc-9' })).toEqual([done.record]);
    // a second export for the same incident does not duplicate the incident hold
    await lastValueFrom(service.exportEvidence({ cameraId: 'cam-a', from: T, to: T + 10_000, operator: 'officer.lan', reason: 'r2', incidentId: 'inc-9' }));
    expect((await service.listHolds({ active: true })).filter((h) => h.owner.kind === 'incident')).toHaveLength(1);
    expect((await storage.incidents.get('inc-9'))!.evidenceIds).toHaveLength(2);
  });

  it('rejects bad requests with coded errors before touching anything', async () => {
    await seedSegments(storage, recordings, 'cam-a', T, 2);
    const run = (request: Parameters<EvidenceService['exportEvidence']>[0]) => lastValueFrom(service.exportEvidence(request)).catch((e: unknown) => e);
    expect(await run({ cameraId: 'cam-a', from: T + 10, to: T, operator: 'o', reason: 'r' })).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await run({ cameraId: 'cam-a', from: T, to: T + 10, operator: 'o', reason: ' ' })).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'reason is required' });
    expect(await run({ cameraId: '../etc', from: T, to: T + 10, operator: 'o', reason: 'r' })).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await run({ cameraId: 'cam-a', from: T, to: T + 10, operator: 'o', reason: 'r', incidentId: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await run({ cameraId: 'cam-a', from: T + 3_600_000, to: T + 3_700_000, operator: 'o', reason: 'r' })).toMatchObject({ code: 'RECORDING_UNAVAILABLE' });
    expect(await storage.audit.list()).toEqual([]);
  });

  it('creates and releases holds with who and why in the audit log; held segments are not offered to retention', async () => {
    await seedSegments(storage, recordings, 'cam-a', T, 6);
    const hold = await service.createHold({ cameraId: 'cam-a', from: T + 10_000, to: T + 30_000, reason: 'vụ trộm xe', actor: 'officer.lan' });
    expect(hold.owner).toEqual({ kind: 'manual', id: hold.id });
    const unheld = await storage.segments.oldestUnheld({ limit: 10, cameraId: 'cam-a' });
    expect(unheld.map((s) => s.start)).toEqual([T, T + 30_000, T + 40_000, T + 50_000]);
    await expect(storage.segments.remove([{ cameraId: 'cam-a', start: T + 10_000 }])).rejects.toMatchObject({ code: 'SEGMENT_HELD' });
    now += 1000;
    const released = await service.releaseHold(hold.id, { actor: 'chief.minh', reason: 'case closed' });
    expect(released).toMatchObject({ releasedAt: NOW + 1000, releasedBy: 'chief.minh' });
    await expect(service.releaseHold(hold.id, { actor: 'chief.minh', reason: 'again' })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(service.releaseHold('hold-missing', { actor: 'a', reason: 'b' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.createHold({ cameraId: 'cam-a', from: T, to: T - 1, reason: 'x', actor: 'a' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((await storage.segments.oldestUnheld({ limit: 10, cameraId: 'cam-a' }))).toHaveLength(6);
    const audit = await storage.audit.list();
    expect(audit.map((a) => [a.action, a.actor, a.details?.reason])).toEqual([
      ['hold.create', 'officer.lan', 'vụ trộm xe'],
      ['hold.release', 'chief.minh', 'case closed'],
    ]);
    expect(events.map((e) => e.type)).toEqual(['hold.created', 'hold.released']);
  });

  it('audits views and downloads, and the audit chain detects an edited entry', async () => {
    await seedSegments(storage, recordings, 'cam-a', T, 2);
    const done = (await lastValueFrom(service.exportEvidence({ cameraId: 'cam-a', from: T, to: T + 20_000, operator: 'officer.lan', reason: 'r' }))) as Extract<
      EvidenceExportEvent,
      { type: 'done' }
    >;
    await service.recordView({ evidenceId: done.record.id, actor: 'prosecutor.tam' });
    await service.recordView({ evidenceId: done.record.id, actor: 'prosecutor.tam', action: 'download' });
    await expect(service.recordView({ evidenceId: 'ev-none', actor: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await service.verifyAudit()).toMatchObject({ ok: true, entries: 4 });
    const entries = await storage.audit.list();
    expect(entries.slice(2).map((e) => e.action)).toEqual(['evidence.view', 'evidence.download']);
    const edited = entries.map((e) => (e.seq === 3 ? { ...e, actor: 'someone.else' } : e));
    expect(await verifyAuditChain(edited)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('verifyEvidence fails when the package manifest was replaced, even by a validly signed one', async () => {
    await seedSegments(storage, recordings, 'cam-a', T, 2);
    const first = (await lastValueFrom(service.exportEvidence({ cameraId: 'cam-a', from: T, to: T + 10_000, operator: 'a', reason: 'r' }))) as Extract<EvidenceExportEvent, { type: 'done' }>;
    now += 5000;
    const second = (await lastValueFrom(service.exportEvidence({ cameraId: 'cam-a', from: T, to: T + 20_000, operator: 'a', reason: 'r' }))) as Extract<EvidenceExportEvent, { type: 'done' }>;
    const { rm, rename } = await import('node:fs/promises');
    await rm(first.packageDir, { recursive: true });
    await rename(second.packageDir, first.packageDir);
    const result = await service.verifyEvidence(first.record.id);
    expect(result.ok).toBe(false);
    expect(result.verdict).toMatch(/differs from the manifest recorded in the station index/);
  });

  it('writes on demand byte for byte the .zip an eager export wrote', async () => {
    await seedSegments(storage, recordings, 'cam-a', T, 3);
    const done = (await lastValueFrom(service.exportEvidence({ cameraId: 'cam-a', from: T, to: T + 20_000, operator: 'a', reason: 'r' }))) as Extract<EvidenceExportEvent, { type: 'done' }>;
    const eagerZip = await fileSha256(done.zipPath);
    await rm(done.zipPath);
    expect(await service.ensureZip(done.record.id)).toBe(done.zipPath);
    expect(await fileSha256(done.zipPath)).toBe(eagerZip);
    expect((await storage.audit.list()).filter((a) => a.action === 'evidence.zip')).toHaveLength(1);
  });

  it('writes the .zip on demand by default: no zip phase, no .zip until the first ensureZip', async () => {
    service = build();
    await seedSegments(storage, recordings, 'cam-a', T, 3);
    const out = await lastValueFrom(service.exportEvidence({ cameraId: 'cam-a', from: T, to: T + 20_000, operator: 'a', reason: 'r' }).pipe(toArray()));
    const progress = out.filter((e): e is Extract<EvidenceExportEvent, { type: 'progress' }> => e.type === 'progress');
    expect(new Set(progress.map((p) => p.phase))).toEqual(new Set(['verify-sources', 'cut', 'package']));
    expect(progress.at(-1)!.ratio).toBe(1);
    const done = out.at(-1) as Extract<EvidenceExportEvent, { type: 'done' }>;
    expect(await readdir(evidenceRoot)).toEqual([done.record.id]);
    expect(done.zipPath).toBe(join(evidenceRoot, `${done.record.id}.zip`));
    expect(await service.ensureZip(done.record.id, { actor: 'clerk.lan' })).toBe(done.zipPath);
    expect((await verifyEvidencePackage(done.zipPath, { publicKey: await service.publicKeyPem() })).ok).toBe(true);
    expect((await storage.audit.list()).filter((a) => a.action === 'evidence.zip').map((a) => a.actor)).toEqual(['clerk.lan']);
  });

  it('with zip on demand, writes the .zip at the first ensureZip from the verified folder, and refuses a tampered folder', async () => {
    service = build({ zip: 'on-demand' });
    await seedSegments(storage, recordings, 'cam-a', T, 3);
    const run = async (to: number) =>
      (await lastValueFrom(service.exportEvidence({ cameraId: 'cam-a', from: T, to, operator: 'a', reason: 'r' }))) as Extract<EvidenceExportEvent, { type: 'done' }>;
    const first = await run(T + 20_000);
    expect(await readdir(evidenceRoot)).toEqual([first.record.id]);
    const [zipA, zipB] = await Promise.all([service.ensureZip(first.record.id, { actor: 'clerk.lan' }), service.ensureZip(first.record.id)]);
    expect(zipA).toBe(first.zipPath);
    expect(zipB).toBe(first.zipPath);
    expect((await verifyEvidencePackage(first.zipPath, { publicKey: await service.publicKeyPem() })).ok).toBe(true);
    // written once, audited once, with who asked for it
    const zipAudits = (await storage.audit.list()).filter((a) => a.action === 'evidence.zip');
    expect(zipAudits).toHaveLength(1);
    expect(zipAudits[0]).toMatchObject({ actor: 'clerk.lan', target: first.record.id, details: { manifestSha256: first.record.manifestSha256, fromVerifiedFolder: true } });
    // deterministic: written again from the same folder, the zip is byte for byte the same
    const firstZipHash = await fileSha256(first.zipPath);
    await rm(first.zipPath);
    await service.ensureZip(first.record.id);
    expect(await fileSha256(first.zipPath)).toBe(firstZipHash);
    now += 1000;
    const second = await run(T + 10_000);
    await flipByte(join(second.packageDir, 'clip.mp4'), 10);
    await expect(service.ensureZip(second.record.id)).rejects.toMatchObject({ code: 'EVIDENCE_INTEGRITY_MISMATCH' });
    expect((await readdir(evidenceRoot)).sort()).toEqual([first.record.id, `${first.record.id}.zip`, second.record.id].sort());
  });

  it('fails with the recorder\'s coded error when the cut fails (sources intact), leaving nothing', async () => {
    await seedSegments(storage, recordings, 'cam-a', T, 30, { bytes: 256 * 1024 });
    const { throwError, timer, switchMap } = await import('rxjs');
    const { WardwatchError } = await import('@wardwatch/core');
    service = createEvidenceService({
      storage,
      recorder: { exportClip: () => timer(5).pipe(switchMap(() => throwError(() => new WardwatchError('FFMPEG_FAILED', 'clip export failed: moov atom not found')))) },
      keyStore: createFileKeyStore({ dir: join(tmp.dir, 'keys') }),
      evidenceRoot,
      recordingsRoot: recordings,
      station: { id: 'CA-BN', name: 'CA-BN', ward: 'Bến Nghé' },
      clock: fixedClock(() => now),
    });
    const error = await lastValueFrom(service.exportEvidence({ cameraId: 'cam-a', from: T, to: T + 300_000, operator: 'o', reason: 'r' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'FFMPEG_FAILED', message: 'clip export failed: moov atom not found' });
    expect(await readdir(evidenceRoot)).toEqual([]);
    expect((await storage.audit.list()).map((a) => a.action)).toEqual(['hold.create', 'hold.release', 'evidence.export.failed']);
  });

  it('holds an incident\'s ranges on request, once', async () => {
    await storage.incidents.put(makeIncident('inc-4', { ranges: [{ cameraId: 'cam-a', from: T, to: T + 60_000 }, { cameraId: 'cam-b', from: T, to: T + 5_000 }] }));
    const created = await service.holdIncident('inc-4', 'officer.lan');
    expect(created.map((h) => [h.cameraId, h.from, h.to, h.owner.id])).toEqual([
      ['cam-a', T, T + 60_000, 'inc-4'],
      ['cam-b', T, T + 5_000, 'inc-4'],
    ]);
    expect(await service.holdIncident('inc-4', 'officer.lan')).toEqual([]);
    await expect(service.holdIncident('inc-none', 'officer.lan')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await storage.audit.list()).map((a) => a.action)).toEqual(['hold.create', 'hold.create']);
  });

  it('names a source segment whose file is gone as missing', async () => {
    const segments = await seedSegments(storage, recordings, 'cam-a', T, 4);
    const { rm } = await import('node:fs/promises');
    await rm(join(recordings, segments[1]!.path));
    const error = await lastValueFrom(service.exportEvidence({ cameraId: 'cam-a', from: T, to: T + 40_000, operator: 'o', reason: 'r' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EVIDENCE_INTEGRITY_MISMATCH', message: `Source segment ${segments[1]!.path} is missing from the recordings` });
    expect(await readdir(evidenceRoot)).toEqual([]);
  });
});
