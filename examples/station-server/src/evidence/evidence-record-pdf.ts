import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, fill, popGraphicsState, pushGraphicsState, rectangle, rgb, setFillingRgbColor, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import { WardwatchError, type EvidenceManifest, type PackageVerification } from '@wardwatch/core';
import { formatStationTime, formatUtcTime, STATION_TIME_ZONE } from './format-station-time.js';

/** Options of {@link renderEvidenceRecordPdf}. */
export interface EvidenceRecordPdfOptions {
  /** When the record is printed (epoch ms), from the caller's clock. */
  printedAt: number;
  /** IANA zone of the station for local times (UTC is always printed too). @default 'Asia/Ho_Chi_Minh' */
  timeZone?: string;
  /** Where the package is, as the officer should type it in the verify command. @default '<evidence id>.zip' */
  packageName?: string;
}

/** The QR code of a signing key fingerprint: the module matrix the record draws (`true` = dark), row by row. */
export function fingerprintQrModules(fingerprint: string): boolean[][] {
  const { modules } = QRCode.create(fingerprint, { errorCorrectionLevel: 'M' });
  return Array.from({ length: modules.size }, (_, row) => Array.from({ length: modules.size }, (_, col) => modules.get(row, col) === 1));
}

const OWNERSHIP_VI: Record<string, string> = {
  station: 'Công an quản lý (station)',
  household: 'Hộ gia đình (household)',
  business: 'Cơ sở kinh doanh (business)',
  'boarding-house': 'Nhà trọ (boarding house)',
};

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const BLACK = rgb(0, 0, 0);
const GREY = rgb(0.35, 0.35, 0.35);

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  /** DejaVu Sans Mono lacks part of Vietnamese: hex, paths and commands only. */
  mono: PDFFont;
}

let fontBytes: Promise<{ regular: Uint8Array; bold: Uint8Array; mono: Uint8Array }> | undefined;

/** The DejaVu TTFs shipped in the `dejavu-fonts-ttf` npm package (full Vietnamese coverage in Sans), read once. */
function loadFontBytes(): Promise<{ regular: Uint8Array; bold: Uint8Array; mono: Uint8Array }> {
  fontBytes ??= (async () => {
    const require = createRequire(import.meta.url);
    const read = (name: string) => readFile(require.resolve(`dejavu-fonts-ttf/ttf/${name}`));
    const [regular, bold, mono] = await Promise.all([read('DejaVuSans.ttf'), read('DejaVuSans-Bold.ttf'), read('DejaVuSansMono.ttf')]);
    return { regular, bold, mono };
  })().catch((error: unknown) => {
    fontBytes = undefined;
    throw new WardwatchError('OPTIONAL_DEPENDENCY_MISSING', `The record font (npm package dejavu-fonts-ttf) cannot be read: ${(error as Error).message}`, {
      cause: error,
      details: { packages: ['dejavu-fonts-ttf'], feature: 'evidence records (PDF)' },
    });
  });
  return fontBytes;
}

/** A top-to-bottom text flow over A4 pages. */
class Flow {
  page!: PDFPage;
  y = 0;
  readonly pages: PDFPage[] = [];
  constructor(
    private readonly doc: PDFDocument,
    readonly fonts: Fonts,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage([A4.width, A4.height]);
    this.pages.push(this.page);
    this.y = A4.height - MARGIN;
  }

  ensure(height: number): void {
    if (this.y - height < MARGIN + 20) this.newPage();
  }

