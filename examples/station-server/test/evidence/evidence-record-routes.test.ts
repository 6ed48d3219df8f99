import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceExportEvent, EvidenceService, StorageAdapter } from '@wardwatch/core';
import type { WardwatchRecorder } from '@wardwatch/recorder';
import { createLevelStorage } from '@wardwatch/storage-level';
import { stationDataPaths } from '../../src/evidence/open-evidence-data.js';
import { startServerHarness, type ServerHarness } from '../server-harness.js';
import { cameraSpec, startTestRecorder, tempDataDir, testEvidenceService } from './evidence-test-kit.js';
import { pdfPagesText } from './pdf-text.js';
import { synthSegments } from './synth-segments.js';

const T = Date.UTC(2026, 10, 20, 8, 0, 0);

describe('GET /api/evidence/:id/record.pdf', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let storage: StorageAdapter;
  let recorder: WardwatchRecorder;
  let service: EvidenceService;
  let h: ServerHarness;
  let id: string;

  beforeAll(async () => {
    data = await tempDataDir();
    const paths = stationDataPaths(data.dir);
    storage = await createLevelStorage({ path: paths.db });
    await storage.cameras.put(cameraSpec('cam-a'));
    await synthSegments({ storage, root: paths.recordings, cameraId: 'cam-a', start: T, count: 4 });
    recorder = await startTestRecorder(storage, paths.recordings);
    service = testEvidenceService({ storage, recorder, paths });
    const done = (await lastValueFrom(
      service.exportEvidence({ cameraId: 'cam-a', from: T + 1000, to: T + 6000, reason: 'Công văn số 12/CAP', caseId: 'VV-2026-031', operator: 'inv' }),
    )) as Extract<EvidenceExportEvent, { type: 'done' }>;
    id = done.record.id;
    h = await startServerHarness({ evidence: service });
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
    await recorder?.stop();
    await storage?.close();
    await data?.cleanup();
  });

  it('gives investigators and admins the PDF record, audited with its SHA-256; viewers and duty officers get 403', async () => {
    for (const who of ['hh', 'duty']) {
      const refused = await (await h.login(who)).get(`/api/evidence/${id}/record.pdf`);
      expect(refused.status).toBe(403);
    }
    const response = await (await h.login('inv')).get(`/api/evidence/${id}/record.pdf`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="bien-ban-${id}.pdf"`);
    const sha256 = createHash('sha256').update(response.bytes).digest('hex');
    expect(response.headers.get('x-content-sha256')).toBe(sha256);
    const text = (await pdfPagesText(new Uint8Array(response.bytes))).join('\n').replace(/\s+/g, ' ');
    expect(text).toContain('Biên bản trích xuất dữ liệu camera');
    expect(text).toContain(`Số / No. ${id}`);
    expect(text).toContain('Công văn số 12/CAP');
    expect(text).toContain('VV-2026-031');
    expect(text).toContain('Lê Lợi, Quận 1');
    expect(text).toContain('kiểm bằng khóa công khai của đơn vị / checked with the station key');
    const manifest = JSON.parse(await readFile(join(stationDataPaths(data.dir).evidence, id, 'manifest.json'), 'utf8'));
    expect(text).toContain(manifest.files[0].sha256);
    expect((await (await h.login('admin')).get(`/api/evidence/${id}/record.pdf`)).status).toBe(200);

    const audit = (await h.station.storage.audit.list()).filter((e) => e.action === 'evidence.record');
    expect(audit.map((e) => [e.actor, e.target, e.details?.ok])).toEqual([
      ['inv', id, true],
      ['admin', id, true],
    ]);
    expect(audit[0]!.details).toMatchObject({ sha256, bytes: response.bytes.length });
  });

  it('answers 404 for an unknown export and refuses (422, audited) to print a record of a changed package', async () => {
    const inv = await h.login('inv');
    expect((await inv.get('/api/evidence/ev-nope/record.pdf')).status).toBe(404);
    const clip = join(stationDataPaths(data.dir).evidence, id, 'clip.mp4');
    const bytes = await readFile(clip);
    bytes[5000] = bytes[5000]! ^ 0x01;
    await writeFile(clip, bytes);
    const refused = await inv.get(`/api/evidence/${id}/record.pdf`);
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({ code: 'EVIDENCE_INTEGRITY_MISMATCH' });
    const last = (await h.station.storage.audit.list()).filter((e) => e.action === 'evidence.record').at(-1)!;
    expect(last).toMatchObject({ actor: 'inv', target: id, details: { ok: false, code: 'EVIDENCE_INTEGRITY_MISMATCH' } });
    expect(String(last.details?.verdict)).toMatch(/FAILED: clip\.mp4 has been changed/);
  });
});
