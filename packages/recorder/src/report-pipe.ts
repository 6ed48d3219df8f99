import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, readSync, rmSync } from 'node:fs';
import { lstat, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toWardwatchError } from '@wardwatch/core';

/**
 * A named pipe that ffmpeg writes its reports into (`-progress` blocks and the segment list), drained by the
 * recorder on its shared tick. Unlike a child's stdout pipe, nobody listens on it, so ffmpeg's two progress blocks
 * a second wake nothing up; the kernel keeps up to 64 KiB (about two minutes of reports) until the next drain.
 * Each report is one write of less than 4 KiB, so the two writers never interleave within a line.
 */
export interface ReportPipe {
  /** The pipe's path, for ffmpeg's `-progress file:<path>` and `-segment_list file:<path>`. */
  readonly path: string;
  /** What was written since the last drain, up to 64 KiB (never blocks; empty when nothing came). */
  drain(): string;
  /** Everything left, once the writer has exited (never blocks). */
  drainAll(): string;
  /** Closes the reading end and removes the pipe. */
  close(): void;
}

/** Filename suffix of report pipes, so recovery can sweep the ones a crash left behind. */
export const REPORT_PIPE_SUFFIX = '.pipe';

/** The most read in one drain: what the kernel's pipe buffer can hold. */
const DRAIN_LIMIT = 65_536;
const readBuffer = Buffer.allocUnsafeSlow(DRAIN_LIMIT);

function mkfifo(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('mkfifo', ['-m', '600', path], { timeout: 10_000 }, (error) => (error ? reject(error) : resolve()));
  });
}

/** Name of a report pipe that fell back to the temp directory: the owning process's pid, then the run. */
const FALLBACK_NAME = /^wardwatch-(\d+)-[\w-]+\.pipe$/;

/** A `catch` handler that turns "no such file" (nothing to do) into `value` and rethrows anything else. */
function ifMissing<T>(value: T): (error: unknown) => T {
  return (error) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return value;
    throw toWardwatchError(error, 'STORAGE_IO');
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Removes report pipes that fell back to the temp directory and whose process is gone (a crash leaves them; the
 * ones in `.incoming` are swept by recovery). Only named pipes are touched. Returns the paths removed.
 */
export async function sweepFallbackPipes(dir: string = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(ifMissing([] as string[]))) {
    const m = FALLBACK_NAME.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    const path = join(dir, name);
    const info = await lstat(path).catch(ifMissing(undefined));
    if (!info?.isFIFO()) continue;
    await rm(path, { force: true });
    removed.push(path);
  }
  return removed;
}

/**
 * Creates `<dir>/<name>.pipe` as a named pipe (with the `mkfifo` tool) and opens its reading end, non-blocking.
 * Filesystems without named pipes (exFAT, some network shares) fall back to the system temp directory.
 */
export async function openReportPipe(dir: string, name: string): Promise<ReportPipe> {
  // in the shared temp directory, cameras starting in the same millisecond (same run name) must not collide
  const fallback = join(tmpdir(), `wardwatch-${process.pid}-${name}-${randomBytes(4).toString('hex')}${REPORT_PIPE_SUFFIX}`);
  const candidates = [join(dir, `${name}${REPORT_PIPE_SUFFIX}`), fallback];
  let lastError: unknown;
  for (const path of candidates) {
    let created = false;
    try {
      // a leftover of a crashed run of this camera is replaced; a name taken in the temp directory fails mkfifo
      if (path !== fallback) rmSync(path, { force: true });
      await mkfifo(path);
      created = true;
      // O_NONBLOCK: opening does not wait for ffmpeg (the writer), and reads return at once
      const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      return fifoReader(path, fd);
    } catch (error) {
      lastError = error;
      if (created) rmSync(path, { force: true });
    }
  }
  throw toWardwatchError(lastError, 'STORAGE_IO', { path: candidates[0] });
}

function fifoReader(path: string, fd: number): ReportPipe {
  let open = true;
  const drain = (): string => {
    if (!open) return '';
    let text = '';
    let total = 0;
    while (total < DRAIN_LIMIT) {
      let n: number;
      try {
        n = readSync(fd, readBuffer, 0, DRAIN_LIMIT, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break; // nothing more for now
        throw error;
      }
      if (n === 0) break; // no writer (not yet opened by ffmpeg, or ffmpeg has exited)
      text += readBuffer.toString('latin1', 0, n);
      total += n;
      // a short read emptied the pipe: stop here rather than pay for an EAGAIN error object every tick
      if (n < DRAIN_LIMIT) break;
    }
    return text;
  };
  return {
    path,
    drain,
    drainAll() {
      let text = '';
      // bounded: the writer has exited, so at most what the pipe held is left
      for (let i = 0, piece = drain(); piece.length > 0 && i < 64; i++, piece = drain()) text += piece;
      return text;
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
      rmSync(path, { force: true });
    },
  };
}
