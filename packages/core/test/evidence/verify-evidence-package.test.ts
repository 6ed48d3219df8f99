import { generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EVIDENCE_PACKAGE_FILES as F,
  createFileKeyStore,
  readZip,
  verifyEvidencePackage,
  writeEvidencePackage,
  writeZip,
  type EvidenceKeyStore,
} from '@wardwatch/core';
import { flipByte, sha256, tempDir } from './evidence-fixtures.js';

const T = Date.UTC(2026, 10, 20, 8, 0, 0);
const range = (from: number, to: number) => ({ from, to, fromIso: new Date(from).toISOString(), toIso: new Date(to).toISOString() });

async function makePackage(root: string, keyStore: EvidenceKeyStore): Promise<{ dir: string; zip: string }> {
  const dir = join(root, 'ev-1');
  await mkdir(dir);
  const clip = randomBytes(256 * 1024);
  await writeFile(join(dir, F.clip), clip);
  await writeEvidencePackage({
    dir,
    keyStore,
    stills: [{ name: 'still-1.jpg', data: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]) }],
    manifest: {
      id: 'ev-1',
      station: { id: 'st-1', name: 'Công an phường Bến Nghé', ward: 'Bến Nghé' },
      camera: { id: 'cam-a', name: 'Cổng chợ', ownership: 'station', owner: null, site: { ward: 'Bến Nghé', station: 'st-1' }, location: { lat: 10.77, lon: 106.7, address: '1 Lê Lợi' } },
      requested: range(T, T + 60_000),
      actual: range(T - 400, T + 60_100),
      clockOffsetMs: 1200,
      sourceSegments: [{ path: 'cam-a/x.mp4', start: T - 400, end: T + 60_100, bytes: clip.length, codec: 'h264', sha256: sha256(clip), verifiedAtExport: true }],
      gaps: [],
      operator: 'officer.nguyen',
      reason: 'Yêu cầu trích xuất theo quyết định số 12',
      caseId: 'VV-2026-001',
      incidentId: null,
      exportedAt: T + 3_600_000,
      exportedAtIso: new Date(T + 3_600_000).toISOString(),
      software: { '@wardwatch/core': '0.1.0' },
    },
  });
  const zip = join(root, 'ev-1.zip');
  const names = [F.manifest, F.signature, F.publicKey, F.sums, F.clip, 'stills/still-1.jpg'];
  await writeZip(zip, names.map((name) => ({ name, path: join(dir, name) })));
  return { dir, zip };
}

