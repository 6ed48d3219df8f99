import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Observable } from 'rxjs';
import type { KeyObject } from 'node:crypto';
import { systemClock, type Clock } from '../contracts/clock.js';
import { silentLogger, type Logger } from '../contracts/logger.js';
import type { ClipEvent, ClipResult, Recorder } from '../contracts/recorder.js';
import type { StorageAdapter } from '../contracts/storage-adapter.js';
import { WardwatchError, isWardwatchError, toWardwatchError } from '../errors/wardwatch-error.js';
import type { AuditEntry, AuditVerification } from '../model/audit.js';
import type { EvidenceRecord, Hold } from '../model/evidence.js';
import { HoldSchema } from '../model/evidence.js';
import type { Incident } from '../model/incident.js';
import type { Segment } from '../model/segment.js';
import type { StationEvent } from '../model/station-event.js';
import { EVIDENCE_PACKAGE_FILES as F } from './evidence-package-files.js';
import type { EvidenceManifest } from './evidence-manifest.js';
import type { EvidenceKeyStore } from './file-key-store.js';
import { hashFile } from './hash-file.js';
import { hashFilesInWorker } from './hash-files-in-worker.js';
import { verifyEvidencePackage, type PackageVerification } from './verify-evidence-package.js';
import { writeEvidencePackage, type EvidenceStill } from './write-evidence-package.js';
import { zipEvidencePackage } from './zip-evidence-package.js';

/** Options of {@link createEvidenceService}. */
export interface EvidenceServiceOptions {
  storage: StorageAdapter;
  /** Cuts clips by stream copy (`@wardwatch/recorder`'s `createRecorder`). */
  recorder: Pick<Recorder, 'exportClip'>;
  /** The station signing key (see `createFileKeyStore`). */
  keyStore: EvidenceKeyStore;
  /** Folder where packages (`<id>/` and `<id>.zip`) are written. */
  evidenceRoot: string;
  /** The recorder root: segment paths in the index are relative to it. */
  recordingsRoot: string;
  /** The station named in every manifest. */
  station: { id: string; name: string; ward: string };
  /** Versions written to the manifest, e.g. `{ '@wardwatch/core': '0.1.0', ffmpeg: '5.1' }`. @default {} */
  softwareVersions?: Record<string, string>;
  /** @default systemClock */
  clock?: Clock;
  /** @default silentLogger */
  logger?: Logger;
  /** Publishes station events (`evidence.exported`, `hold.created`, `hold.released`). */
  emit?: (event: StationEvent) => void;
  /** Links evidence to incidents (the core incident service); `storage.incidents` is updated directly when omitted. */
  incidents?: { linkEvidence(id: string, evidenceId: string, actor: string): Promise<Incident> };
  /** The measured camera clock offset (`CameraSession.clockOffsetMs`) when the request does not carry one. */
  clockOffsetOf?: (cameraId: string) => number | undefined;
  /** Extracts a JPEG at `offsetMs` into the clip, for requests that ask for stills. */
  extractStill?: (clipPath: string, offsetMs: number, signal: AbortSignal) => Promise<Uint8Array>;
  /** Longest exportable range. @default 86_400_000 (24 h) */
  maxRangeMs?: number;
  /**
   * When the `.zip` is written: at the first `ensureZip` (download), after the folder verified and audited as
   * `evidence.zip` (`on-demand`, which halves the bytes written by an export), or at export (`eager`, for tools
   * whose operator carries the file away at once). Either way the `.zip` bytes are the same. @default 'on-demand'
   */
  zip?: 'eager' | 'on-demand';
}

/** A request to export evidence (trích xuất). */
export interface EvidenceExportRequest {
  cameraId: string;
  /** Requested start, UTC ms. */
  from: number;
  /** Requested end, UTC ms. */
  to: number;
  /** Who exports (the logged-in officer). */
  operator: string;
  /** Why (legal basis / request). */
  reason: string;
  caseId?: string;
  /** Links the package to this incident and holds the incident's ranges. */
  incidentId?: string;
  /** Camera clock minus station clock, ms; `null` when unknown. Falls back to `clockOffsetOf`. */
  clockOffsetMs?: number | null;
  /** UTC times to extract stills at (needs `extractStill`). */
  stillsAt?: readonly number[];
  /** Cancels the export; nothing partial is left behind and the observable errors with `CANCELLED`. */
  signal?: AbortSignal;
}

