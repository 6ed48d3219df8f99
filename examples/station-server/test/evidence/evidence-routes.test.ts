import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  WardwatchError,
  createMemoryStorage,
  isWardwatchError,
  type Camera,
  verifyEvidencePackage,
  type EvidenceService,
  type StorageAdapter,
} from '@wardwatch/core';
import type { WardwatchRecorder } from '@wardwatch/recorder';
import type { ExportJobView } from '../../src/api/api-types.js';
import { evidenceRoutes } from '../../src/evidence/evidence-routes.js';
import { evidenceExportRunner } from '../../src/exports/evidence-export-runner.js';
import { createExportJobs, type ExportJobs } from '../../src/exports/export-jobs.js';
import { exportRoutes } from '../../src/routes/export-routes.js';
import { stationDataPaths } from '../../src/evidence/open-evidence-data.js';
import { cameraSpec, startTestRecorder, tempDataDir, testEvidenceService } from './evidence-test-kit.js';
import { synthSegments } from './synth-segments.js';

const T = Date.UTC(2026, 10, 20, 8, 0, 0);
const STATUS: Record<string, number> = { NOT_FOUND: 404, INVALID_ARGUMENT: 400, INVALID_STATE: 409, RATE_LIMITED: 429, FORBIDDEN: 403, RECORDING_UNAVAILABLE: 404 };

