import type { Observable } from 'rxjs';
import type { ExportJobView, ExportKind } from '../api/api-types.js';

/** What a user asks an export job for. */
export interface ExportRequest {
  kind: ExportKind;
  cameraId: string;
  from: number;
  to: number;
  createdBy: string;
  reason?: string;
  caseId?: string;
  incidentId?: string;
  /** Evidence only: times of extra still images. */
  stillsAt?: number[];
}

/** Progress and end of one run, whatever its kind. */
export type ExportRunEvent =
  | { type: 'progress'; ratio: number; bytes?: number; phase?: string }
  | { type: 'done'; result?: ExportJobView['result']; evidenceId?: string; bytes?: number };

/**
 * Runs one kind of export: given the request, the file it may write (clips) and an abort signal, emits
 * progress and one `done`, or errors (with `CANCELLED` once aborted). Unsubscribing stops it.
 */
export type ExportRunner = (request: ExportRequest, context: { outPath: string; signal: AbortSignal }) => Observable<ExportRunEvent>;
