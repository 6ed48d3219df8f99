import { randomUUID } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { WardwatchError, silentLogger, toWardwatchError, type Logger } from '@wardwatch/core';
import type { Subscription } from 'rxjs';
import type { ExportJobView, ExportKind } from '../api/api-types.js';
import type { ExportRequest, ExportRunner } from './export-runner.js';

/**
 * The station's ONE export job system, for clips and evidence packages alike: one job table, one
 * concurrency cap, one lifecycle (finished jobs and their clip files are removed after `keepMs`).
 */
export interface ExportJobs {
  /** Starts a job and returns it as it is at the start (later states: {@link ExportJobs.get}); `RATE_LIMITED` when `maxRunning` jobs run, `INVALID_ARGUMENT` for a bad range or a missing reason. */
  start(request: ExportRequest): ExportJobView;
  get(id: string): ExportJobView | undefined;
  /** Jobs, newest first. */
  list(): ExportJobView[];
  /** The file a finished clip job wrote. */
  filePath(id: string): string;
  /** Cancels a running job and waits until it has cleaned up; `INVALID_STATE` when it is not running. */
  cancel(id: string): Promise<ExportJobView>;
  /** Removes expired jobs with their files, and files of no known job (left by an earlier run). */
  sweep(): Promise<void>;
  /** Cancels every running job and waits for their cleanup; stops the sweeps. */
  close(): Promise<void>;
}

/** Options of {@link createExportJobs}. */
export interface ExportJobsOptions {
  /** How each kind runs; a kind without a runner is refused with `STATION_NOT_RUNNING`. */
  runners: Partial<Record<ExportKind, ExportRunner>>;
  /** Directory clip files are written to (removed files only ever come from here). */
  dir: string;
  /** Jobs running at once (all kinds together); more are refused with `RATE_LIMITED`. @default 2 */
  maxRunning?: number;
  /** How long a finished job and its clip file are kept. @default 21600000 (6 h) */
  keepMs?: number;
  /** Finished jobs kept at most (the oldest go first, with their files). @default 100 */
  keepJobs?: number;
  /** Longest range one job may cover, ms. @default 3600000 (1 h) */
  maxDurationMs?: number;
  /** How often expired jobs are swept, ms (0: only on access). @default 60000 */
  sweepEveryMs?: number;
  /** Clock. @default Date.now */
  now?: () => number;
  /** Logger for cleanup failures. @default silentLogger */
  logger?: Logger;
}

interface Running {
  controller: AbortController;
  subscription: Subscription | undefined;
  finished: Promise<void>;
}

