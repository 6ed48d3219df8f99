import { checkStreamUri, WardwatchError, type CameraSession, type Logger, type StreamUriPolicy } from '@wardwatch/core';
import type { FfmpegCapabilities } from './ffmpeg-capabilities.js';
import { ffmpegFailureCause } from './ffmpeg-failure.js';
import type { ProcessRunner } from './process-runner.js';
import { rtspInputOptions } from './record-command.js';

/** Inputs of {@link grabSnapshot}. */
export interface GrabSnapshotConfig {
  session: CameraSession;
  /** Which hosts the stream may come from (see `checkStreamUri`). */
  streamPolicy: StreamUriPolicy;
  ffmpegPath: string;
  capabilities: FfmpegCapabilities;
  runner: ProcessRunner;
  transport: 'tcp' | 'udp';
  socketTimeoutMs: number;
  logger: Logger;
  /** Give up after this long, ms. @default 15000 */
  timeoutMs?: number;
}

/** Default of {@link GrabSnapshotConfig.timeoutMs}, ms. */
const SNAPSHOT_TIMEOUT_MS = 15_000;

function isJpeg(data: Uint8Array): boolean {
  return data.length > 4 && data[0] === 0xff && data[1] === 0xd8;
}

/** A JPEG of the current picture: the driver's snapshot when it works, else one frame decoded from the sub (or main) stream. */
export async function grabSnapshot(config: GrabSnapshotConfig): Promise<Uint8Array> {
  try {
    const jpeg = await config.session.snapshot();
    if (isJpeg(jpeg)) return jpeg;
    config.logger.warn({}, 'driver snapshot is not a JPEG; decoding a frame instead');
  } catch (error) {
    config.logger.debug({ err: error }, 'driver snapshot failed; decoding a frame instead');
  }
  const uri = config.session.streams.sub?.uri ?? config.session.streams.main.uri;
  checkStreamUri(uri, config.streamPolicy);
  const proc = config.runner.spawn(config.ffmpegPath, [
    '-hide_banner', '-nostats', '-loglevel', 'error',
    ...rtspInputOptions(uri, config.transport, config.socketTimeoutMs, config.capabilities),
    '-i', uri, '-an', '-frames:v', '1', '-q:v', '3', '-f', 'image2', '-c:v', 'mjpeg', 'pipe:1',
  ]);
  const chunks: Buffer[] = [];
  proc.stdout.on('data', (c: Buffer) => chunks.push(c));
  let timedOut = false;
  const startedAt = Date.now();
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill('SIGKILL');
  }, config.timeoutMs ?? SNAPSHOT_TIMEOUT_MS);
  const exit = await proc.exited;
  clearTimeout(timer);
  const data = new Uint8Array(Buffer.concat(chunks));
  if (exit.code !== 0 || !isJpeg(data)) {
    const tail = exit.stderrTail.slice(-2).join(' | ').replace(/rtsps?:\/\/[^\s@]*@/g, 'rtsp://***@');
    // ffmpeg reports a socket timeout as "Invalid data": a failure that took the whole socket timeout is one
    const silent = Date.now() - startedAt >= config.socketTimeoutMs * 0.9;
    throw new WardwatchError(snapshotFailureCode(tail, timedOut || silent), `snapshot failed: ${tail || 'no picture'}`);
  }
  return data;
}

/** The camera's fault when ffmpeg's last words say so (an operator needs "unreachable", not "ffmpeg failed"). */
function snapshotFailureCode(stderr: string, slow: boolean): 'CAMERA_TIMEOUT' | 'CAMERA_AUTH_FAILED' | 'CAMERA_UNREACHABLE' | 'FFMPEG_FAILED' {
  const cause = ffmpegFailureCause(stderr);
  if (cause === 'auth-failed') return 'CAMERA_AUTH_FAILED';
  if (cause === 'connection-refused' || cause === 'connection-lost') return 'CAMERA_UNREACHABLE';
  if (slow || cause === 'timeout') return 'CAMERA_TIMEOUT';
  return 'FFMPEG_FAILED';
}
