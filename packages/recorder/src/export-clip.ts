import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { Observable } from 'rxjs';
import { CameraIdSchema, fsyncDirectory, fsyncFile, hashFile, redactUrlsIn, toWardwatchError, WardwatchError, type ClipEvent, type ClipRequest, type Logger, type SegmentStore } from '@wardwatch/core';
import { mergeRanges } from './clip-holes.js';
import { concatFragmentedMp4 } from './concat-fragmented-mp4.js';
import { isNotJoinable } from './mp4-boxes.js';
import { probeMedia } from './probe-media.js';
import { FILE_INPUT_WHITELIST } from './protocol-whitelist.js';
import type { ProcessRunner } from './process-runner.js';
import { createProgressParser } from './progress-parser.js';
import { isInside, resolveInside } from './segment-path.js';

/** Inputs of {@link exportClip}. */
export interface ExportClipConfig {
  request: ClipRequest;
  root: string;
  exportDir: string;
  segments: Pick<SegmentStore, 'query' | 'gaps'>;
  ffmpegPath: string;
  ffprobePath: string;
  runner: ProcessRunner;
  logger: Logger;
}

function quote(path: string): string {
  return `'${path.replace(/'/g, "'\\''")}'`;
}

/**
 * Where the clip goes: `request.outPath` (a file path, relative ones to the working directory; never inside the
 * recordings, except their export directory, so a clip can never overwrite footage), else
 * `<exportDir>/<cameraId>-<from>-<to>.mp4`. Coded `INVALID_ARGUMENT` otherwise.
 */
export function clipOutputPath(request: ClipRequest, root: string, exportDir: string): string {
  if (request.outPath === undefined) {
    if (!CameraIdSchema.safeParse(request.cameraId).success) {
      throw new WardwatchError('INVALID_ARGUMENT', 'clip cameraId is missing or malformed');
    }
    return join(resolve(exportDir), `${request.cameraId}-${request.from}-${request.to}.mp4`);
  }
  if (typeof request.outPath !== 'string' || request.outPath.trim() === '' || request.outPath.includes('\0')) {
    throw new WardwatchError('INVALID_ARGUMENT', 'clip outPath must be a file path');
  }
  const out = resolve(request.outPath);
  if (isInside(root, out) && !isInside(exportDir, out)) {
    throw new WardwatchError('INVALID_ARGUMENT', 'clip outPath must not be inside the recordings (use the export directory)', { details: { outPath: out } });
  }
  return out;
}

/**
 * Cuts one MP4 from the recorded segments overlapping the request by stream copy: the recorder's fragmented
 * MP4s are joined directly (fragment by fragment, see `concatFragmentedMp4`; the SHA-256 is computed over the
 * bytes as they are written), anything else through ffmpeg's concat demuxer (`inpoint`/`outpoint`, fragmented
 * output, hashed after); the cut lands on the keyframe at or before `from`. Emits progress, then `done` with the
 * actual range, the gaps inside the request and the SHA-256. Unsubscribing or aborting `request.signal` kills the
 * process and removes the partial file.
 */