  /** Splits text into lines that fit `width` (by words; a word longer than a line is cut). */
  wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      for (const word of paragraph.split(' ')) {
        const candidate = line === '' ? word : `${line} ${word}`;
        if (font.widthOfTextAtSize(candidate, size) <= width) {
          line = candidate;
          continue;
        }
        if (line !== '') lines.push(line);
        line = word;
        while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
          let cut = line.length - 1;
          while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
          lines.push(line.slice(0, cut));
          line = line.slice(cut);
        }
      }
      lines.push(line);
    }
    return lines;
  }

  text(text: string, options: { font?: PDFFont; size?: number; x?: number; width?: number; color?: ReturnType<typeof rgb>; center?: boolean; gap?: number } = {}): void {
    const font = options.font ?? this.fonts.regular;
    const size = options.size ?? 10;
    const x = options.x ?? MARGIN;
    const width = options.width ?? A4.width - MARGIN - x;
    const leading = size * 1.35;
    for (const line of this.wrap(text, font, size, width)) {
      this.ensure(leading);
      this.y -= leading;
      const lineX = options.center ? (A4.width - font.widthOfTextAtSize(line, size)) / 2 : x;
      this.page.drawText(line, { x: lineX, y: this.y + size * 0.25, size, font, color: options.color ?? BLACK });
    }
    this.y -= options.gap ?? 0;
  }

  /** A label (Vietnamese / English) and its value beside it. */
  field(label: string, value: string, valueFont?: PDFFont): void {
    const labelWidth = 170;
    const valueFontUsed = valueFont ?? this.fonts.regular;
    const valueLines = this.wrap(value, valueFontUsed, 10, A4.width - 2 * MARGIN - labelWidth);
    const labelLines = this.wrap(label, this.fonts.bold, 9, labelWidth - 8);
    const height = Math.max(valueLines.length * 13.5, labelLines.length * 12.2);
    this.ensure(height);
    const top = this.y;
    labelLines.forEach((line, i) => this.page.drawText(line, { x: MARGIN, y: top - 12.2 * (i + 1) + 2.5, size: 9, font: this.fonts.bold, color: GREY }));
    valueLines.forEach((line, i) => this.page.drawText(line, { x: MARGIN + labelWidth, y: top - 13.5 * (i + 1) + 2.5, size: 10, font: valueFontUsed, color: BLACK }));
    this.y = top - height - 2;
  }

  heading(text: string): void {
    this.ensure(80); // a heading never ends a page
    this.y -= 8;
    this.text(text, { font: this.fonts.bold, size: 12 });
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: A4.width - MARGIN, y: this.y }, thickness: 0.6, color: GREY });
    this.y -= 4;
  }

  /**
   * Draws a QR module matrix as vector squares (one `re` per dark module, filled as one path, with a 4-module
   * quiet zone) at the left margin.
   */
  qr(modules: boolean[][], sizePt: number): void {
    const cell = sizePt / (modules.length + 8);
    this.ensure(sizePt + 4);
    const top = this.y;
    const squares = modules.flatMap((row, r) => row.flatMap((dark, c) => (dark ? [rectangle(MARGIN + (c + 4) * cell, top - (r + 5) * cell, cell, cell)] : [])));
    this.page.pushOperators(pushGraphicsState(), setFillingRgbColor(0, 0, 0), ...squares, fill(), popGraphicsState());
    this.y = top - sizePt - 4;
  }
}

/** `2 h 03 min 07.250 s` style duration for people. */
function duration(ms: number): string {
  const total = Math.max(0, ms) / 1000;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = (total % 60).toFixed(3);
  return `${h > 0 ? `${h} h ` : ''}${h > 0 || m > 0 ? `${m} min ` : ''}${s} s`;
}

/** A range as From/To lines, each in station time then UTC, and its length. */
function range(range: { from: number; to: number }, timeZone: string): string {
  return [
    `Từ / From: ${formatStationTime(range.from, timeZone)}`,
    `      = ${formatUtcTime(range.from)}`,
    `Đến / To: ${formatStationTime(range.to, timeZone)}`,
    `      = ${formatUtcTime(range.to)}`,
    `Thời lượng / Length: ${duration(range.to - range.from)}`,
  ].join('\n');
}

/** The cameras of a manifest (one per package in the `wardwatch-evidence/1` format). */
function camerasOf(manifest: EvidenceManifest): EvidenceManifest['camera'][] {
  return [manifest.camera];
}

/** Hex split in groups of 4 so a person can read it aloud and compare it. */
function grouped(hex: string): string {
  return hex.replace(/(.{4})/g, '$1 ').trim();
}

/**
 * Renders the written record (biên bản) of an evidence export as a PDF: station, officer, reason, case,
 * incident, cameras with their addresses, requested and actual ranges (station time and UTC), gaps, every
 * file's SHA-256 (package files as re-hashed at print time and the source segments), the signing key
 * fingerprint as text and QR code, and how to verify the package. Text is in Vietnamese with English labels,
 * set in DejaVu Sans embedded as a subset. The package must have verified: a failed verification is refused
 * with its problem's code (`EVIDENCE_INTEGRITY_MISMATCH` / `EVIDENCE_SIGNATURE_INVALID`), so no record
 * attests a changed package.
 */
