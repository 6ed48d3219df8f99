import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { WardwatchError, toWardwatchError, type ClipResult, type Recorder } from '@wardwatch/core';
import type { Subscription } from 'rxjs';

/** One clip export requested from the dashboard. */
export interface ExportJob {
  id: string;
  cameraId: string;
  from: number;
  to: number;
  createdBy: string;
  createdAt: number;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** 0..1. */
  progress: number;
  bytes: number;
  /** When done: the actual range, hash, size and gaps. */
  result?: Pick<ClipResult, 'actual' | 'requested' | 'sha256' | 'bytes' | 'gaps'> & { segments: number };
  error?: { code: string; message: string };
  finishedAt?: number;
}

/** Clip exports in progress and done, with their files under one directory. */
export interface ExportJobs {
  start(input: { cameraId: string; from: number; to: number; createdBy: string }): ExportJob;
  get(id: string): ExportJob | undefined;
  list(): ExportJob[];
  /** The file of a finished job. */
  filePath(id: string): string;
  cancel(id: string): void;
  /** Cancels every running export and waits for their files to be removed. */
  close(): Promise<void>;
}

/** Options of {@link createExportJobs}. */
export interface ExportJobsOptions {
  recorder: Recorder;
  /** Directory clip files are written to. */
  dir: string;
  /** Longest export allowed, ms. @default 3600000 (1 h) */
  maxDurationMs?: number;
  now?: () => number;
}

/** Creates the export job manager over the recorder's `exportClip`. */
export function createExportJobs(options: ExportJobsOptions): ExportJobs {
  const jobs = new Map<string, ExportJob>();
  const running = new Map<string, { subscription: Subscription; controller: AbortController }>();
  const now = options.now ?? Date.now;
  const maxDurationMs = options.maxDurationMs ?? 60 * 60 * 1000;
  const filePath = (id: string): string => join(options.dir, `${id}.mp4`);

  return {
    start(input) {
      if (!(input.to > input.from)) throw new WardwatchError('INVALID_ARGUMENT', 'to must be after from', { details: { field: 'to' } });
      if (input.to - input.from > maxDurationMs) {
        throw new WardwatchError('INVALID_ARGUMENT', `an export may cover at most ${maxDurationMs / 60000} minutes`, { details: { field: 'to' } });
      }
      const job: ExportJob = {
        id: `exp-${randomUUID()}`,
        cameraId: input.cameraId,
        from: input.from,
        to: input.to,
        createdBy: input.createdBy,
        createdAt: now(),
        state: 'running',
        progress: 0,
        bytes: 0,
      };
      jobs.set(job.id, job);
      const controller = new AbortController();
      const fail = (error: unknown): void => {
        const coded = toWardwatchError(error);
        job.state = controller.signal.aborted ? 'cancelled' : 'failed';
        job.error = { code: coded.code, message: coded.message };
        job.finishedAt = now();
        running.delete(job.id);
      };
      void mkdir(options.dir, { recursive: true }).then(
        () => {
          if (controller.signal.aborted) return;
          const subscription = options.recorder
            .exportClip({ cameraId: job.cameraId, from: job.from, to: job.to, outPath: filePath(job.id), signal: controller.signal })
            .subscribe({
              next: (event) => {
                if (event.type === 'progress') {
                  job.progress = Math.max(job.progress, Math.min(1, event.ratio));
                  job.bytes = event.bytes;
                } else {
                  const r = event.result;
                  job.result = { actual: r.actual, requested: r.requested, sha256: r.sha256, bytes: r.bytes, gaps: r.gaps, segments: r.segments.length };
                  job.bytes = r.bytes;
                  job.progress = 1;
                  job.state = 'done';
                  job.finishedAt = now();
                }
              },
              error: fail,
              complete: () => {
                running.delete(job.id);
                if (job.state === 'running') fail(new WardwatchError('INTERNAL', 'export ended without a result'));
              },
            });
          if (job.state === 'running') running.set(job.id, { subscription, controller });
        },
        fail,
      );
      return job;
    },
    get: (id) => jobs.get(id),
    list: () => [...jobs.values()].sort((a, b) => b.createdAt - a.createdAt),
    filePath,
    cancel(id) {
      const job = jobs.get(id);
      if (!job) throw new WardwatchError('NOT_FOUND', `export ${id} does not exist`);
      const r = running.get(id);
      if (!r) return;
      r.controller.abort();
      r.subscription.unsubscribe();
      running.delete(id);
      job.state = 'cancelled';
      job.finishedAt = now();
      void rm(filePath(id), { force: true });
    },
    async close() {
      for (const [id, r] of running) {
        r.controller.abort();
        r.subscription.unsubscribe();
        await rm(filePath(id), { force: true });
      }
      running.clear();
    },
  };
}
