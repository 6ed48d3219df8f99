import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLevelStorage } from '@wardwatch/storage-level';
import { runEvidenceCli } from '../../src/evidence/evidence-cli.js';
import { stationDataPaths } from '../../src/evidence/open-evidence-data.js';
import { cameraSpec, captureIo, tamperAuditEntry, tempDataDir } from './evidence-test-kit.js';
import { synthSegments } from './synth-segments.js';

const T = Date.UTC(2026, 10, 20, 8, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

async function flip(path: string, at: number): Promise<void> {
  const data = await readFile(path);
  data[at] = data[at]! ^ 0x20;
  await writeFile(path, data);
}

describe('wardwatch-evidence CLI', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let segmentPaths: string[];

  beforeEach(async () => {
    data = await tempDataDir();
    const paths = stationDataPaths(data.dir);
    const storage = await createLevelStorage({ path: paths.db });
    await storage.cameras.put(cameraSpec('cam-a'));
    const segments = await synthSegments({ storage, root: paths.recordings, cameraId: 'cam-a', start: T, count: 6 });
    segmentPaths = segments.map((s) => join(paths.recordings, s.path));
    await storage.close();
  });
  afterEach(() => data.cleanup());

  const cli = async (...argv: string[]) => {
    const io = captureIo();
    const code = await runEvidenceCli(argv, io);
    return { code, out: io.stdout.text, err: io.stderr.text };
  };

  it('exports from the command line with progress, then verifies the package and the audit chain', async () => {
    const exported = await cli('export', '--data', data.dir, '--camera', 'cam-a', '--from', iso(T + 1000), '--to', '2026-11-20T15:00:07+07:00', '--reason', 'Trích xuất vụ trộm', '--case', 'VV-12', '--operator', 'officer.lan', '--still', iso(T + 3000));
    expect(exported.err).toMatch(/progress 0% verify-sources/);
    expect(exported.err).toMatch(/progress 100% zip/);
    expect(exported.code).toBe(0);
    const id = /Exported (ev-\S+)/.exec(exported.out)![1]!;
    expect(exported.out).toMatch(/source segments verified/);
    const evidenceDir = stationDataPaths(data.dir).evidence;
    expect((await readdir(evidenceDir)).sort()).toEqual([id, `${id}.zip`]);
    const manifest = JSON.parse(await readFile(join(evidenceDir, id, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      camera: { id: 'cam-a', name: 'Cổng chợ Bến Thành', ownership: 'business', owner: 'shop-17', location: { address: 'Lê Lợi, Quận 1' } },
      requested: { from: T + 1000, to: T + 7000 },
      operator: 'officer.lan',
      caseId: 'VV-12',
      station: { id: 'CA-BT', ward: 'Phường Bến Thành' },
      clockOffsetMs: null,
    });
    expect(manifest.sourceSegments).toHaveLength(4);
    expect(manifest.files.map((f: { role: string }) => f.role)).toEqual(['clip', 'still']);
    const still = await readFile(join(evidenceDir, id, manifest.files[1].path));
    expect([still[0], still[1]]).toEqual([0xff, 0xd8]);
    expect(manifest.software['@wardwatch/core']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.software.ffmpeg).toMatch(/ffmpeg version/);

    const embedded = await cli('verify', join(evidenceDir, id));
    expect(embedded.code).toBe(0);
    expect(embedded.out).toMatch(/VERIFIED.*EMBEDDED/);

    const key = await cli('public-key', '--data', data.dir);
    expect(key.out).toMatch(/BEGIN PUBLIC KEY/);
    await writeFile(join(data.dir, 'station.pem'), key.out);
    const given = await cli('verify', join(evidenceDir, `${id}.zip`), '--public-key', join(data.dir, 'station.pem'), '--json');
    expect(given.code).toBe(0);
    expect(JSON.parse(given.out)).toMatchObject({ ok: true, kind: 'zip', signature: { keySource: 'given', status: 'valid' } });

    await flip(join(evidenceDir, id, 'clip.mp4'), 2000);
    const broken = await cli('verify', join(evidenceDir, id));
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/MISMATCH\s+clip\.mp4/);
    expect(broken.out).toMatch(/FAILED: clip\.mp4 has been changed/);

    const audit = await cli('audit-verify', data.dir);
    expect(audit.code).toBe(0);
    expect(audit.out).toMatch(/AUDIT CHAIN OK: 2 entries/);
    const listed = await cli('list', '--data', data.dir, '--json');
    expect(JSON.parse(listed.out).map((r: { id: string }) => r.id)).toEqual([id]);
    expect(JSON.parse(listed.out)).toMatchObject([{ id, zipReady: true }]);
    const holds = await cli('holds', '--data', data.dir, '--json');
    expect(JSON.parse(holds.out)).toMatchObject([{ cameraId: 'cam-a', owner: { kind: 'evidence', id } }]);
  });

  it('audit-verify detects an edited audit entry and exits 1', async () => {
    expect((await cli('hold', '--data', data.dir, '--camera', 'cam-a', '--from', iso(T), '--to', iso(T + 4000), '--reason', 'vụ cướp giật', '--operator', 'officer.lan')).code).toBe(0);
    const holdId = JSON.parse((await cli('holds', '--data', data.dir, '--json')).out)[0].id as string;
    expect((await cli('release', '--data', data.dir, '--id', holdId, '--reason', 'closed', '--operator', 'chief')).code).toBe(0);
    expect((await cli('audit-verify', data.dir)).out).toMatch(/OK: 2 entries/);
    await tamperAuditEntry(stationDataPaths(data.dir).db, 1, (entry) => {
      entry.actor = 'someone.else';
    });
    const result = await cli('audit-verify', data.dir);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/AUDIT CHAIN BROKEN at entry 1: entry content does not match its hash/);
  });

  it('with --no-zip writes the package folder only, and lists the export as having no zip yet', async () => {
    const help = await cli('--help');
    expect(help.out).toMatch(/\[--no-zip\]/);
    expect(help.out).toMatch(/--no-zip writes the folder only/);
    const exported = await cli('export', '--data', data.dir, '--camera', 'cam-a', '--from', iso(T + 1000), '--to', iso(T + 7000), '--reason', 'r', '--operator', 'officer.lan', '--no-zip', '--json');
    expect(exported.code).toBe(0);
    expect(exported.err).toMatch(/progress 100% package/);
    expect(exported.err).not.toMatch(/% zip/);
    const result = JSON.parse(exported.out) as { evidenceId: string; packageDir: string; zipPath: string | null };
    expect(result.zipPath).toBeNull();
    const evidenceDir = stationDataPaths(data.dir).evidence;
    expect(await readdir(evidenceDir)).toEqual([result.evidenceId]);
    expect((await cli('verify', result.packageDir)).code).toBe(0);
    const listed = await cli('list', '--data', data.dir, '--json');
    expect(JSON.parse(listed.out)).toMatchObject([{ id: result.evidenceId, zipReady: false }]);
    expect((await cli('list', '--data', data.dir)).out).toMatch(new RegExp(`^${result.evidenceId} .* no zip yet\n$`));
    const text = await cli('export', '--data', data.dir, '--camera', 'cam-a', '--from', iso(T + 1000), '--to', iso(T + 4000), '--reason', 'r', '--no-zip');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/zip: +not written \(--no-zip\)/);
  });

  it('stops an export whose source segment changed after recording, naming it, with exit 1 and no package', async () => {
    await flip(segmentPaths[2]!, 5000);
    const result = await cli('export', '--data', data.dir, '--camera', 'cam-a', '--from', iso(T), '--to', iso(T + 12_000), '--reason', 'r');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/EVIDENCE_INTEGRITY_MISMATCH: Source segment cam-a\/2026-11-20\/08\/\d+\.mp4/);
    expect(result.err).toContain(segmentPaths[2]!.split('/').at(-1));
    expect(await readdir(stationDataPaths(data.dir).evidence)).toEqual([]);
  });

  it('gives usage errors exit 2 and refuses times without a zone', async () => {
    expect((await cli()).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
    const noReason = await cli('export', '--data', data.dir, '--camera', 'cam-a', '--from', iso(T), '--to', iso(T + 1000));
    expect(noReason.code).toBe(2);
    expect(noReason.err).toMatch(/--reason is required/);
    expect(noReason.err).toContain('Exit codes:'); // a usage error prints the usage text
    const noZone = await cli('export', '--data', data.dir, '--camera', 'cam-a', '--from', '2026-11-20 15:00:00', '--to', iso(T + 1000), '--reason', 'r');
    expect(noZone.code).toBe(2);
    expect(noZone.err).toMatch(/not a time with a zone/);
    const missing = await cli('verify', join(data.dir, 'nope'));
    expect(missing.code).toBe(3);
    expect(missing.err).toMatch(/NOT_FOUND/);
  });
});
