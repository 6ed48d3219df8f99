import { Observable, type Subscription } from 'rxjs';
import { backoffDelay, checkStreamUri, defined, redactUrlsIn, silentLogger, WardwatchError, type StreamUriPolicy, type Clock, type Frame, type FrameOptions, type Logger } from '@wardwatch/core';
import type { FfmpegCapabilities } from './ffmpeg-capabilities.js';
import type { ManagedProcess, ProcessRunner } from './process-runner.js';
import { openCameraInput } from './open-camera-input.js';
import { rtspInputOptions } from './record-command.js';

/** Inputs of {@link decodeFrames}. */
export interface DecodeFramesConfig {
  cameraId: string;
  uri: string;
  /** Which hosts the stream may come from (see `checkStreamUri`). */
  streamPolicy: StreamUriPolicy;
  ffmpegPath: string;
  capabilities: Promise<FfmpegCapabilities>;
  runner: ProcessRunner;
  clock: Clock;
  transport: 'tcp' | 'udp';
  socketTimeoutMs: number;
  options: Partial<FrameOptions>;
  /** Told when restarts find no frames (they back off from 2 s to 30 s). */
  logger?: Logger;
}

/** Frame options when not given: small, gray and slow, as analyzers of the sub stream want them. */
const FRAME_DEFAULTS: FrameOptions = { width: 320, height: 180, fps: 5, format: 'gray' };

/** Restart delays of the decoder: 2 s, doubled after each run without a frame, up to 30 s, exact (no jitter). */
const RESTART_BACKOFF = { initialMs: 2000, maxMs: 30_000, factor: 2, jitter: 0 };

/**
 * Decodes a stream into raw frames (`gray` or `rgb`, scaled, at a fixed fps) with one ffmpeg process while
 * subscribed, restarting it if it ends (backing off while runs bring no frame). When more than one frame is
 * waiting (the consumer or the event loop is behind), only the newest is delivered: frames are dropped, never
 * queued.
 */
export function decodeFrames(config: DecodeFramesConfig): Observable<Frame> {
  const { width, height, fps, format } = { ...FRAME_DEFAULTS, ...defined(config.options) };
  return new Observable<Frame>((subscriber) => {
    const sizeOk = Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0 && width <= 7680 && height <= 4320;
    if (!sizeOk || !(fps > 0 && fps <= 60) || (format !== 'gray' && format !== 'rgb')) {
      subscriber.error(new WardwatchError('INVALID_ARGUMENT', 'frames: width/height must be whole numbers 1..7680x4320, fps 0..60, format gray or rgb'));
      return undefined;
    }
    try {
      checkStreamUri(config.uri, config.streamPolicy);
    } catch (error) {
      subscriber.error(error);
      return undefined;
    }
    const frameBytes = width * height * (format === 'gray' ? 1 : 3);
    let closed = false;
    let proc: ManagedProcess | undefined;
    let restartTimer: Subscription | undefined;
    let lastAt = Number.NEGATIVE_INFINITY;
    // runs in a row that delivered no frame (an unreachable camera, bad credentials): restarts back off
    let fruitless = 0;

    const start = async (): Promise<void> => {
      const caps = await config.capabilities;
      if (closed) return;
      // credentials stay off ffmpeg's command line (a one-time loopback proxy adds them)
      const input = await openCameraInput(config.uri, config.logger ?? silentLogger);
      if (closed) {
        input.close();
        return;
      }
      proc = config.runner.spawn(config.ffmpegPath, [
        '-hide_banner', '-nostats', '-loglevel', 'error',
        ...rtspInputOptions(input.url, config.transport, config.socketTimeoutMs, caps),
        '-i', input.url, '-an',
        '-vf', `fps=${fps},scale=${width}:${height}`,
        '-pix_fmt', format === 'gray' ? 'gray' : 'rgb24', '-f', 'rawvideo', 'pipe:1',
      ]);
      let chunks: Buffer[] = [];
      let buffered = 0;
      let delivered = false;
      proc.stdout.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        buffered += chunk.length;
        if (buffered < frameBytes) return;
        const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
        const complete = Math.floor(buffered / frameBytes);
        // newest complete frame only: older ones are dropped
        const offset = (complete - 1) * frameBytes;
        const data = new Uint8Array(all.subarray(offset, offset + frameBytes));
        const rest = all.subarray(complete * frameBytes);
        chunks = rest.length ? [Buffer.from(rest)] : [];
        buffered = rest.length;
        // strictly increasing times even when two reads land in the same millisecond
        lastAt = Math.max(config.clock.now(), lastAt + 1);
        delivered = true;
        if (!closed) subscriber.next({ cameraId: config.cameraId, at: lastAt, width, height, format, data });
      });
      const exit = await proc.exited;
      input.close();
      proc = undefined;
      if (closed) return;
      fruitless = delivered ? 0 : fruitless + 1;
      const delay = backoffDelay(fruitless - 1, RESTART_BACKOFF);
      if (fruitless > 0) config.logger?.warn({ cameraId: config.cameraId, tail: exit.stderrTail.slice(-2).map((line) => redactUrlsIn(line).slice(0, 300)), retryInMs: delay }, 'frame decoder delivered no frame; retrying');
      restartTimer = config.clock.schedule(() => void start().catch((e: unknown) => subscriber.error(e)), delay);
    };
    void start().catch((error: unknown) => subscriber.error(error));
    return () => {
      closed = true;
      restartTimer?.unsubscribe();
      void proc?.stop(1000);
    };
  });
}
