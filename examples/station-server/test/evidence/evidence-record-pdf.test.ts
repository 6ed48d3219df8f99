import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFArray, PDFDocument, PDFRawStream, decodePDFRawStream } from 'pdf-lib';
import jsQR from 'jsqr';
import QRCode from 'qrcode';
import { verifyEvidencePackage, type EvidenceManifest } from '@wardwatch/core';
import { createLevelStorage } from '@wardwatch/storage-level';
import { runEvidenceCli } from '../../src/evidence/evidence-cli.js';
import { fingerprintQrModules, renderEvidenceRecordPdf } from '../../src/evidence/evidence-record-pdf.js';
import { stationDataPaths } from '../../src/evidence/open-evidence-data.js';
import { cameraSpec, captureIo, tempDataDir, TEST_STATION } from './evidence-test-kit.js';
import { pdfFonts, pdfPagesText } from './pdf-text.js';
import { synthSegments } from './synth-segments.js';

const T = Date.UTC(2026, 10, 20, 8, 0, 0);
/** The station server's (gitignored) test artifacts folder: the record is left there for people to look at. */
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const PRINTED = Date.UTC(2026, 10, 21, 2, 30, 0, 125);

/** Text of the whole PDF with the layout's whitespace collapsed (pdf.js splits runs at line ends). */
const flat = (pages: string[]): string => pages.join('\n').replace(/\s+/g, ' ');