export async function renderEvidenceRecordPdf(verification: PackageVerification, options: EvidenceRecordPdfOptions): Promise<Uint8Array> {
  const manifest = verification.manifest;
  if (!verification.ok || !manifest) {
    const problem = verification.problems[0];
    throw new WardwatchError(problem?.code ?? 'EVIDENCE_INTEGRITY_MISMATCH', `No record is printed for a package that does not verify: ${verification.verdict}`, {
      details: { package: verification.package },
    });
  }
  const timeZone = options.timeZone ?? STATION_TIME_ZONE;
  const stationTime = (ms: number): string => `${formatStationTime(ms, timeZone)}\n${formatUtcTime(ms)}`;
  const packageName = options.packageName ?? `${manifest.id}.zip`;
  const fingerprint = verification.signature.fingerprint ?? manifest.signing.publicKeyFingerprint;

  const bytes = await loadFontBytes();
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const fonts: Fonts = {
    regular: await doc.embedFont(bytes.regular, { subset: true }),
    bold: await doc.embedFont(bytes.bold, { subset: true }),
    mono: await doc.embedFont(bytes.mono, { subset: true }),
  };
  doc.setTitle(`Biên bản trích xuất dữ liệu camera — ${manifest.id}`);
  doc.setSubject(`Evidence export record ${manifest.id}`);
  doc.setAuthor(manifest.station.name);
  doc.setCreator('WardWatch station server');
  doc.setProducer('WardWatch (pdf-lib)');
  doc.setLanguage('vi-VN');
  doc.setCreationDate(new Date(options.printedAt));
  doc.setModificationDate(new Date(options.printedAt));

  const flow = new Flow(doc, fonts);
  const half = (A4.width - 2 * MARGIN) / 2;
  const top = flow.y;
  flow.text(manifest.station.name.toUpperCase(), { font: fonts.bold, size: 9, width: half - 10 });
  flow.text(manifest.station.ward, { size: 9, width: half - 10 });
  const leftBottom = flow.y;
  flow.y = top;
  flow.text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { font: fonts.bold, size: 9, x: MARGIN + half });
  flow.text('Độc lập - Tự do - Hạnh phúc', { font: fonts.bold, size: 9, x: MARGIN + half + 40 });
  flow.y = Math.min(flow.y, leftBottom) - 16;
  flow.text('Biên bản trích xuất dữ liệu camera', { font: fonts.bold, size: 17, center: true });
  flow.text('Record of CCTV footage extraction as evidence', { size: 10, center: true, color: GREY, gap: 2 });
  flow.text(`Số / No. ${manifest.id}`, { size: 9, center: true, gap: 6 });

  flow.heading('1. Thông tin chung / General');
  flow.field('Đơn vị / Station', `${manifest.station.name} (${manifest.station.id}), ${manifest.station.ward}`);
  flow.field('Cán bộ thực hiện / Officer', manifest.operator);
  flow.field('Lý do trích xuất / Reason', manifest.reason);
  flow.field('Hồ sơ vụ án / Case', manifest.caseId ?? 'Không có (none)');
  flow.field('Vụ việc / Incident', manifest.incidentId ?? 'Không có (none)');
  flow.field('Thời điểm trích xuất / Exported at', stationTime(manifest.exportedAt));
  flow.field('Thời điểm in / Printed at', stationTime(options.printedAt));
  flow.field('Múi giờ đơn vị / Station time zone', timeZone);

  flow.heading('2. Camera / Cameras');
  for (const camera of camerasOf(manifest)) {
    flow.field('Tên camera / Name', `${camera.name} (${camera.id})`);
    flow.field('Địa chỉ / Address', camera.location?.address ?? 'Chưa ghi (not recorded)');
    if (camera.location) flow.field('Tọa độ / Coordinates', `${camera.location.lat.toFixed(6)}, ${camera.location.lon.toFixed(6)}`);
    if (camera.site) flow.field('Địa bàn / Ward, station', `${camera.site.ward}, ${camera.site.station}`);
    flow.field('Sở hữu / Ownership', `${OWNERSHIP_VI[camera.ownership] ?? camera.ownership}${camera.owner ? ` — ${camera.owner}` : ''}`);
  }

  flow.heading('3. Thời gian / Time ranges');
  flow.field('Khoảng yêu cầu / Requested', range(manifest.requested, timeZone));
  flow.field('Khoảng thực tế / Actual (clip)', range(manifest.actual, timeZone));
  flow.field(
    'Lệch đồng hồ camera / Camera clock offset',
    manifest.clockOffsetMs === null ? 'Không đo được (unknown)' : `${manifest.clockOffsetMs} ms (camera − đồng hồ đơn vị / station clock)`,
  );
  if (manifest.gaps.length === 0) flow.field('Khoảng trống / Gaps', 'Không có: ghi hình liên tục (none: the recording is continuous)');
  manifest.gaps.forEach((gap, i) => flow.field(`Khoảng trống ${i + 1} / Gap ${i + 1} (không có hình / no footage)`, range(gap, timeZone)));

  flow.heading('4. Tệp và mã băm SHA-256 / Files and their SHA-256');
  flow.text(
    `Các tệp của gói chứng cứ, băm lại khi in biên bản (${verification.kind === 'zip' ? 'tệp .zip' : 'thư mục'}) / Package files, re-hashed when this record was printed:`,
    { size: 9, color: GREY, gap: 2 },
  );
  for (const file of verification.files) {
    flow.ensure(26); // a file and its hash on one page
    flow.text(`${file.path}  —  ${file.bytes.toLocaleString('en-US')} bytes`, { font: fonts.bold, size: 9 });
    flow.text(file.sha256, { font: fonts.mono, size: 8.5, x: MARGIN + 12 });
  }
  flow.text('Các đoạn ghi gốc (đã kiểm tra khi trích xuất) / Source recording segments (verified at export):', { size: 9, color: GREY, gap: 2 });
  for (const segment of manifest.sourceSegments) {
    flow.ensure(26);
    flow.text(`${segment.path}  —  ${segment.bytes.toLocaleString('en-US')} bytes, ${formatStationTime(segment.start, timeZone)} → ${formatStationTime(segment.end, timeZone)}`, { font: fonts.bold, size: 8.5 });
    flow.text(segment.sha256, { font: fonts.mono, size: 8.5, x: MARGIN + 12 });
  }

  flow.heading('5. Chữ ký số / Digital signature');
  flow.field('Thuật toán / Algorithm', `${manifest.signing.algorithm} trên manifest.json / over manifest.json`);
  flow.field('Dấu vân tay khóa / Key fingerprint (SHA-256 of the public key)', grouped(fingerprint), fonts.mono);
  flow.field(
    'Kết quả kiểm tra khi in / Verification at print time',
    `HỢP LỆ / VERIFIED — ${verification.files.length} tệp khớp mã băm, chữ ký hợp lệ (${
      verification.signature.keySource === 'given' ? 'kiểm bằng khóa công khai của đơn vị / checked with the station key' : 'kiểm bằng khóa kèm trong gói / checked with the key embedded in the package'
    }).`,
  );
  flow.text('Mã QR của dấu vân tay khóa / QR code of the key fingerprint:', { size: 9, color: GREY });
  flow.qr(fingerprintQrModules(fingerprint), 110);

  flow.heading('6. Cách kiểm tra / How to verify');
  flow.text('Trên máy có WardWatch, chạy / On a machine with WardWatch, run:', { size: 9.5 });
  flow.text(`wardwatch-evidence verify ${packageName} --public-key station.pem`, { font: fonts.mono, size: 9, x: MARGIN + 12, gap: 2 });
  flow.text(
    [
      'Lệnh này / The command:',
      '• băm lại mọi tệp và so với SHA256SUMS và với manifest.json đã ký (re-hashes every file against SHA256SUMS and the signed manifest);',
      '• kiểm chữ ký Ed25519 trên đúng các byte của manifest.json (checks the Ed25519 signature over the exact bytes of manifest.json);',
      '• báo tên tệp bị thay đổi, thiếu hoặc thêm vào; mã thoát 0 = hợp lệ, 1 = không hợp lệ (names any changed, missing or added file; exit 0 = verified, 1 = failed).',
      'Lấy khóa công khai của đơn vị (station.pem) bằng lệnh wardwatch-evidence public-key --data <thư mục dữ liệu> hoặc GET /api/evidence/public-key, và so dấu vân tay in ra với dấu vân tay / mã QR ở mục 5. Không có --public-key, lệnh dùng khóa kèm trong gói: khi đó phải so dấu vân tay. / Get the station public key as above and compare the printed fingerprint with the one / the QR code in section 5; without --public-key the embedded key is used, so compare the fingerprint.',
      'Kiểm tra độc lập: sha256sum -c SHA256SUMS trong thư mục gói (independent check with coreutils).',
    ].join('\n'),
    { size: 9, gap: 4 },
  );

  flow.ensure(80);
  flow.y -= 16;
  const signTop = flow.y;
  flow.text('CÁN BỘ TRÍCH XUẤT', { font: fonts.bold, size: 9.5, x: MARGIN + 20 });
  flow.text('(Officer — ký, ghi rõ họ tên / sign and write name)', { size: 8, x: MARGIN + 20, color: GREY });
  flow.y = signTop;
  flow.text('THỦ TRƯỞNG ĐƠN VỊ', { font: fonts.bold, size: 9.5, x: MARGIN + half + 20 });
  flow.text('(Head of station — ký, đóng dấu / sign and stamp)', { size: 8, x: MARGIN + half + 20, color: GREY });
  flow.y -= 60;

  flow.pages.forEach((page, index) => {
    const footer = `${manifest.id} — trang / page ${index + 1}/${flow.pages.length}`;
    page.drawText(footer, { x: A4.width - MARGIN - fonts.regular.widthOfTextAtSize(footer, 8), y: MARGIN - 20, size: 8, font: fonts.regular, color: GREY });
  });
  return doc.save();
}