describe('evidence routes with evidence export jobs', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let storage: StorageAdapter;
  let recorder: WardwatchRecorder;
  let service: EvidenceService;
  let app: FastifyInstance;
  let jobs: ExportJobs;

  beforeEach(async () => {
    data = await tempDataDir();
    const paths = stationDataPaths(data.dir);
    storage = createMemoryStorage();
    await storage.cameras.put(cameraSpec('cam-a'));
    await storage.cameras.put(cameraSpec('cam-secret'));
    await synthSegments({ storage, root: paths.recordings, cameraId: 'cam-a', start: T, count: 40 });
    recorder = await startTestRecorder(storage, paths.recordings);
    service = testEvidenceService({ storage, recorder, paths });
    app = Fastify();
    app.setErrorHandler((error, _request, reply) => {
      if (isWardwatchError(error)) return reply.code(STATUS[error.code] ?? 500).send(error.toJSON());
      return reply.code((error as { statusCode?: number }).statusCode ?? 500).send({ message: (error as Error).message });
    });
    jobs = createExportJobs({
      dir: join(data.dir, 'exports'),
      runners: { evidence: evidenceExportRunner(() => service, (id) => (id === 'cam-a' ? 850 : undefined)) },
      sweepEveryMs: 0,
    });
    // Routes open to every request (no roles here); the actor comes from a header; cam-secret is not visible.
    const context = {
      evidence: () => service,
      exports: jobs,
      requirePermission: () => async () => undefined,
      actorOf: (request: { headers: Record<string, unknown> }) => String(request.headers['x-user'] ?? 'anonymous'),
      mayAccessCamera: (_request: unknown, cameraId: string) => cameraId !== 'cam-secret',
      cameraFor: (_request: unknown, cameraId: string) => {
        if (cameraId === 'cam-secret') throw new WardwatchError('FORBIDDEN', 'not your camera');
        return { id: cameraId } as Camera;
      },
      audit: async () => undefined,
    };
    await app.register(exportRoutes, { context });
    await app.register(evidenceRoutes, { context });
    await app.ready();
  });
  afterEach(async () => {
    await jobs.close();
    await app.close();
    await recorder.stop();
    await storage.close();
    await data.cleanup();
  });

  const poll = async (jobId: string): Promise<ExportJobView> => {
    for (let i = 0; i < 300; i++) {
      const job = (await app.inject({ method: 'GET', url: `/exports/${jobId}` })).json() as ExportJobView;
      if (job.state !== 'running') return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('export job did not finish');
  };

  it('exports through a job, lists, shows, downloads (writing the .zip at the first download) and verifies the package, auditing each access', async () => {
    const started = await app.inject({
      method: 'POST',
      url: '/exports',
      headers: { 'x-user': 'officer.lan' },
      payload: { kind: 'evidence', cameraId: 'cam-a', from: T + 2000, to: T + 9000, reason: 'Yêu cầu của cơ quan điều tra', caseId: 'VV-3' },
    });
    expect(started.statusCode).toBe(202);
    const job = await poll(started.json().id);
    expect(job).toMatchObject({ kind: 'evidence', state: 'done', progress: 1, createdBy: 'officer.lan' });
    const id = job.evidenceId!;

    // The service's default zip mode is on demand: right after the export there is the folder only, and the
    // listings say so (no link to a file that does not exist yet).
    const evidenceDir = stationDataPaths(data.dir).evidence;
    expect(await readdir(evidenceDir)).toEqual([id]);
    const list = (await app.inject({ method: 'GET', url: '/evidence?cameraId=cam-a' })).json();
    expect(list.items.map((r: { id: string }) => r.id)).toEqual([id]);
    expect(list.items).toMatchObject([{ id, zipReady: false }]);
    expect((await app.inject({ method: 'GET', url: '/exports' })).json().items).toMatchObject([{ id: job.id, evidenceId: id, zipReady: false }]);
    const shown = await app.inject({ method: 'GET', url: `/evidence/${id}`, headers: { 'x-user': 'prosecutor.tam' } });
    expect(shown.json()).toMatchObject({ id, caseId: 'VV-3', operator: 'officer.lan', zipReady: false });
    expect((await storage.audit.list()).filter((e) => e.action === 'evidence.zip')).toEqual([]);

    const download = await app.inject({ method: 'GET', url: `/evidence/${id}/download`, headers: { 'x-user': 'prosecutor.tam' } });
    expect(download.statusCode).toBe(200);
    expect((await readdir(evidenceDir)).sort()).toEqual([id, `${id}.zip`]);
    const written = await stat(join(evidenceDir, `${id}.zip`));
    expect(Number(download.headers['content-length'])).toBe(written.size);
    expect(download.rawPayload.length).toBe(written.size);
    expect(download.headers['content-type']).toBe('application/zip');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="${id}.zip"`);
    const zipPath = join(data.dir, 'downloaded.zip');
    await writeFile(zipPath, download.rawPayload);
    const key = (await app.inject({ method: 'GET', url: '/evidence/public-key' })).body;
    expect(key).toMatch(/BEGIN PUBLIC KEY/);
    const offline = await verifyEvidencePackage(zipPath, { publicKey: key });
    expect(offline.ok).toBe(true);
    expect(offline.manifest).toMatchObject({ clockOffsetMs: 850, caseId: 'VV-3' });
    const zipAudits = (await storage.audit.list()).filter((e) => e.action === 'evidence.zip');
    expect(zipAudits).toHaveLength(1);
    expect(zipAudits[0]).toMatchObject({ actor: 'prosecutor.tam', target: id, details: { bytes: written.size, manifestSha256: (await service.getEvidence(id)).manifestSha256, fromVerifiedFolder: true } });
    expect((await app.inject({ method: 'GET', url: '/evidence?cameraId=cam-a' })).json().items).toMatchObject([{ id, zipReady: true }]);
    expect((await app.inject({ method: 'GET', url: '/exports' })).json().items).toMatchObject([{ id: job.id, zipReady: true }]);

    // A second download serves the same file: not rewritten, not audited again as evidence.zip.
    const again = await app.inject({ method: 'GET', url: `/evidence/${id}/download`, headers: { 'x-user': 'clerk.mai' } });
    expect(again.statusCode).toBe(200);
    expect(again.rawPayload.equals(download.rawPayload)).toBe(true);
    const after = await stat(join(evidenceDir, `${id}.zip`));
    expect([after.ino, after.mtimeMs, after.size]).toEqual([written.ino, written.mtimeMs, written.size]);

    const verified = await app.inject({ method: 'POST', url: `/evidence/${id}/verify`, headers: { 'x-user': 'inspector.ha' }, payload: { zip: true } });
    expect(verified.json()).toMatchObject({ ok: true, kind: 'zip', signature: { keySource: 'given', status: 'valid' } });

    const actions = (await storage.audit.list()).map((e) => [e.action, e.actor]);
    expect(actions).toEqual([
      ['hold.create', 'officer.lan'],
      ['evidence.export', 'officer.lan'],
      ['evidence.view', 'prosecutor.tam'],
      ['evidence.zip', 'prosecutor.tam'],
      ['evidence.download', 'prosecutor.tam'],
      ['evidence.download', 'clerk.mai'],
      ['evidence.verify', 'inspector.ha'],
    ]);
    expect((await storage.audit.verify()).ok).toBe(true);
  });

  it('cancels a running export job, leaving no package', async () => {
    const started = await app.inject({ method: 'POST', url: '/exports', headers: { 'x-user': 'officer.lan' }, payload: { kind: 'evidence', cameraId: 'cam-a', from: T, to: T + 80_000, reason: 'r' } });
    const jobId = started.json().id as string;
    const cancelled = await app.inject({ method: 'DELETE', url: `/exports/${jobId}` });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } });
    expect((await service.listEvidence()).length).toBe(0);
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(stationDataPaths(data.dir).evidence)).toEqual([]);
    expect((await app.inject({ method: 'DELETE', url: `/exports/${jobId}` })).statusCode).toBe(409);
  });

  it('reports a failed export in the job and refuses cameras the user may not see', async () => {
    const none = await app.inject({ method: 'POST', url: '/exports', headers: { 'x-user': 'o' }, payload: { kind: 'evidence', cameraId: 'cam-a', from: T + 10_000_000, to: T + 10_010_000, reason: 'r' } });
    expect((await poll(none.json().id)).error).toMatchObject({ code: 'RECORDING_UNAVAILABLE' });
    const secret = await app.inject({ method: 'POST', url: '/exports', payload: { kind: 'evidence', cameraId: 'cam-secret', from: T, to: T + 1000, reason: 'r' } });
    expect(secret.statusCode).toBe(403);
    const bad = await app.inject({ method: 'POST', url: '/exports', payload: { kind: 'evidence', cameraId: 'cam-a', from: T, to: T + 1000 } });
    expect(bad.statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/evidence/ev-nope' })).statusCode).toBe(404);
  });

  it('creates, lists and releases holds with who and why', async () => {
    const created = await app.inject({ method: 'POST', url: '/holds', headers: { 'x-user': 'officer.lan' }, payload: { cameraId: 'cam-a', from: T, to: T + 30_000, reason: 'vụ va chạm giao thông' } });
    expect(created.statusCode).toBe(201);
    const hold = created.json();
    expect(hold).toMatchObject({ cameraId: 'cam-a', createdBy: 'officer.lan', owner: { kind: 'manual' } });
    expect((await app.inject({ method: 'GET', url: '/holds' })).json().items).toHaveLength(1);
    const released = await app.inject({ method: 'POST', url: `/holds/${hold.id}/release`, headers: { 'x-user': 'chief.minh' }, payload: { reason: 'hết thời hạn' } });
    expect(released.json()).toMatchObject({ releasedBy: 'chief.minh' });
    expect((await app.inject({ method: 'GET', url: '/holds' })).json().items).toHaveLength(0);
    expect((await app.inject({ method: 'GET', url: '/holds?all=true' })).json().items).toHaveLength(1);
    expect((await app.inject({ method: 'POST', url: `/holds/${hold.id}/release`, payload: { reason: 'again' } })).statusCode).toBe(409);
    const audit = await storage.audit.list();
    expect(audit.map((e) => [e.action, e.actor, e.details?.reason])).toEqual([
      ['hold.create', 'officer.lan', 'vụ va chạm giao thông'],
      ['hold.release', 'chief.minh', 'hết thời hạn'],
    ]);
    expect(jobs.list()).toEqual([]);
    await storage.incidents.put({
      id: 'inc-1', title: 'Va chạm', description: '', category: 'traffic-accident', status: 'open', station: 'CA-BT', occurredAt: T,
      ranges: [{ cameraId: 'cam-a', from: T, to: T + 10_000 }], evidenceIds: [], createdBy: 'o', createdAt: T, updatedAt: T, history: [],
    });
    const incidentHolds = await app.inject({ method: 'POST', url: '/holds/incident/inc-1', headers: { 'x-user': 'officer.lan' }, payload: {} });
    expect(incidentHolds.statusCode).toBe(201);
    expect(incidentHolds.json().items).toMatchObject([{ cameraId: 'cam-a', owner: { kind: 'incident', id: 'inc-1' }, createdBy: 'officer.lan' }]);
  });
});
