import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WardwatchError } from '@wardwatch/core';
import { Observable } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createExportJobs, type ExportJobs } from '../src/exports/export-jobs.js';
import type { ExportRunner } from '../src/exports/export-runner.js';

let dir: string;
let jobs: ExportJobs | undefined;
afterEach(async () => {
  await jobs?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A clip runner that writes its file and finishes when `release()` is called. */
function heldRunner(): { runner: ExportRunner; release(): void } {
  const pending: Array<() => void> = [];
  const runner: ExportRunner = (_request, { outPath, signal }) =>
    new Observable((subscriber) => {
      const done = (): void => {
        writeFileSync(outPath, 'clip');
        subscriber.next({ type: 'done', bytes: 4 });
        subscriber.complete();
      };
      pending.push(done);
      signal.addEventListener('abort', () => subscriber.error(new WardwatchError('CANCELLED', 'cancelled')), { once: true });
    });
  return { runner, release: () => pending.splice(0).forEach((f) => f()) };
}

describe('one export job system (issue 24, item 9: clip exports)', () => {
  it('caps running exports of every kind together, as evidence jobs were', () => {
    dir = mkdtempSync(join(tmpdir(), 'ww-exports-'));
    const { runner } = heldRunner();
    jobs = createExportJobs({ dir, runners: { clip: runner, evidence: runner }, maxRunning: 2, sweepEveryMs: 0 });
    const request = { cameraId: 'cam-a', from: 0, to: 1000, createdBy: 'inv', reason: 'r' };
    jobs.start({ kind: 'clip', ...request });
    jobs.start({ kind: 'evidence', ...request });
    expect(() => jobs!.start({ kind: 'clip', ...request })).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
  });

  it('removes finished clip files and jobs after their lifetime, and files no job knows', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ww-exports-'));
    let now = 1_000_000;
    const { runner, release } = heldRunner();
    writeFileSync(join(dir, 'exp-left-by-an-earlier-run.mp4'), 'old');
    jobs = createExportJobs({ dir, runners: { clip: runner }, keepMs: 60_000, sweepEveryMs: 0, now: () => now });
    const job = jobs.start({ kind: 'clip', cameraId: 'cam-a', from: 0, to: 1000, createdBy: 'inv' });
    release();
    expect(jobs.get(job.id)).toMatchObject({ state: 'done', expiresAt: now + 60_000 });
    await jobs.sweep();
    expect(readdirSync(dir)).toEqual([`${job.id}.mp4`]);
    now += 59_000;
    await jobs.sweep();
    expect(existsSync(jobs.filePath(job.id))).toBe(true);
    now += 1_000;
    await jobs.sweep();
    expect(jobs.get(job.id)).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });
});
