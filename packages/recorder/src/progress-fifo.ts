import { execFile } from 'node:child_process';
import { closeSync, constants, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toWardwatchError } from '@wardwatch/core';

/**
 * A named pipe that ffmpeg writes its `-progress` blocks into and the recorder drains on its shared tick.
 * Unlike a child's stdout pipe, nobody listens on it, so ffmpeg's two blocks a second wake nothing up;
 * the kernel keeps up to 64 KiB (about two minutes of blocks) until the next drain.
 */
export interface ProgressFifo {
  /** The pipe's path, for ffmpeg's `-progress file:<path>`. */
  readonly path: string;
  /** Everything written since the last drain (never blocks; empty when nothing came). */
  drain(): string;
  /** Closes the reading end and removes the pipe. */
  close(): void;
}

/** Filename suffix of progress pipes, so recovery can sweep the ones a crash left behind. */
export const PROGRESS_FIFO_SUFFIX = '.progress';

/** The most read in one drain: what the kernel's pipe buffer can hold. */
const DRAIN_LIMIT = 65_536;
const readBuffer = Buffer.allocUnsafeSlow(DRAIN_LIMIT);

function mkfifo(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('mkfifo', ['-m', '600', path], { timeout: 10_000 }, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * Creates `<dir>/<name>.progress` as a named pipe (with the `mkfifo` tool) and opens its reading end, non-blocking.
 * Filesystems without named pipes (exFAT, some network shares) fall back to the system temp directory.
 */
export async function openProgressFifo(dir: string, name: string): Promise<ProgressFifo> {
  const candidates = [join(dir, `${name}${PROGRESS_FIFO_SUFFIX}`), join(tmpdir(), `wardwatch-${process.pid}-${name}${PROGRESS_FIFO_SUFFIX}`)];
  let lastError: unknown;
  for (const path of candidates) {
    try {
      rmSync(path, { force: true });
      await mkfifo(path);
      // O_NONBLOCK: opening does not wait for ffmpeg (the writer), and reads return at once
      const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      return fifoReader(path, fd);
    } catch (error) {
      lastError = error;
      rmSync(path, { force: true });
    }
  }
  throw toWardwatchError(lastError, 'STORAGE_IO', { path: candidates[0] });
}

function fifoReader(path: string, fd: number): ProgressFifo {
  let open = true;
  return {
    path,
    drain() {
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
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
      rmSync(path, { force: true });
    },
  };
}