export function exportClip(config: ExportClipConfig): Observable<ClipEvent> {
  return new Observable<ClipEvent>((subscriber) => {
    const { request } = config;
    let cancelled = false;
    let finished = false;
    let proc: ReturnType<ProcessRunner['spawn']> | undefined;
    let outPath: string;
    try {
      outPath = clipOutputPath(request, config.root, config.exportDir);
    } catch (error) {
      subscriber.error(error);
      return undefined;
    }
    // written under a name of its own, moved to `outPath` only when complete: a failed or cancelled export never
    // removes or truncates an earlier file of that name
    const partPath = `${outPath}.partial-${randomBytes(4).toString('hex')}`;
    const listPath = `${partPath}.concat.txt`;
    const abort = new AbortController();
    const onAbort = (): void => {
      cancelled = true;
      abort.abort();
      proc?.kill('SIGKILL');
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });

    (async () => {
      if (!(Number.isFinite(request.from) && Number.isFinite(request.to) && request.to > request.from)) {
        throw new WardwatchError('INVALID_ARGUMENT', 'clip range must have to > from');
      }
      if (request.signal?.aborted) {
        cancelled = true;
        throw new WardwatchError('CANCELLED', 'clip export cancelled');
      }
      const segments = await config.segments.query(request.cameraId, { from: request.from, to: request.to });
      if (segments.length === 0) {
        throw new WardwatchError('RECORDING_UNAVAILABLE', `no footage of ${request.cameraId} between ${new Date(request.from).toISOString()} and ${new Date(request.to).toISOString()}`);
      }
      const gaps = (await config.segments.gaps(request.cameraId, { from: request.from, to: request.to })).map((g) => ({ from: g.from, to: g.to }));
      await mkdir(dirname(outPath), { recursive: true, mode: 0o750 });
      // fast path: the recorder's own fragmented MP4s are joined fragment by fragment (no ffmpeg, one pass)
      try {
        const fast = await concatFragmentedMp4(
          segments.map((s) => ({ path: resolveInside(config.root, s.path), start: s.start, end: s.end })),
          { from: request.from, to: request.to },
          partPath,
          (ratio, bytes) => subscriber.next({ type: 'progress', ratio, bytes }),
          abort.signal,
        );
        if (cancelled) throw new WardwatchError('CANCELLED', 'clip export cancelled');
        await placeDurably(partPath, outPath);
        finished = true;
        subscriber.next({ type: 'progress', ratio: 1, bytes: fast.bytes });
        subscriber.next({
          type: 'done',
          // the index's gaps, and the holes found inside the files (fragments lost to a crash or damage)
          result: { path: outPath, bytes: fast.bytes, sha256: fast.sha256, requested: { from: request.from, to: request.to }, actual: { from: fast.actualFrom, to: fast.actualTo }, segments, gaps: mergeRanges([...gaps, ...fast.holes]) },
        });
        subscriber.complete();
        return;
      } catch (error) {
        if (cancelled) throw new WardwatchError('CANCELLED', 'clip export cancelled');
        if (!isNotJoinable(error)) throw error;
        config.logger.info({ cameraId: request.cameraId, reason: error.message }, 'clip: segments not joinable directly; cut by ffmpeg, gaps from the index only');
        await rm(partPath, { force: true });
      }
      const lines: string[] = ['ffconcat version 1.0'];
      segments.forEach((segment, i) => {
        lines.push(`file ${quote(resolveInside(config.root, segment.path))}`);
        if (i === 0 && request.from > segment.start) lines.push(`inpoint ${((request.from - segment.start) / 1000).toFixed(3)}`);
        if (i === segments.length - 1 && request.to < segment.end) lines.push(`outpoint ${((request.to - segment.start) / 1000).toFixed(3)}`);
      });
      await writeFile(listPath, `${lines.join('\n')}\n`);
      const first = segments[0]!;
      const last = segments[segments.length - 1]!;
      const expectedTo = Math.min(request.to, last.end);
      const expectedMs = Math.max(1, expectedTo - Math.max(request.from, first.start) - gaps.reduce((sum, g) => sum + (g.to - g.from), 0));
      proc = config.runner.spawn(config.ffmpegPath, [
        // -nostdin: the runner's graceful stop ('q') must not end an export early with a clean, shortened file
        '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-progress', 'pipe:1', '-y',
        // the list and the segments it names are local files: no other protocol may be opened
        ...FILE_INPUT_WHITELIST, '-f', 'concat', '-safe', '0', '-i', listPath,
        // fragmented like the recorder's own segments: written in one pass (`+faststart` would rewrite the whole
        // file once more to move the index to the front)
        '-map', '0:v', '-map', '0:a?', '-c', 'copy', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', `file:${partPath}`,
      ]);
      if (cancelled) proc.kill('SIGKILL');
      createInterface({ input: proc.stdout }).on(
        'line',
        createProgressParser((p) => {
          if (p.outTimeUs === undefined || p.end) return;
          subscriber.next({ type: 'progress', ratio: Math.min(0.99, p.outTimeUs / 1000 / expectedMs), bytes: p.totalSize ?? 0 });
        }),
      );
      const exit = await proc.exited;
      await rm(listPath, { force: true });
      if (cancelled) throw new WardwatchError('CANCELLED', 'clip export cancelled');
      if (exit.code !== 0) {
        const full = exit.stderrTail.some((line) => /No space left on device/i.test(line));
        throw new WardwatchError(full ? 'DISK_FULL' : 'FFMPEG_FAILED', `clip export failed: ${redactUrlsIn(exit.stderrTail.slice(-3).join(' | ')).slice(0, 600)}`, { details: { cameraId: request.cameraId } });
      }
      const info = await probeMedia(config.ffprobePath, partPath);
      const { sha256, bytes } = await hashFile(partPath);
      if (cancelled) throw new WardwatchError('CANCELLED', 'clip export cancelled');
      await placeDurably(partPath, outPath);
      finished = true;
      const durationMs = Math.round(info.duration * 1000);
      const actualTo = expectedTo;
      const actualFrom = Math.max(first.start, actualTo - durationMs - gaps.reduce((sum, g) => sum + (g.to - g.from), 0));
      subscriber.next({ type: 'progress', ratio: 1, bytes });
      subscriber.next({
        type: 'done',
        result: { path: outPath, bytes, sha256, requested: { from: request.from, to: request.to }, actual: { from: actualFrom, to: actualTo }, segments, gaps },
      });
      subscriber.complete();
    })().catch(async (error: unknown) => {
      // only what this export wrote is removed (never a file that was already at `outPath`)
      for (const leftover of [listPath, partPath]) {
        await rm(leftover, { force: true }).catch((rmError: unknown) => config.logger.warn({ cameraId: request.cameraId, err: rmError, path: leftover }, 'clip: a partial file could not be removed'));
      }
      const wrapped = toWardwatchError(error, 'FFMPEG_FAILED');
      if (!subscriber.closed) subscriber.error(wrapped);
      else config.logger.info({ code: wrapped.code }, 'clip export ended after unsubscribe');
    });

    return () => {
      request.signal?.removeEventListener('abort', onAbort);
      // unsubscribed before the end: the export stops and its partial file goes (the subscriber is already closed
      // here, so `finished` tells a completed export from an abandoned one)
      if (!finished) {
        cancelled = true;
        abort.abort();
        proc?.kill('SIGKILL');
      }
    };
  });
}

/** Renames a finished clip into place once its data is on the disk, then flushes the folder's entry (fsync). */
async function placeDurably(partPath: string, outPath: string): Promise<void> {
  await fsyncFile(partPath);
  await rename(partPath, outPath);
  await fsyncDirectory(dirname(outPath));
}
