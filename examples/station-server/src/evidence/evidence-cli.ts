import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { lastValueFrom, tap } from 'rxjs';
import { WardwatchError, isWardwatchError, toWardwatchError, verifyEvidencePackage, type EvidenceExportEvent } from '@wardwatch/core';
import { renderEvidenceRecordPdf } from './evidence-record-pdf.js';
import { formatStationTime, STATION_TIME_ZONE } from './format-station-time.js';
import { openEvidenceData, readStationIdentity, stationDataPaths, type EvidenceData, type OpenEvidenceDataOptions } from './open-evidence-data.js';
import { parseCliTime } from './parse-cli-time.js';
import { createProgressBar } from './progress-bar.js';

/** Exit codes of `wardwatch-evidence`, stable for scripts. */
export const EVIDENCE_CLI_EXIT = {
  /** Done; for `verify` and `audit-verify`: everything verified. */
  ok: 0,
  /** `verify`: a hash or the signature failed; `audit-verify`: the chain is broken; `export`: integrity mismatch. */
  failed: 1,
  /** Bad command line. */
  usage: 2,
  /** Any other error (database locked, no footage, I/O ...); the message carries its code. */
  error: 3,
  /** Cancelled (Ctrl-C). */
  cancelled: 130,
} as const;

/** Where the CLI writes and how it opens data (tests inject their own). */
export interface EvidenceCliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Aborted on Ctrl-C by the bin script. */
  signal?: AbortSignal;
  /** @default openEvidenceData */
  open?: (options: OpenEvidenceDataOptions) => Promise<EvidenceData>;
  /** ffmpeg binary for exports. */
  ffmpegPath?: string;
  /** The clock of `record` (when the record is printed). @default Date.now */
  now?: () => number;
}

/** Help text of `wardwatch-evidence`. */
export const EVIDENCE_CLI_USAGE = `wardwatch-evidence — evidence export (trích xuất) and chain of custody

  export --data DIR --camera ID --from T --to T --reason TEXT [--case ID] [--incident ID] [--operator NAME] [--still T]... [--no-zip] [--json]
      Cut a signed evidence package from the recordings (stream copy, never re-encoded), with a progress bar.
      T is ISO-8601 with a zone (2026-11-20T15:00:00+07:00, ...Z) or epoch ms. --still adds a JPEG still at T.
      Writes the package folder and its .zip (to carry away). --no-zip writes the folder only (about half
      the bytes): the station server writes the .zip at its first download, verified and audited.
  list --data DIR [--camera ID] [--incident ID] [--json]
      Exports, newest first; each shows whether its .zip is written yet.
  verify PACKAGE [--public-key FILE] [--json]
      Check every hash and the Ed25519 signature of a package folder or .zip.
  record PACKAGE --out FILE.pdf [--public-key FILE] [--time-zone ZONE]
      Verify the package, then write its written record (biên bản trích xuất) as PDF: station, officer, reason,
      case, cameras and addresses, ranges in station time (ZONE, default ${STATION_TIME_ZONE}) and UTC, every
      SHA-256, the key fingerprint as text and QR code, how to verify. A package that fails is refused (exit 1).
  audit-verify DATA_DIR [--json]
      Re-hash the station's audit chain.
  public-key --data DIR                 Print the station public key (PEM) for verifiers.
  holds --data DIR [--camera ID] [--all] [--json]
  hold --data DIR --camera ID --from T --to T --reason TEXT [--operator NAME]
  release --data DIR --id HOLD_ID --reason TEXT [--operator NAME]

Exit codes: 0 ok/verified, 1 verification failed (or integrity mismatch on export), 2 usage, 3 other error, 130 cancelled.
`;

/** A command line that cannot run as given: printed with the usage text, exit code 2. */
function usageError(message: string): WardwatchError<'INVALID_ARGUMENT'> {
  return new WardwatchError('INVALID_ARGUMENT', message, { details: { usage: true } });
}

function isUsageError(error: unknown): error is Error {
  if (isWardwatchError(error, 'INVALID_ARGUMENT')) return error.details?.usage === true;
  return error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') === true;
}

function need(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw usageError(`--${name} is required`);
  return value;
}