describe('written record (biên bản) of an evidence export', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let zip: string;
  let folder: string;
  let manifest: EvidenceManifest;
  let pdf: Uint8Array;
  let pages: string[];

  const cli = async (...argv: string[]) => {
    const io = captureIo();
    const code = await runEvidenceCli(argv, { ...io, now: () => PRINTED });
    return { code, out: io.stdout.text, err: io.stderr.text };
  };

  beforeAll(async () => {
    data = await tempDataDir();
    const paths = stationDataPaths(data.dir);
    const storage = await createLevelStorage({ path: paths.db });
    await storage.cameras.put(cameraSpec('cam-a'));
    await storage.incidents.put({
      id: 'inc-7', title: 'Trộm xe máy', description: '', category: 'theft', status: 'open', station: 'CA-BT', occurredAt: T,
      ranges: [{ cameraId: 'cam-a', from: T, to: T + 12_000 }], evidenceIds: [], createdBy: 'o', createdAt: T, updatedAt: T, history: [],
    });
    // Two runs of footage with a 4 s hole between them: the record must show the gap.
    await synthSegments({ storage, root: paths.recordings, cameraId: 'cam-a', start: T, count: 2 });
    await synthSegments({ storage, root: paths.recordings, cameraId: 'cam-a', start: T + 8000, count: 2 });
    await storage.close();
    await writeFile(paths.stationFile, JSON.stringify(TEST_STATION));
    const exported = await cli(
      'export', '--data', data.dir, '--camera', 'cam-a', '--from', new Date(T + 1000).toISOString(), '--to', '2026-11-20T15:00:11+07:00',
      '--reason', 'Trích xuất vụ trộm xe máy tại chợ', '--case', 'VV-2026-031', '--incident', 'inc-7', '--operator', 'Đại úy Nguyễn Thị Lan', '--still', new Date(T + 2500).toISOString(),
    );
    expect(exported.code, exported.err).toBe(0);
    const id = /Exported (ev-\S+)/.exec(exported.out)![1]!;
    folder = join(paths.evidence, id);
    zip = `${folder}.zip`;
    manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as EvidenceManifest;
    const key = await cli('public-key', '--data', data.dir);
    await writeFile(join(data.dir, 'station.pem'), key.out);
    const recorded = await cli('record', zip, '--out', join(data.dir, 'record.pdf'), '--public-key', join(data.dir, 'station.pem'));
    expect(recorded.code, recorded.err).toBe(0);
    expect(recorded.out).toMatch(/Record of ev-\S+ written to .*record\.pdf .*VERIFIED/);
    pdf = new Uint8Array(await readFile(join(data.dir, 'record.pdf')));
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(join(ARTIFACTS, 'evidence-record.pdf'), pdf);
    pages = await pdfPagesText(pdf);
  }, 120_000);
  afterAll(() => data?.cleanup());

  it('is a PDF whose text, extracted by pdf.js, carries the Vietnamese record with its diacritics', () => {
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const text = flat(pages);
    expect(text).toContain('Biên bản trích xuất dữ liệu camera');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain(`Số / No. ${manifest.id}`);
    expect(text).toContain('CÔNG AN PHƯỜNG BẾN THÀNH');
    expect(text).toContain('Công an phường Bến Thành (CA-BT), Phường Bến Thành');
    expect(text).toContain('Đại úy Nguyễn Thị Lan');
    expect(text).toContain('Trích xuất vụ trộm xe máy tại chợ');
    expect(text).toContain('VV-2026-031');
    expect(text).toContain('inc-7');
  });

  it('names the camera with its address, coordinates and owner', () => {
    const text = flat(pages);
    expect(text).toContain('Cổng chợ Bến Thành (cam-a)');
    expect(text).toContain('Lê Lợi, Quận 1');
    expect(text).toContain('10.772000, 106.698000');
    expect(text).toContain('Cơ sở kinh doanh (business) — shop-17');
  });

  it('gives the requested and actual ranges in station time and UTC, and the gap', () => {
    const text = flat(pages);
    expect(manifest.requested).toMatchObject({ from: T + 1000, to: T + 11_000 });
    const local = (ms: number) => new Date(ms + 7 * 3600_000).toISOString().replace('T', ' ').replace('Z', ' (UTC+07:00)');
    const utc = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');
    const shown = (r: { from: number; to: number }, seconds: string) =>
      `Từ / From: ${local(r.from)} = ${utc(r.from)} Đến / To: ${local(r.to)} = ${utc(r.to)} Thời lượng / Length: ${seconds} s`;
    expect(text).toContain(`Khoảng yêu cầu / Requested ${shown(manifest.requested, '10.000')}`);
    expect(text).toContain('Từ / From: 2026-11-20 15:00:01.000 (UTC+07:00) = 2026-11-20 08:00:01.000 UTC');
    expect(text).toContain(`Khoảng thực tế / Actual (clip) ${shown(manifest.actual, ((manifest.actual.to - manifest.actual.from) / 1000).toFixed(3))}`);
    expect(manifest.gaps).toEqual([{ from: T + 4000, to: T + 8000 }]);
    expect(text).toContain(`Khoảng trống 1 / Gap 1 (không có hình / no footage) ${shown(manifest.gaps[0]!, '4.000')}`);
    expect(text).toContain('Thời điểm in / Printed at 2026-11-21 09:30:00.125 (UTC+07:00) 2026-11-21 02:30:00.125 UTC');
  });

  it('lists the SHA-256 of every file of the package and of every source segment', async () => {
    const text = flat(pages);
    const verified = await verifyEvidencePackage(zip);
    expect(verified.files.map((f) => f.path)).toEqual(['SHA256SUMS', 'clip.mp4', 'manifest.json', 'manifest.sig', 'station-public-key.pem', expect.stringMatching(/^stills\/.+\.jpg$/)]);
    for (const file of verified.files) expect(text).toContain(`${file.path} — ${file.bytes.toLocaleString('en-US')} bytes ${file.sha256}`);
    expect(manifest.sourceSegments.length).toBeGreaterThan(0);
    for (const segment of manifest.sourceSegments) expect(text).toContain(segment.sha256);
  });

  it('prints the signing key fingerprint as text and how to verify the package', () => {
    const text = flat(pages);
    const fingerprint = manifest.signing.publicKeyFingerprint;
    expect(text.replace(/(?<=[0-9a-f]{4}) (?=[0-9a-f]{4})/g, '')).toContain(fingerprint);
    expect(text).toContain(fingerprint.match(/.{4}/g)!.join(' '));
    expect(text).toContain('kiểm bằng khóa công khai của đơn vị / checked with the station key');
    expect(text).toContain(`wardwatch-evidence verify ${manifest.id}.zip --public-key station.pem`);
    expect(text).toContain('kiểm chữ ký Ed25519 trên đúng các byte của manifest.json');
    expect(text).toContain('sha256sum -c SHA256SUMS');
  });

  it('embeds its fonts as subsets (nothing is taken from the reader\'s machine)', async () => {
    const fonts = await pdfFonts(pdf);
    // pdf-lib names a subset `<PostScript name>-<random number>`.
    expect(fonts.map((f) => f.name.replace(/-\d+$/, ''))).toEqual(['DejaVuSans', 'DejaVuSans-Bold', 'DejaVuSansMono']);
    for (const font of fonts) {
      // Embedded, and a subset: the full TTFs are 757 kB, 706 kB and 341 kB.
      expect(font.embeddedBytes).toBeGreaterThan(1_000);
      expect(font.embeddedBytes).toBeLessThan(100_000);
    }
    expect(pdf.length).toBeLessThan(200_000);
  });

  it('draws the QR code of the fingerprint module by module as the encoder made it', async () => {
    const fingerprint = manifest.signing.publicKeyFingerprint;
    const encoded = QRCode.create(fingerprint, { errorCorrectionLevel: 'M' }).modules;
    const matrix = fingerprintQrModules(fingerprint);
    expect(matrix).toHaveLength(encoded.size);
    for (let r = 0; r < encoded.size; r++) for (let c = 0; c < encoded.size; c++) expect(matrix[r]![c]).toBe(encoded.get(r, c) === 1);
    const drawn = await drawnSquares(pdf);
    const dark = matrix.flat().filter(Boolean).length;
    expect(drawn.size).toBe(dark);
    // The squares sit on a grid: cell (row, col) is dark exactly where the matrix is.
    const cell = Math.min(...[...drawn.values()].map((s) => s.w));
    const left = Math.min(...[...drawn.values()].map((s) => s.x));
    const top = Math.max(...[...drawn.values()].map((s) => s.y + s.h));
    const seen = matrix.map((row) => row.map(() => false));
    for (const s of drawn.values()) seen[Math.round((top - s.y - s.h) / cell)]![Math.round((s.x - left) / cell)] = true;
    // The first row and column of a QR code are finder patterns, so the grid's origin is module (0, 0).
    expect(seen).toEqual(matrix);
    // And a QR reader decodes the drawn squares, rasterised at 4 px a module, back to the fingerprint.
    expect(decodeQr([...drawn.values()], cell)).toBe(fingerprint);
  });

  it('refuses to print a record of a package that does not verify', async () => {
    const changed = await readFile(join(folder, 'clip.mp4'));
    changed[3000] = changed[3000]! ^ 0x01;
    await writeFile(join(folder, 'clip.mp4'), changed);
    const refused = await cli('record', folder, '--out', join(data.dir, 'bad.pdf'));
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/FAILED: clip\.mp4 has been changed/);
    await expect(readFile(join(data.dir, 'bad.pdf'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(renderEvidenceRecordPdf(await verifyEvidencePackage(folder), { printedAt: PRINTED })).rejects.toMatchObject({ code: 'EVIDENCE_INTEGRITY_MISMATCH' });
  });

  it('rejects an unknown time zone and a missing --out as usage errors', async () => {
    expect((await cli('record', zip)).code).toBe(2);
    const zone = await cli('record', zip, '--out', join(data.dir, 'z.pdf'), '--time-zone', 'Mars/Olympus');
    expect(zone.code).toBe(2);
    expect(zone.err).toMatch(/INVALID_ARGUMENT: Unknown time zone "Mars\/Olympus"/);
  });
});

/** Rasterises squares (PDF points, y up) at 4 px a module with a 4-module white border and decodes the QR code with jsQR. */
function decodeQr(squares: Array<{ x: number; y: number; w: number; h: number }>, cell: number): string | undefined {
  const px = 4;
  const left = Math.min(...squares.map((s) => s.x)) - 4 * cell;
  const top = Math.max(...squares.map((s) => s.y + s.h)) + 4 * cell;
  const modules = Math.round((Math.max(...squares.map((s) => s.x + s.w)) - left) / cell) + 4;
  const size = modules * px;
  const image = new Uint8ClampedArray(size * size * 4).fill(255);
  for (const s of squares) {
    const col = Math.round((s.x - left) / cell);
    const row = Math.round((top - s.y - s.h) / cell);
    for (let y = row * px; y < (row + 1) * px; y++) {
      for (let x = col * px; x < (col + 1) * px; x++) image.fill(0, (y * size + x) * 4, (y * size + x) * 4 + 3);
    }
  }
  return jsQR(image, size, size)?.data;
}

/** The squares (`re` operators) drawn on the PDF's pages, read back from the decoded content streams with pdf-lib's parser. */
async function drawnSquares(pdf: Uint8Array): Promise<Map<string, { x: number; y: number; w: number; h: number }>> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  const squares = new Map<string, { x: number; y: number; w: number; h: number }>();
  for (const page of document.getPages()) {
    const contents = page.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => document.context.lookup(ref)) : [contents];
    for (const stream of streams) {
      if (!(stream instanceof PDFRawStream)) continue;
      const text = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
      for (const m of text.matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re\b/g)) {
        const [x, y, w, h] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
        squares.set(`${x},${y}`, { x, y, w, h });
      }
    }
  }
  return squares;
}
