import { spawn } from 'node:child_process';
import { WardwatchError } from '@wardwatch/core';
import { resolveFfmpegPath } from '@wardwatch/recorder';

/** Options of {@link createStillExtractor}. */
export interface StillExtractorOptions {
  /** ffmpeg binary; else `FFMPEG_PATH` → PATH → bundled. */
  ffmpegPath?: string;
  /** Longest a still may take, ms. @default 30000 */
  timeoutMs?: number;
  /** Largest accepted JPEG, bytes. @default 20971520 (20 MiB) */
  maxBytes?: number;
}

/**
 * Returns an `extractStill` for the evidence service: ffmpeg decodes the frame at `offsetMs` into the clip
 * and encodes one JPEG (the clip itself is never touched). The process is killed by its own pid on abort.
 */
export function createStillExtractor(options: StillExtractorOptions = {}): (clipPath: string, offsetMs: number, signal: AbortSignal) => Promise<Uint8Array> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  return (clipPath, offsetMs, signal) =>
    new Promise<Uint8Array>((resolve, reject) => {
      if (signal.aborted) return reject(new WardwatchError('CANCELLED', 'Still extraction was cancelled'));
      const ffmpeg = options.ffmpegPath ?? resolveFfmpegPath();
      const child = spawn(
        ffmpeg,
        ['-hide_banner', '-nostdin', '-loglevel', 'error', '-ss', (Math.max(0, offsetMs) / 1000).toFixed(3), '-i', clipPath, '-frames:v', '1', '-q:v', '2', '-c:v', 'mjpeg', '-f', 'image2pipe', 'pipe:1'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const chunks: Buffer[] = [];
      let size = 0;
      let stderr = '';
      let failure: WardwatchError | undefined;
      const stop = (error: WardwatchError): void => {
        failure ??= error;
        child.kill('SIGKILL');
      };
      const onAbort = (): void => stop(new WardwatchError('CANCELLED', 'Still extraction was cancelled'));
      signal.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => stop(new WardwatchError('FFMPEG_FAILED', `Still extraction took longer than ${timeoutMs} ms`)), timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) stop(new WardwatchError('MEDIA_INVALID', `The still is larger than ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-2000);
      });
      child.on('error', (error) => stop(new WardwatchError('FFMPEG_NOT_FOUND', `ffmpeg could not be started: ${error.message}`, { cause: error })));
      child.on('close', (code) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (failure) return reject(failure);
        const jpeg = Buffer.concat(chunks);
        if (code !== 0 || jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) {
          return reject(new WardwatchError('FFMPEG_FAILED', `No still at ${offsetMs} ms: ${stderr.trim().split('\n').slice(-2).join(' | ') || `exit ${code}`}`));
        }
        resolve(new Uint8Array(jpeg));
      });
    });
}