describe('verifyEvidencePackage', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let keyStore: EvidenceKeyStore;
  let pkg: { dir: string; zip: string };
  beforeEach(async () => {
    tmp = await tempDir();
    keyStore = createFileKeyStore({ dir: join(tmp.dir, 'keys') });
    pkg = await makePackage(tmp.dir, keyStore);
  });
  afterEach(() => tmp.cleanup());

  it('writes a sha256sum-compatible SHA256SUMS and a canonical, signed manifest', async () => {
    const sums = await readFile(join(pkg.dir, F.sums), 'utf8');
    const listed = sums.trim().split('\n').map((l) => l.split('  ')[1]);
    expect(listed).toEqual([F.clip, F.manifest, F.signature, F.publicKey, 'stills/still-1.jpg'].sort());
    for (const line of sums.trim().split('\n')) {
      const [hash, name] = line.split('  ');
      expect(sha256(await readFile(join(pkg.dir, name!)))).toBe(hash);
    }
    const manifest = JSON.parse(await readFile(join(pkg.dir, F.manifest), 'utf8'));
    expect(manifest.format).toBe('wardwatch-evidence/1');
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual([F.clip, 'stills/still-1.jpg']);
    expect(manifest.signing.publicKeyFingerprint).toBe(await keyStore.fingerprint());
  });

  it('verifies an untouched folder with the embedded key, flagged as embedded', async () => {
    const result = await verifyEvidencePackage(pkg.dir);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.signature).toMatchObject({ status: 'valid', keySource: 'embedded', fingerprint: await keyStore.fingerprint() });
    expect(result.verdict).toMatch(/^VERIFIED.*EMBEDDED/);
    expect(result.manifest?.caseId).toBe('VV-2026-001');
    expect(result.files.every((f) => f.status === 'ok')).toBe(true);
  });

  it('verifies with the given station key, and fails with another key', async () => {
    const given = await verifyEvidencePackage(pkg.dir, { publicKey: await keyStore.publicKeyPem() });
    expect(given.ok).toBe(true);
    expect(given.signature.keySource).toBe('given');
    expect(given.verdict).toMatch(/given station key/);
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const wrong = await verifyEvidencePackage(pkg.dir, { publicKey: other });
    expect(wrong.ok).toBe(false);
    expect(wrong.signature.status).toBe('invalid');
    expect(wrong.problems[0]).toMatchObject({ code: 'EVIDENCE_SIGNATURE_INVALID', file: F.signature });
  });

  it.each([
    [F.clip, 1000, /clip\.mp4 has been changed/],
    [F.manifest, 40, /manifest\.json has been changed/],
    [F.signature, 3, /manifest\.sig has been changed/],
    [F.publicKey, 40, /station-public-key\.pem has been changed/],
    ['stills/still-1.jpg', 1, /stills\/still-1\.jpg has been changed/],
    [F.sums, 5, /SHA256SUMS/],
  ])('fails and names %s when one of its bytes is flipped', async (file, offset, message) => {
    await flipByte(join(pkg.dir, file), offset);
    const result = await verifyEvidencePackage(pkg.dir);
    expect(result.ok).toBe(false);
    expect(result.verdict).toMatch(/^FAILED/);
    expect(result.verdict).toMatch(message);
    if (file !== F.sums) expect(result.files.find((f) => f.path === file)?.status).toBe('mismatch');
  });

  it('fails a manifest byte flip on the signature as well, even when SHA256SUMS is recomputed', async () => {
    const manifestPath = join(pkg.dir, F.manifest);
    const text = await readFile(manifestPath, 'utf8');
    await writeFile(manifestPath, text.replace('officer.nguyen', 'officer.nguyeN'));
    const sums = (await readFile(join(pkg.dir, F.sums), 'utf8')).replace(/^[0-9a-f]{64}(?=  manifest\.json$)/m, sha256(await readFile(manifestPath)));
    await writeFile(join(pkg.dir, F.sums), sums);
    const result = await verifyEvidencePackage(pkg.dir);
    expect(result.ok).toBe(false);
    expect(result.signature.status).toBe('invalid');
    expect(result.verdict).toMatch(/signature in manifest\.sig does not verify over manifest\.json/);
  });

  it('fails a swapped clip whose new hash was written into SHA256SUMS (the signed manifest still binds it)', async () => {
    const fake = randomBytes(1000);
    await writeFile(join(pkg.dir, F.clip), fake);
    const sums = (await readFile(join(pkg.dir, F.sums), 'utf8')).replace(/^[0-9a-f]{64}(?=  clip\.mp4$)/m, sha256(fake));
    await writeFile(join(pkg.dir, F.sums), sums);
    const result = await verifyEvidencePackage(pkg.dir);
    expect(result.ok).toBe(false);
    expect(result.verdict).toMatch(/clip\.mp4 has been changed: its SHA-256 does not match the signed manifest/);
  });

  it('fails a file added after export and a file removed', async () => {
    await writeFile(join(pkg.dir, 'note.txt'), 'added later');
    const added = await verifyEvidencePackage(pkg.dir);
    expect(added.ok).toBe(false);
    expect(added.verdict).toMatch(/note\.txt is not listed in SHA256SUMS/);
    const { rm } = await import('node:fs/promises');
    await rm(join(pkg.dir, 'note.txt'));
    await rm(join(pkg.dir, 'stills/still-1.jpg'));
    const removed = await verifyEvidencePackage(pkg.dir);
    expect(removed.ok).toBe(false);
    expect(removed.verdict).toMatch(/stills\/still-1\.jpg is listed in SHA256SUMS but missing/);
  });

  it('verifies the .zip, and fails it naming the clip when a byte inside the clip data changes', async () => {
    const ok = await verifyEvidencePackage(pkg.zip, { publicKey: await keyStore.publicKeyPem() });
    expect(ok.kind).toBe('zip');
    expect(ok.ok).toBe(true);
    const zip = await readZip(pkg.zip);
    const clip = zip.entries.find((e) => e.name === F.clip)!;
    await flipByte(pkg.zip, clip.localOffset + 30 + F.clip.length + 5000);
    const bad = await verifyEvidencePackage(pkg.zip);
    expect(bad.ok).toBe(false);
    expect(bad.verdict).toMatch(/clip\.mp4 has been changed/);
  });

  it('rejects a path that is neither a folder nor a zip with a coded error', async () => {
    await expect(verifyEvidencePackage(join(tmp.dir, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await writeFile(join(tmp.dir, 'junk.zip'), 'junk');
    await expect(verifyEvidencePackage(join(tmp.dir, 'junk.zip'))).rejects.toMatchObject({ code: 'MEDIA_INVALID' });
  });
});