/** Creates the export job system over the given runners. */
export function createExportJobs(options: ExportJobsOptions): ExportJobs {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const maxRunning = options.maxRunning ?? 2;
  const keepMs = options.keepMs ?? 6 * 3600_000;
  const keepJobs = options.keepJobs ?? 100;
  const maxDurationMs = options.maxDurationMs ?? 3600_000;
  const jobs = new Map<string, ExportJobView>();
  const running = new Map<string, Running>();
  const filePath = (id: string): string => join(options.dir, `${id}.mp4`);

  const removeFile = async (id: string): Promise<void> => {
    await rm(filePath(id), { force: true }).catch((error: unknown) => logger.warn({ err: error, exportId: id }, 'export file not removed'));
  };

  const finish = (job: ExportJobView, patch: Partial<ExportJobView>): void => {
    Object.assign(job, patch, { finishedAt: now(), expiresAt: now() + keepMs });
    running.delete(job.id);
  };

  const sweep = async (): Promise<void> => {
    const t = now();
    const finished = [...jobs.values()].filter((j) => j.state !== 'running').sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0));
    const excess = Math.max(0, finished.length - keepJobs);
    const expired = finished.filter((j, i) => i < excess || (j.expiresAt ?? Infinity) <= t);
    for (const job of expired) {
      jobs.delete(job.id);
      if (job.kind === 'clip') await removeFile(job.id);
    }
    const names = await readdir(options.dir).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn({ err: error }, 'export directory not readable');
      return [] as string[];
    });
    for (const name of names) {
      const id = name.replace(/\.mp4(\.partial-.*)?$/, '');
      if (name.endsWith('.mp4') && !jobs.has(id)) await removeFile(id);
    }
  };

  const timer = (options.sweepEveryMs ?? 60_000) > 0 ? setInterval(() => void sweep(), options.sweepEveryMs ?? 60_000) : undefined;
  timer?.unref();

  return {
    start(request) {
      if (!(request.to > request.from)) {
        throw new WardwatchError('INVALID_ARGUMENT', 'Invalid request: body.to: must be after from', { details: { problems: [{ path: 'body.to', message: 'must be after from' }] } });
      }
      if (request.to - request.from > maxDurationMs) {
        throw new WardwatchError('INVALID_ARGUMENT', `Invalid request: an export may cover at most ${maxDurationMs / 60_000} minutes`, { details: { problems: [{ path: 'body.to', message: 'range too long' }] } });
      }
      if (request.kind === 'evidence' && !request.reason) {
        throw new WardwatchError('INVALID_ARGUMENT', 'Invalid request: body.reason: is required for an evidence export', { details: { problems: [{ path: 'body.reason', message: 'is required' }] } });
      }
      const runner = options.runners[request.kind];
      if (!runner) throw new WardwatchError('STATION_NOT_RUNNING', `This station cannot export ${request.kind === 'clip' ? 'clips' : 'evidence'}`);
      if (running.size >= maxRunning) throw new WardwatchError('RATE_LIMITED', `${running.size} exports are already running; try again when one finishes`);
      const job: ExportJobView = {
        id: `exp-${randomUUID()}`,
        kind: request.kind,
        cameraId: request.cameraId,
        from: request.from,
        to: request.to,
        ...(request.reason ? { reason: request.reason } : {}),
        ...(request.caseId ? { caseId: request.caseId } : {}),
        ...(request.incidentId ? { incidentId: request.incidentId } : {}),
        createdBy: request.createdBy,
        createdAt: now(),
        state: 'running',
        progress: 0,
        bytes: 0,
      };
      jobs.set(job.id, job);
      const controller = new AbortController();
      let settle!: () => void;
      const run: Running = { controller, subscription: undefined, finished: new Promise<void>((resolve) => (settle = resolve)) };
      running.set(job.id, run);
      const fail = (error: unknown): void => {
        const coded = toWardwatchError(error);
        finish(job, { state: coded.code === 'CANCELLED' || controller.signal.aborted ? 'cancelled' : 'failed', error: { code: coded.code, message: coded.message } });
        if (job.kind === 'clip') void removeFile(job.id).then(settle);
        else settle();
      };
      // Subscribed at once: the runner owns its files (the recorder creates the clip's folder).
      run.subscription = runner(request, { outPath: filePath(job.id), signal: controller.signal }).subscribe({
        next: (event) => {
          if (event.type === 'progress') {
            job.progress = Math.max(job.progress, Math.min(1, event.ratio));
            if (event.bytes !== undefined) job.bytes = event.bytes;
            if (event.phase !== undefined) job.phase = event.phase;
            return;
          }
          finish(job, {
            state: 'done',
            progress: 1,
            ...(event.bytes !== undefined ? { bytes: event.bytes } : {}),
            ...(event.result ? { result: event.result } : {}),
            ...(event.evidenceId ? { evidenceId: event.evidenceId } : {}),
            downloadUrl: job.kind === 'clip' ? `/api/exports/${job.id}/download` : `/api/evidence/${encodeURIComponent(event.evidenceId ?? '')}/download`,
          });
        },
        error: fail,
        complete: () => {
          if (job.state === 'running') fail(new WardwatchError('INTERNAL', 'export ended without a result'));
          else settle();
        },
      });
      return { ...job };
    },
    get: (id) => {
      const job = jobs.get(id);
      return job ? { ...job } : undefined;
    },
    list: () => [...jobs.values()].sort((a, b) => b.createdAt - a.createdAt).map((job) => ({ ...job })),
    filePath,
    async cancel(id) {
      const job = jobs.get(id);
      if (!job) throw new WardwatchError('NOT_FOUND', `Export ${id} does not exist`);
      const run = running.get(id);
      if (!run) throw new WardwatchError('INVALID_STATE', `Export ${id} is not running (${job.state})`);
      run.controller.abort();
      await run.finished;
      return { ...job };
    },
    sweep,
    async close() {
      if (timer) clearInterval(timer);
      const pending = [...running.values()];
      for (const run of pending) run.controller.abort();
      await Promise.all(pending.map((run) => run.finished));
    },
  };
}