/** Phases of an export, in order. */
export type EvidenceExportPhase = 'verify-sources' | 'cut' | 'package' | 'zip';

/** Progress and completion of an evidence export. */
export type EvidenceExportEvent =
  | { type: 'progress'; phase: EvidenceExportPhase; /** Overall 0..1. */ ratio: number }
  | {
      type: 'done';
      record: EvidenceRecord;
      manifest: EvidenceManifest;
      packageDir: string;
      /** Where the `.zip` is (with `zip: 'on-demand'`: where `ensureZip` will write it). */
      zipPath: string;
    };

/** Input of {@link EvidenceService.createHold}. */
export interface CreateHoldInput {
  cameraId: string;
  from: number;
  to: number;
  reason: string;
  /** Who creates the hold. */
  actor: string;
  /** What the hold belongs to. @default { kind: 'manual', id: <hold id> } */
  owner?: Hold['owner'];
}

/** The result of verifying a stored export: the package check plus the index's manifest hash. */
export interface EvidenceVerification extends PackageVerification {
  evidenceId: string;
}

/** Evidence export with chain of custody: packages, holds, views and the audit log. */
export interface EvidenceService {
  /** Exports a signed package; cold: each subscription runs one export, unsubscribing cancels it. */
  exportEvidence(request: EvidenceExportRequest): Observable<EvidenceExportEvent>;
  /** An export record, or `NOT_FOUND`. */
  getEvidence(id: string): Promise<EvidenceRecord>;
  /** Export records, optionally of one camera or incident, newest first. */
  listEvidence(filter?: { cameraId?: string; incidentId?: string }): Promise<EvidenceRecord[]>;
  /** Absolute paths of an export's folder and `.zip`. */
  packagePaths(id: string): Promise<{ dir: string; zip: string }>;
  /**
   * The path of the export's `.zip`, writing it first from the verified folder when it does not exist yet (its
   * manifest must also match the one recorded in the index); a zip written here is audited as `evidence.zip` by
   * `actor` (@default 'system'). The zip is deterministic: the same entries, order and times as at export.
   */
  ensureZip(id: string, options?: { actor?: string }): Promise<string>;
  /** Verifies a stored export (folder, or `.zip` when `zip` is true) and checks its manifest against the index; audited when `actor` is given. */
  verifyEvidence(id: string, options?: { publicKey?: string | KeyObject; zip?: boolean; actor?: string }): Promise<EvidenceVerification>;
  /** Verifies any package folder or `.zip` by path. */
  verifyPackage(path: string, options?: { publicKey?: string | KeyObject }): Promise<PackageVerification>;
  /** Audits that `actor` viewed, downloaded or verified an exported package. */
  recordView(input: { evidenceId: string; actor: string; action?: 'view' | 'download' | 'verify'; details?: Record<string, unknown> }): Promise<AuditEntry>;
  /** Holds a camera/time range (evidence lock); audited with who and why. */
  createHold(input: CreateHoldInput): Promise<Hold>;
  /** Releases a hold; audited with who and why. `INVALID_STATE` when already released. */
  releaseHold(id: string, input: { actor: string; reason: string }): Promise<Hold>;
  /** Holds every camera/time range of an incident not yet held for it (audited); returns the holds created. */
  holdIncident(incidentId: string, actor: string): Promise<Hold[]>;
  /** Holds, optionally of one camera, optionally only active ones. */
  listHolds(filter?: { cameraId?: string; active?: boolean }): Promise<Hold[]>;
  /** Re-hashes the whole audit chain. */
  verifyAudit(): Promise<AuditVerification>;
  /** The station public key (SPKI PEM) for verifiers. */
  publicKeyPem(): Promise<string>;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function newId(prefix: string, at: number): string {
  const stamp = iso(at).replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${prefix}-${stamp}-${randomBytes(3).toString('hex')}`;
}

function cancelled(): WardwatchError {
  return new WardwatchError('CANCELLED', 'The evidence export was cancelled');
}

/** Creates the evidence service: export with two-point integrity, signed packages, holds and audit. */
export function createEvidenceService(options: EvidenceServiceOptions): EvidenceService {
  const { storage, recorder, keyStore, station } = options;
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ component: 'evidence' });
  const evidenceRoot = resolve(options.evidenceRoot);
  const recordingsRoot = resolve(options.recordingsRoot);
  const maxRangeMs = options.maxRangeMs ?? 86_400_000;
  const zipMode = options.zip ?? 'on-demand';
  const zipping = new Map<string, Promise<string>>();
  const emit = (event: StationEvent): void => {
    try {
      options.emit?.(event);
    } catch (error) {
      logger.error({ err: error, type: event.type }, 'event listener failed');
    }
  };

  function insideRoot(root: string, path: string): string {
    const full = resolve(root, path);
    const rel = relative(root, full);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new WardwatchError('PATH_OUTSIDE_ROOT', `The path ${path} resolves outside ${root}`, { details: { path } });
    }
    return full;
  }

  async function createHold(input: CreateHoldInput): Promise<Hold> {
    const at = clock.now();
    const id = newId('hold', at);
    const parsed = HoldSchema.safeParse({
      id,
      cameraId: input.cameraId,
      from: input.from,
      to: input.to,
      owner: input.owner ?? { kind: 'manual', id },
      reason: input.reason,
      createdBy: input.actor,
      createdAt: at,
    });
    if (!parsed.success) {
      throw new WardwatchError('INVALID_ARGUMENT', `Invalid hold: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    }
    const hold = parsed.data;
    await storage.holds.put(hold);
    await storage.audit.append({
      at,
      actor: input.actor,
      action: 'hold.create',
      target: hold.id,
      details: { cameraId: hold.cameraId, from: hold.from, to: hold.to, owner: hold.owner, reason: hold.reason },
    });
    emit({ type: 'hold.created', at, holdId: hold.id, cameraId: hold.cameraId, from: hold.from, to: hold.to });
    return hold;
  }

  async function releaseHold(id: string, input: { actor: string; reason: string }): Promise<Hold> {
    if (!input.actor || !input.reason) throw new WardwatchError('INVALID_ARGUMENT', 'Releasing a hold needs an actor and a reason');
    const hold = await storage.holds.get(id);
    if (!hold) throw new WardwatchError('NOT_FOUND', `No hold ${id}`, { details: { holdId: id } });
    if (hold.releasedAt !== undefined) throw new WardwatchError('INVALID_STATE', `Hold ${id} was already released`, { details: { holdId: id } });
    const at = clock.now();
    const released: Hold = { ...hold, releasedAt: at, releasedBy: input.actor };
    await storage.holds.put(released);
    await storage.audit.append({ at, actor: input.actor, action: 'hold.release', target: id, details: { cameraId: hold.cameraId, from: hold.from, to: hold.to, reason: input.reason } });
    emit({ type: 'hold.released', at, holdId: id, cameraId: hold.cameraId });
    return released;
  }

  async function holdIncidentRanges(incident: Incident, actor: string): Promise<Hold[]> {
    const active = await storage.holds.list({ active: true });
    const created: Hold[] = [];
    for (const range of incident.ranges) {
      const covered = active.some(
        (h) => h.owner.kind === 'incident' && h.owner.id === incident.id && h.cameraId === range.cameraId && h.from <= range.from && h.to >= range.to,
      );
      if (!covered) {
        created.push(await createHold({ ...range, reason: `incident ${incident.id}: ${incident.title}`, actor, owner: { kind: 'incident', id: incident.id } }));
      }
    }
    return created;
  }

  async function linkIncident(incidentId: string, evidenceId: string, actor: string): Promise<void> {
    if (options.incidents) {
      const incident = await options.incidents.linkEvidence(incidentId, evidenceId, actor);
      await holdIncidentRanges(incident, actor);
      return;
    }
    const incident = await storage.incidents.get(incidentId);
    if (!incident) throw new WardwatchError('NOT_FOUND', `No incident ${incidentId}`);
    const updated: Incident = incident.evidenceIds.includes(evidenceId)
      ? incident
      : { ...incident, evidenceIds: [...incident.evidenceIds, evidenceId], updatedAt: clock.now() };
    await storage.incidents.put(updated);
    await holdIncidentRanges(updated, actor);
  }

  function validate(request: EvidenceExportRequest): void {
    const bad = (message: string): never => {
      throw new WardwatchError('INVALID_ARGUMENT', message);
    };
    if (typeof request.cameraId !== 'string' || !ID_PATTERN.test(request.cameraId)) bad('cameraId is missing or malformed');
    if (!Number.isInteger(request.from) || !Number.isInteger(request.to) || request.from < 0) bad('from and to must be UTC epoch milliseconds');
    if (request.to <= request.from) bad('to must be after from');
    if (request.to - request.from > maxRangeMs) bad(`the range is longer than the maximum of ${maxRangeMs / 60_000} minutes`);
    if (typeof request.operator !== 'string' || request.operator.trim() === '') bad('operator is required');
    if (typeof request.reason !== 'string' || request.reason.trim() === '') bad('reason is required');
    if (request.stillsAt && request.stillsAt.length > 0 && !options.extractStill) bad('stills were asked for but this station has no still extractor');
    if (request.stillsAt && request.stillsAt.some((t) => t < request.from || t >= request.to)) bad('every still time must be inside the requested range');
  }

  async function runExport(request: EvidenceExportRequest, signal: AbortSignal, progress: (phase: EvidenceExportEvent & { type: 'progress' }) => void): Promise<EvidenceExportEvent & { type: 'done' }> {
    validate(request);
    const check = (): void => {
      if (signal.aborted) throw cancelled();
    };
    const incident = request.incidentId === undefined ? undefined : await storage.incidents.get(request.incidentId);
    if (request.incidentId !== undefined && !incident) throw new WardwatchError('NOT_FOUND', `No incident ${request.incidentId}`, { details: { incidentId: request.incidentId } });
    const camera = await storage.cameras.get(request.cameraId);
    const requested = { from: request.from, to: request.to };
    const segments = await storage.segments.query(request.cameraId, requested);
    if (segments.length === 0) {
      throw new WardwatchError('RECORDING_UNAVAILABLE', `No recorded footage for camera ${request.cameraId} between ${iso(request.from)} and ${iso(request.to)}`, {
        details: { cameraId: request.cameraId, from: request.from, to: request.to },
      });
    }
    check();

    const startedAt = clock.now();
    const id = newId('ev', startedAt);
    const staging = join(evidenceRoot, `.partial-${id}`);
    const stagingZip = join(evidenceRoot, `.partial-${id}.zip`);
    const finalDir = join(evidenceRoot, id);
    const finalZip = join(evidenceRoot, `${id}.zip`);
    let hold: Hold | undefined;
    let renamed = false;
    let committed = false;
    const totalSource = segments.reduce((sum, s) => sum + s.bytes, 0) || 1;
    // Overall progress: a weighted sum of each phase's own progress (verify-sources and cut run together).
    const weights: Record<EvidenceExportPhase, number> =
      zipMode === 'eager' ? { 'verify-sources': 0.35, cut: 0.3, package: 0.03, zip: 0.32 } : { 'verify-sources': 0.5, cut: 0.45, package: 0.05, zip: 0 };
    const parts: Record<EvidenceExportPhase, number> = { 'verify-sources': 0, cut: 0, package: 0, zip: 0 };
    let lastRatio = -1;
    const report = (phase: EvidenceExportPhase, within: number): void => {
      parts[phase] = Math.max(parts[phase], Math.max(0, Math.min(1, within)));
      const ratio = Math.min(1, (Object.keys(parts) as EvidenceExportPhase[]).reduce((sum, p) => sum + weights[p] * parts[p], 0));
      if (ratio - lastRatio >= 0.005 || (within >= 1 && ratio > lastRatio) || lastRatio < 0) {
        lastRatio = ratio;
        progress({ type: 'progress', phase, ratio });
      }
    };

    try {
      await mkdir(evidenceRoot, { recursive: true });
      await mkdir(staging);
      hold = await createHold({
        cameraId: request.cameraId,
        from: request.from,
        to: request.to,
        reason: `evidence export ${id}: ${request.reason}`,
        actor: request.operator,
        owner: { kind: 'evidence', id },
      });
      // retention may have purged footage between the query above and the hold: never export less than was listed
      const heldNow = await storage.segments.query(request.cameraId, requested);
      const stillIndexed = new Set(heldNow.map((s) => s.start));
      if (segments.some((s) => !stillIndexed.has(s.start))) {
        throw new WardwatchError('RECORDING_UNAVAILABLE', `Footage of camera ${request.cameraId} was purged while the export started; try again`, {
          details: { cameraId: request.cameraId, from: request.from, to: request.to },
        });
      }

      // 1. Two-point integrity: every source segment re-hashed and compared with its closing hash.
      const verified = new Map<string, Segment>();
      const missing = (segment: Segment, cause: unknown): WardwatchError =>
        new WardwatchError('EVIDENCE_INTEGRITY_MISMATCH', `Source segment ${segment.path} is missing from the recordings`, {
          cause,
          details: { segment: segment.path, cameraId: segment.cameraId, start: segment.start },
        });
      const compare = (segment: Segment, actual: { sha256: string; bytes: number }): void => {
        if (actual.sha256 !== segment.sha256) {
          throw new WardwatchError(
            'EVIDENCE_INTEGRITY_MISMATCH',
            `Source segment ${segment.path} (camera ${segment.cameraId}, ${iso(segment.start)}) does not match the SHA-256 recorded when it closed; export stopped`,
            { details: { segment: segment.path, cameraId: segment.cameraId, start: segment.start, expected: segment.sha256, actual: actual.sha256 } },
          );
        }
        verified.set(`${segment.path}:${segment.sha256}`, segment);
      };
      const verifySegment = async (segment: Segment): Promise<void> => {
        let actual: { sha256: string; bytes: number };
        try {
          actual = await hashFile(insideRoot(recordingsRoot, segment.path), { signal });
        } catch (error) {
          const wrapped = toWardwatchError(error, 'STORAGE_IO');
          throw wrapped.code === 'NOT_FOUND' ? missing(segment, error) : wrapped;
        }
        compare(segment, actual);
      };
      // The cut runs while the sources are re-hashed (ffmpeg is another process): a mismatch aborts the
      // cut, so nothing is published unless every source matched its closing hash.
      report('verify-sources', 0);
      const clipPath = join(staging, F.clip);
      // One controller for both: the caller's cancel or a mismatch stops the cut too.
      const cutController = new AbortController();
      const abortCut = (): void => cutController.abort();
      signal.addEventListener('abort', abortCut, { once: true });
      const verifying = (async () => {
        // Re-hashed on a worker thread, beside the event loop and the ffmpeg process.
        const paths = segments.map((segment) => insideRoot(recordingsRoot, segment.path));
        try {
          await hashFilesInWorker(paths, {
            signal: cutController.signal,
            onBytes: (bytes) => report('verify-sources', bytes / totalSource),
            onFile: (index, actual) => compare(segments[index]!, actual),
          });
        } catch (error) {
          const index = isWardwatchError(error, 'NOT_FOUND') ? error.details.index : undefined;
          throw typeof index === 'number' ? missing(segments[index]!, error) : error;
        }
        report('verify-sources', 1);
      })();
      verifying.catch(abortCut);
      const cutting = new Promise<ClipResult>((resolvePromise, reject) => {
        let done: ClipResult | undefined;
        let graceTimer: ReturnType<typeof setTimeout> | undefined;
        const settle = (): void => {
          if (graceTimer) clearTimeout(graceTimer);
        };
        const subscription = recorder
          .exportClip({ cameraId: request.cameraId, from: request.from, to: request.to, outPath: clipPath, signal: cutController.signal })
          .subscribe({
            next: (event: ClipEvent) => {
              if (event.type === 'progress') report('cut', event.ratio);
              else done = event.result;
            },
            error: (error: unknown) => {
              settle();
              reject(cutController.signal.aborted ? cancelled() : toWardwatchError(error, 'FFMPEG_FAILED'));
            },
            complete: () => {
              settle();
              if (cutController.signal.aborted) reject(cancelled());
              else if (done) resolvePromise(done);
              else reject(new WardwatchError('INTERNAL', 'The recorder finished the clip without a result'));
            },
          });
        // On abort the recorder stops its process and then errors; wait for that (so no process outlives the
        // export), but never longer than the grace period.
        cutController.signal.addEventListener('abort', () => {
          graceTimer = setTimeout(() => {
            logger.warn({ evidenceId: id }, 'the recorder did not end the cancelled clip in time');
            subscription.unsubscribe();
            reject(cancelled());
          }, 15_000);
        }, { once: true });
      });
      // A failed cut does not stop the re-hash: when a source is damaged, that is the error to report.
      cutting.catch(() => undefined);
      const [verifiedOutcome, cutOutcome] = await Promise.allSettled([verifying, cutting]);
      signal.removeEventListener('abort', abortCut);
      check();
      // The first real failure wins over the CANCELLED it caused in the other branch.
      for (const outcome of [verifiedOutcome, cutOutcome]) {
        if (outcome.status === 'rejected' && !isWardwatchError(outcome.reason, 'CANCELLED')) throw outcome.reason;
      }
      if (verifiedOutcome.status === 'rejected') throw verifiedOutcome.reason;
      if (cutOutcome.status === 'rejected') throw cutOutcome.reason;
      const result = cutOutcome.value;
      check();
      if (resolve(result.path) !== resolve(clipPath)) {
        throw new WardwatchError('INTERNAL', `The recorder wrote the clip to ${result.path} instead of ${clipPath}`);
      }
      for (const segment of result.segments) {
        if (!verified.has(`${segment.path}:${segment.sha256}`)) await verifySegment(segment);
      }
      report('cut', 1);

      // 3. Stills, manifest, signature, SHA256SUMS.
      const stills: EvidenceStill[] = [];
      for (const at of request.stillsAt ?? []) {
        check();
        const offset = Math.max(0, at - result.actual.from);
        stills.push({ name: `still-${iso(at).replace(/[-:]/g, '').replace('.', '')}.jpg`, data: await options.extractStill!(clipPath, offset, signal) });
      }
      const exportedAt = clock.now();
      const clockOffsetMs = request.clockOffsetMs !== undefined ? request.clockOffsetMs : (options.clockOffsetOf?.(request.cameraId) ?? null);
      const written = await writeEvidencePackage({
        dir: staging,
        keyStore,
        signal,
        clip: { sha256: result.sha256, bytes: result.bytes },
        stills,
        manifest: {
          id,
          station,
          camera: {
            id: request.cameraId,
            name: camera?.name ?? request.cameraId,
            ownership: camera?.ownership ?? 'unknown',
            owner: camera?.owner ?? null,
            site: camera ? { ward: camera.site.ward, station: camera.site.station } : null,
            location: camera ? { lat: camera.location.lat, lon: camera.location.lon, address: camera.location.address ?? null } : null,
          },
          requested: { ...requested, fromIso: iso(requested.from), toIso: iso(requested.to) },
          actual: { from: result.actual.from, to: result.actual.to, fromIso: iso(result.actual.from), toIso: iso(result.actual.to) },
          clockOffsetMs,
          sourceSegments: result.segments.map((s) => ({ path: s.path, start: s.start, end: s.end, bytes: s.bytes, codec: s.codec, sha256: s.sha256, verifiedAtExport: true as const })),
          gaps: result.gaps.map((g) => ({ from: g.from, to: g.to })),
          operator: request.operator,
          reason: request.reason,
          caseId: request.caseId ?? null,
          incidentId: request.incidentId ?? null,
          exportedAt,
          exportedAtIso: iso(exportedAt),
          software: options.softwareVersions ?? {},
        },
      });
      report('package', 1);

      // 4. The zip (unless it is made on demand at the first download).
      if (zipMode === 'eager') {
        check();
        const totalZip = result.bytes || 1;
        await zipEvidencePackage({ dir: staging, outPath: stagingZip, sums: written.sums, mtime: new Date(exportedAt), signal, onBytes: (b) => report('zip', b / totalZip) });
        report('zip', 1);
      }
      check();

      // 5. Publish atomically, then index, link, audit and announce.
      await rename(staging, finalDir);
      renamed = true;
      if (zipMode === 'eager') await rename(stagingZip, finalZip);
      const record: EvidenceRecord = {
        id,
        cameraId: request.cameraId,
        requested,
        actual: { from: result.actual.from, to: result.actual.to },
        operator: request.operator,
        reason: request.reason,
        ...(request.caseId === undefined ? {} : { caseId: request.caseId }),
        ...(request.incidentId === undefined ? {} : { incidentId: request.incidentId }),
        createdAt: exportedAt,
        packagePath: id,
        clipSha256: result.sha256,
        manifestSha256: written.manifestSha256,
        segments: result.segments.map((s) => ({ path: s.path, start: s.start, end: s.end, sha256: s.sha256 })),
        gaps: result.gaps.map((g) => ({ from: g.from, to: g.to })),
        holdId: hold.id,
      };
      await storage.evidence.put(record);
      // From here the export exists: later failures are reported but never remove the package.
      committed = true;
      await storage.audit.append({
        at: exportedAt,
        actor: request.operator,
        action: 'evidence.export',
        target: id,
        details: {
          cameraId: request.cameraId,
          requested,
          actual: record.actual,
          reason: request.reason,
          caseId: request.caseId ?? null,
          incidentId: request.incidentId ?? null,
          manifestSha256: written.manifestSha256,
          clipSha256: result.sha256,
          segments: result.segments.length,
        },
      });
      if (request.incidentId !== undefined) await linkIncident(request.incidentId, id, request.operator);
      emit({
        type: 'evidence.exported',
        at: exportedAt,
        evidenceId: id,
        cameraId: request.cameraId,
        from: result.actual.from,
        to: result.actual.to,
        operator: request.operator,
        ...(request.incidentId === undefined ? {} : { incidentId: request.incidentId }),
      });
      logger.info({ evidenceId: id, cameraId: request.cameraId, bytes: result.bytes }, 'evidence exported');
      return { type: 'done', record, manifest: written.manifest, packageDir: finalDir, zipPath: finalZip };
    } catch (error) {
      if (committed) {
        const late = toWardwatchError(error);
        logger.error({ err: late, evidenceId: id }, 'the evidence package was exported, but a later step failed');
        throw late;
      }
      const failure = signal.aborted ? cancelled() : toWardwatchError(error);
      await Promise.allSettled([
        rm(staging, { recursive: true, force: true }),
        rm(stagingZip, { force: true }),
        ...(renamed ? [rm(finalDir, { recursive: true, force: true }), rm(finalZip, { force: true })] : []),
      ]);
      try {
        if (hold) await releaseHold(hold.id, { actor: request.operator, reason: `export ${id} did not complete (${failure.code})` });
        await storage.audit.append({
          at: clock.now(),
          actor: request.operator,
          action: failure.code === 'CANCELLED' ? 'evidence.export.cancelled' : 'evidence.export.failed',
          target: id,
          details: { cameraId: request.cameraId, requested, code: failure.code, message: failure.message },
        });
      } catch (cleanupError) {
        logger.error({ err: cleanupError, evidenceId: id }, 'could not record the failed export');
      }
      throw failure;
    }
  }

  async function getEvidence(id: string): Promise<EvidenceRecord> {
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) throw new WardwatchError('INVALID_ARGUMENT', 'Malformed evidence id');
    const record = await storage.evidence.get(id);
    if (!record) throw new WardwatchError('NOT_FOUND', `No evidence export ${id}`, { details: { evidenceId: id } });
    return record;
  }

  async function packagePaths(id: string): Promise<{ dir: string; zip: string }> {
    const record = await getEvidence(id);
    return { dir: insideRoot(evidenceRoot, record.packagePath), zip: insideRoot(evidenceRoot, `${record.packagePath}.zip`) };
  }

  async function buildZip(id: string, actor: string): Promise<string> {
    const record = await getEvidence(id);
    const paths = await packagePaths(id);
    try {
      await stat(paths.zip);
      return paths.zip;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw toWardwatchError(error, 'STORAGE_IO');
    }
    const check = await verifyEvidencePackage(paths.dir, { publicKey: await keyStore.publicKeyPem() });
    if (!check.ok) {
      throw new WardwatchError('EVIDENCE_INTEGRITY_MISMATCH', `The package folder of ${id} no longer verifies, so it is not zipped: ${check.verdict}`, {
        details: { evidenceId: id, problems: check.problems },
      });
    }
    if (check.files.find((f) => f.path === F.manifest)?.sha256 !== record.manifestSha256) {
      throw new WardwatchError('EVIDENCE_INTEGRITY_MISMATCH', `The manifest of ${id} differs from the one recorded in the station index at export, so it is not zipped`, {
        details: { evidenceId: id },
      });
    }
    const partial = `${paths.zip}.partial-${randomBytes(3).toString('hex')}`;
    try {
      await zipEvidencePackage({
        dir: paths.dir,
        outPath: partial,
        sums: check.files.map((f) => ({ path: f.path, sha256: f.sha256 })).filter((f) => f.path !== F.sums),
        mtime: new Date(check.manifest!.exportedAt),
      });
      await rename(partial, paths.zip);
    } catch (error) {
      await rm(partial, { force: true });
      throw toWardwatchError(error, 'STORAGE_IO');
    }
    const { size } = await stat(paths.zip);
    await storage.audit.append({
      at: clock.now(),
      actor,
      action: 'evidence.zip',
      target: id,
      details: { bytes: size, manifestSha256: record.manifestSha256, fromVerifiedFolder: true },
    });
    logger.info({ evidenceId: id, bytes: size }, 'evidence zip written on demand');
    return paths.zip;
  }

  function ensureZip(id: string, zipOptions: { actor?: string } = {}): Promise<string> {
    let pending = zipping.get(id);
    if (!pending) {
      pending = buildZip(id, zipOptions.actor ?? 'system').finally(() => zipping.delete(id));
      zipping.set(id, pending);
    }
    return pending;
  }

  return {
    exportEvidence(request) {
      return new Observable<EvidenceExportEvent>((subscriber) => {
        const controller = new AbortController();
        const outer = request.signal;
        const onOuterAbort = (): void => controller.abort();
        if (outer?.aborted) controller.abort();
        else outer?.addEventListener('abort', onOuterAbort, { once: true });
        runExport(request, controller.signal, (event) => subscriber.next(event)).then(
          (done) => {
            subscriber.next(done);
            subscriber.complete();
          },
          (error: unknown) => subscriber.error(error),
        );
        return () => {
          outer?.removeEventListener('abort', onOuterAbort);
          controller.abort();
        };
      });
    },
    getEvidence,
    async listEvidence(filter) {
      const records = await storage.evidence.list(filter);
      return [...records].sort((a, b) => b.createdAt - a.createdAt);
    },
    packagePaths,
    ensureZip,
    async verifyEvidence(id, verifyOptions = {}) {
      const record = await getEvidence(id);
      const paths = await packagePaths(id);
      if (verifyOptions.zip) await ensureZip(id, verifyOptions.actor ? { actor: verifyOptions.actor } : {});
      const result = await verifyEvidencePackage(verifyOptions.zip ? paths.zip : paths.dir, verifyOptions.publicKey === undefined ? {} : { publicKey: verifyOptions.publicKey });
      const manifestFile = result.files.find((f) => f.path === F.manifest);
      if (manifestFile && manifestFile.sha256 !== record.manifestSha256) {
        result.problems.push({ code: 'EVIDENCE_INTEGRITY_MISMATCH', file: F.manifest, message: `${F.manifest} differs from the manifest recorded in the station index at export` });
        result.ok = false;
        result.verdict = `FAILED: ${result.problems[0]!.message}.`;
      }
      if (verifyOptions.actor) {
        await storage.audit.append({ at: clock.now(), actor: verifyOptions.actor, action: 'evidence.verify', target: id, details: { ok: result.ok, keySource: result.signature.keySource } });
      }
      return { ...result, evidenceId: id };
    },
    verifyPackage(path, verifyOptions = {}) {
      return verifyEvidencePackage(path, verifyOptions);
    },
    async recordView(input) {
      await getEvidence(input.evidenceId);
      if (!input.actor) throw new WardwatchError('INVALID_ARGUMENT', 'recordView needs an actor');
      return storage.audit.append({
        at: clock.now(),
        actor: input.actor,
        action: `evidence.${input.action ?? 'view'}`,
        target: input.evidenceId,
        ...(input.details ? { details: input.details } : {}),
      });
    },
    createHold,
    releaseHold,
    async holdIncident(incidentId, actor) {
      if (!actor) throw new WardwatchError('INVALID_ARGUMENT', 'holdIncident needs an actor');
      const incident = await storage.incidents.get(incidentId);
      if (!incident) throw new WardwatchError('NOT_FOUND', `No incident ${incidentId}`, { details: { incidentId } });
      return holdIncidentRanges(incident, actor);
    },
    listHolds: (filter) => storage.holds.list(filter),
    verifyAudit: () => storage.audit.verify(),
    publicKeyPem: () => keyStore.publicKeyPem(),
  };
}
