import { Observable } from 'rxjs';
import type { KeyObject } from 'node:crypto';
import { WardwatchError } from '../errors/wardwatch-error.js';
import type { AuditEntry, AuditVerification } from '../model/audit.js';
import type { EvidenceRecord, Hold } from '../model/evidence.js';
import { buildEvidenceZip } from './build-evidence-zip.js';
import { createEvidenceHolds, type CreateHoldInput } from './evidence-holds.js';
import { RECORD_ID_PATTERN } from './evidence-id.js';
import type { EvidenceManifest } from './evidence-manifest.js';
import { resolveEvidenceOptions, type EvidenceServiceOptions } from './evidence-options.js';
import { EVIDENCE_PACKAGE_FILES as F } from './evidence-package-files.js';
import { insideRoot } from './inside-root.js';
import { runEvidenceExport } from './run-evidence-export.js';
import { verifyEvidencePackage, type PackageVerification } from './verify-evidence-package.js';

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

/**
 * Creates the evidence service: export with two-point integrity, signed packages, holds and audit. The station
 * creates one from `createStation({ evidence })`; tools may create one over a storage of their own.
 */
export function createEvidenceService(options: EvidenceServiceOptions): EvidenceService {
  const context = resolveEvidenceOptions(options);
  const { storage, keyStore, audit } = context;
  const holds = createEvidenceHolds(context);
  const zipping = new Map<string, Promise<string>>();

  async function getEvidence(id: string): Promise<EvidenceRecord> {
    if (typeof id !== 'string' || !RECORD_ID_PATTERN.test(id)) throw new WardwatchError('INVALID_ARGUMENT', 'Malformed evidence id');
    const record = await storage.evidence.get(id);
    if (!record) throw new WardwatchError('NOT_FOUND', `No evidence export ${id}`, { details: { evidenceId: id } });
    return record;
  }

  async function packagePaths(id: string): Promise<{ dir: string; zip: string }> {
    const record = await getEvidence(id);
    return { dir: insideRoot(context.evidenceRoot, record.packagePath), zip: insideRoot(context.evidenceRoot, `${record.packagePath}.zip`) };
  }

  function ensureZip(id: string, zipOptions: { actor?: string } = {}): Promise<string> {
    let pending = zipping.get(id);
    if (!pending) {
      pending = (async () => buildEvidenceZip(context, await getEvidence(id), await packagePaths(id), zipOptions.actor ?? 'system'))().finally(() => zipping.delete(id));
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
        runEvidenceExport(context, holds, request, controller.signal, (event) => subscriber.next(event)).then(
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
      if (verifyOptions.actor) await audit({ actor: verifyOptions.actor, action: 'evidence.verify', target: id, details: { ok: result.ok, keySource: result.signature.keySource } });
      return { ...result, evidenceId: id };
    },
    verifyPackage(path, verifyOptions = {}) {
      return verifyEvidencePackage(path, verifyOptions);
    },
    async recordView(input) {
      await getEvidence(input.evidenceId);
      if (!input.actor) throw new WardwatchError('INVALID_ARGUMENT', 'recordView needs an actor');
      return audit({ actor: input.actor, action: `evidence.${input.action ?? 'view'}`, target: input.evidenceId, ...(input.details ? { details: input.details } : {}) });
    },
    createHold: (input) => holds.create(input),
    releaseHold: (id, input) => holds.release(id, input),
    async holdIncident(incidentId, actor) {
      if (!actor) throw new WardwatchError('INVALID_ARGUMENT', 'holdIncident needs an actor');
      const incident = await storage.incidents.get(incidentId);
      if (!incident) throw new WardwatchError('NOT_FOUND', `No incident ${incidentId}`, { details: { incidentId } });
      return holds.holdIncident(incident, actor);
    },
    listHolds: (filter) => storage.holds.list(filter),
    verifyAudit: () => storage.audit.verify(),
    publicKeyPem: () => keyStore.publicKeyPem(),
  };
}