function defaultOperator(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** The options of every command (each command reads the ones it needs). */
const CLI_OPTIONS = {
  data: { type: 'string' },
  camera: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  reason: { type: 'string' },
  case: { type: 'string' },
  incident: { type: 'string' },
  operator: { type: 'string' },
  'public-key': { type: 'string' },
  out: { type: 'string' },
  'time-zone': { type: 'string' },
  id: { type: 'string' },
  still: { type: 'string', multiple: true },
  json: { type: 'boolean', default: false },
  all: { type: 'boolean', default: false },
  'no-zip': { type: 'boolean', default: false },
} as const;

type ParsedValues = ReturnType<typeof parseArgs<{ args: string[]; options: typeof CLI_OPTIONS; allowPositionals: true; strict: true }>>['values'];

/** What each command of the CLI gets (internal). */
interface CommandContext {
  command: string;
  values: ParsedValues;
  positionals: string[];
  json: boolean;
  out: (text: string) => void;
  io: EvidenceCliIo;
  openData: (dataDir: string) => Promise<EvidenceData>;
}

/** The PEM text of `--public-key FILE`, when given. */
async function publicKeyOption(values: ParsedValues): Promise<string | undefined> {
  if (typeof values['public-key'] !== 'string') return undefined;
  try {
    return await readFile(values['public-key'], 'utf8');
  } catch (error) {
    throw new WardwatchError('EVIDENCE_KEY_ERROR', `Cannot read the public key ${values['public-key']}: ${(error as Error).message}`, { cause: error });
  }
}

/** Checks every hash and the signature of a package folder or `.zip`. */
async function verifyCommand(ctx: CommandContext): Promise<number> {
  const { values, positionals, json, out, io } = ctx;
  const path = positionals[0];
  if (!path) throw usageError('verify needs a package folder or .zip');
  const publicKey = await publicKeyOption(values);
  const result = await verifyEvidencePackage(path, { ...(publicKey === undefined ? {} : { publicKey }), ...(io.signal ? { signal: io.signal } : {}) });
  if (json) out(`${JSON.stringify({ ok: result.ok, verdict: result.verdict, kind: result.kind, signature: result.signature, problems: result.problems, files: result.files, evidenceId: result.manifest?.id }, null, 2)}\n`);
  else {
    for (const file of result.files) out(`  ${file.status === 'ok' ? 'OK      ' : file.status.toUpperCase().padEnd(8)} ${file.path}\n`);
    out(`  signature: ${result.signature.status} (key ${result.signature.keySource}${result.signature.fingerprint ? `, fingerprint ${result.signature.fingerprint}` : ''})\n`);
    for (const problem of result.problems) out(`  ! ${problem.message}\n`);
    if (result.manifest) {
      const m = result.manifest;
      out(`  evidence ${m.id}: camera ${m.camera.id} "${m.camera.name}", ${m.actual.fromIso} → ${m.actual.toIso}, by ${m.operator}, exported ${m.exportedAtIso}\n`);
    }
    out(`${result.verdict}\n`);
  }
  return result.ok ? EVIDENCE_CLI_EXIT.ok : EVIDENCE_CLI_EXIT.failed;
}

/** Verifies a package, then writes its written record (biên bản) as PDF. */
async function recordCommand(ctx: CommandContext): Promise<number> {
  const { values, positionals, out, io } = ctx;
  const path = positionals[0];
  if (!path) throw usageError('record needs a package folder or .zip');
  const target = need(values, 'out');
  const timeZone = typeof values['time-zone'] === 'string' ? values['time-zone'] : STATION_TIME_ZONE;
  formatStationTime(0, timeZone); // an unknown zone fails before the package is hashed
  const publicKey = await publicKeyOption(values);
  const result = await verifyEvidencePackage(path, { ...(publicKey === undefined ? {} : { publicKey }), ...(io.signal ? { signal: io.signal } : {}) });
  if (!result.ok) {
    for (const problem of result.problems) io.stderr.write(`  ! ${problem.message}\n`);
    io.stderr.write(`${result.verdict}\nNo record written: the package does not verify.\n`);
    return EVIDENCE_CLI_EXIT.failed;
  }
  const pdf = await renderEvidenceRecordPdf(result, {
    printedAt: (io.now ?? Date.now)(),
    packageName: basename(path),
    timeZone,
  });
  await writeFile(target, pdf);
  out(`Record of ${result.manifest!.id} written to ${target} (${pdf.length} bytes); ${result.verdict}\n`);
  return EVIDENCE_CLI_EXIT.ok;
}

/** Re-hashes the station's audit chain. */
async function auditVerifyCommand(ctx: CommandContext): Promise<number> {
  const { values, positionals, json, out, io, openData } = ctx;
  const dataDir = positionals[0] ?? (typeof values.data === 'string' ? values.data : undefined);
  if (!dataDir) throw usageError('audit-verify needs the station data directory');
  const result = await (await openData(dataDir)).storage.audit.verify();
  if (json) out(`${JSON.stringify(result)}\n`);
  else if (result.ok) out(`AUDIT CHAIN OK: ${result.entries} entries, last hash ${result.lastHash}\n`);
  else out(`AUDIT CHAIN BROKEN at entry ${result.brokenAt}: ${result.reason} (${result.entries} entries read)\n`);
  return result.ok ? EVIDENCE_CLI_EXIT.ok : EVIDENCE_CLI_EXIT.failed;
}

/** Cuts a signed evidence package, with a progress bar. */
async function exportCommand(ctx: CommandContext): Promise<number> {
  const { values, json, out, io, openData } = ctx;
  const dataDir = need(values, 'data');
  const cameraId = need(values, 'camera');
  const from = parseCliTime(need(values, 'from'), 'from');
  const to = parseCliTime(need(values, 'to'), 'to');
  const reason = need(values, 'reason');
  const opened = await openData(dataDir);
  const camera = await opened.storage.cameras.get(cameraId);
  const station = await readStationIdentity(dataDir, camera ? { id: camera.site.station, name: camera.site.station, ward: camera.site.ward } : undefined);
  const writeZip = values['no-zip'] !== true;
  const service = await opened.service(station, { zip: writeZip ? 'eager' : 'on-demand' });
  const bar = createProgressBar(io.stderr, { tty: io.stderr.isTTY === true });
  const done = (await lastValueFrom(
    service
      .exportEvidence({
        cameraId,
        from,
        to,
        reason,
        operator: typeof values.operator === 'string' ? values.operator : defaultOperator(),
        ...(typeof values.case === 'string' ? { caseId: values.case } : {}),
        ...(typeof values.incident === 'string' ? { incidentId: values.incident } : {}),
        ...(values.still && values.still.length > 0 ? { stillsAt: values.still.map((t) => parseCliTime(t, 'still')) } : {}),
        ...(io.signal ? { signal: io.signal } : {}),
      })
      .pipe(tap((event: EvidenceExportEvent) => event.type === 'progress' && bar.update(event.ratio, event.phase))),
  )) as Extract<EvidenceExportEvent, { type: 'done' }>;
  bar.finish();
  if (json) out(`${JSON.stringify({ evidenceId: done.record.id, packageDir: done.packageDir, zipPath: writeZip ? done.zipPath : null, record: done.record }, null, 2)}\n`);
  else {
    out(`Exported ${done.record.id}\n  folder: ${done.packageDir}\n  zip:    ${writeZip ? done.zipPath : 'not written (--no-zip): the station writes it at the first download'}\n`);
    out(`  actual range: ${done.manifest.actual.fromIso} → ${done.manifest.actual.toIso}, ${done.manifest.sourceSegments.length} source segments verified, ${done.manifest.gaps.length} gaps\n`);
    out(`  clip SHA-256: ${done.record.clipSha256}\n  manifest SHA-256: ${done.record.manifestSha256}\n`);
  }
  return EVIDENCE_CLI_EXIT.ok;
}

/** Lists exports, newest first, each with whether its `.zip` is written yet. */
async function listCommand(ctx: CommandContext): Promise<number> {
  const { values, json, out, io, openData } = ctx;
  const dataDir = need(values, 'data');
  const opened = await openData(dataDir);
  const evidenceRoot = stationDataPaths(dataDir).evidence;
  const records = (await opened.storage.evidence.list({
    ...(typeof values.camera === 'string' ? { cameraId: values.camera } : {}),
    ...(typeof values.incident === 'string' ? { incidentId: values.incident } : {}),
  })).sort((a, b) => b.createdAt - a.createdAt);
  const listed = await Promise.all(
    records.map(async (r) => ({ ...r, zipReady: await stat(join(evidenceRoot, `${r.packagePath}.zip`)).then((info) => info.isFile(), () => false) })),
  );
  if (json) out(`${JSON.stringify(listed, null, 2)}\n`);
  else {
    for (const r of listed) {
      out(`${r.id}  ${r.cameraId}  ${new Date(r.actual.from).toISOString()} → ${new Date(r.actual.to).toISOString()}  ${r.operator}  ${r.reason}  ${r.zipReady ? 'zip' : 'no zip yet'}\n`);
    }
  }
  return EVIDENCE_CLI_EXIT.ok;
}

/** Prints the station public key (PEM). */
async function publicKeyCommand(ctx: CommandContext): Promise<number> {
  const { values, out, openData } = ctx;
  const opened = await openData(need(values, 'data'));
  out(await opened.keyStore.publicKeyPem());
  return EVIDENCE_CLI_EXIT.ok;
}

/** Lists holds (active ones unless `--all`). */
async function holdsCommand(ctx: CommandContext): Promise<number> {
  const { values, json, out, openData } = ctx;
  const opened = await openData(need(values, 'data'));
  const holds = await opened.storage.holds.list({ ...(typeof values.camera === 'string' ? { cameraId: values.camera } : {}), ...(values.all ? {} : { active: true }) });
  if (json) out(`${JSON.stringify(holds, null, 2)}\n`);
  else {
    for (const h of holds) {
      out(`${h.id}  ${h.cameraId}  ${new Date(h.from).toISOString()} → ${new Date(h.to).toISOString()}  ${h.owner.kind}:${h.owner.id}  ${h.releasedAt ? `released by ${h.releasedBy}` : 'active'}  ${h.reason}\n`);
    }
  }
  return EVIDENCE_CLI_EXIT.ok;
}

/** Creates (`hold`) or releases (`release`) a hold, audited with who and why. */
async function holdCommand(ctx: CommandContext): Promise<number> {
  const { values, json, out, io, openData, command } = ctx;
  const dataDir = need(values, 'data');
  const reason = need(values, 'reason');
  const actor = typeof values.operator === 'string' ? values.operator : defaultOperator();
  const opened = await openData(dataDir);
  const service = await opened.service(await readStationIdentity(dataDir));
  const hold =
    command === 'hold'
      ? await service.createHold({ cameraId: need(values, 'camera'), from: parseCliTime(need(values, 'from'), 'from'), to: parseCliTime(need(values, 'to'), 'to'), reason, actor })
      : await service.releaseHold(need(values, 'id'), { actor, reason });
  out(json ? `${JSON.stringify(hold, null, 2)}\n` : `${command === 'hold' ? 'Created' : 'Released'} hold ${hold.id} on ${hold.cameraId}\n`);
  return EVIDENCE_CLI_EXIT.ok;
}

const COMMANDS: Record<string, (ctx: CommandContext) => Promise<number>> = {
  verify: verifyCommand,
  record: recordCommand,
  'audit-verify': auditVerifyCommand,
  export: exportCommand,
  list: listCommand,
  'public-key': publicKeyCommand,
  holds: holdsCommand,
  hold: holdCommand,
  release: holdCommand,
};

/** Runs `wardwatch-evidence` with `argv` (without node and script); resolves the exit code. */
export async function runEvidenceCli(argv: readonly string[], io: EvidenceCliIo): Promise<number> {
  const out = (text: string): void => void io.stdout.write(text);
  const err = (text: string): void => void io.stderr.write(text);
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    out(EVIDENCE_CLI_USAGE);
    return command ? EVIDENCE_CLI_EXIT.ok : EVIDENCE_CLI_EXIT.usage;
  }
  const open = io.open ?? openEvidenceData;
  let data: EvidenceData | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: CLI_OPTIONS,
    });
    const json = values.json === true;
    const openData = async (dataDir: string): Promise<EvidenceData> => {
      data = await open({ dataDir, ...(io.ffmpegPath ? { ffmpegPath: io.ffmpegPath } : {}) });
      return data;
    };

    const run = COMMANDS[command];
    if (!run) throw usageError(`unknown command "${command}"`);
    return await run({ command, values, positionals, json, out, io, openData });
  } catch (error) {
    if (isUsageError(error)) {
      err(`wardwatch-evidence: ${error.message}\n\n${EVIDENCE_CLI_USAGE}`);
      return EVIDENCE_CLI_EXIT.usage;
    }
    const coded = toWardwatchError(error);
    if (coded.code === 'CANCELLED') {
      err('\nwardwatch-evidence: cancelled; no partial package was left\n');
      return EVIDENCE_CLI_EXIT.cancelled;
    }
    const hint = coded.code === 'STORAGE_LOCKED' ? ' (the station is running: stop it or use the web UI)' : '';
    err(`\nwardwatch-evidence: ${coded.code}: ${coded.message}${hint}\n`);
    if (coded.code === 'INVALID_ARGUMENT') return EVIDENCE_CLI_EXIT.usage;
    return coded.code === 'EVIDENCE_INTEGRITY_MISMATCH' || coded.code === 'AUDIT_CHAIN_BROKEN' ? EVIDENCE_CLI_EXIT.failed : EVIDENCE_CLI_EXIT.error;
  } finally {
    if (data) await data.close();
  }
}
