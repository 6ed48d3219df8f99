import { checkStreamUri, redactUrlsIn, WardwatchError, type CameraSession, type Logger, type StreamUriPolicy } from '@wardwatch/core';
import type { FfmpegCapabilities } from './ffmpeg-capabilities.js';
import { ffmpegFailureCause, type FfmpegFailureCause } from './ffmpeg-failure.js';
import type { ProcessRunner } from './process-runner.js';
import { openCameraInput, type CameraInput } from './open-camera-input.js';
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
  const timeoutMs = config.timeoutMs ?? SNAPSHOT_TIMEOUT_MS;
  const input = await openCameraInput(uri, config.logger, timeoutMs);
  try {
    return await decodeOneFrame(config, input, timeoutMs);
  } finally {
    input.close();
  }
}

/** One JPEG decoded from the stream by ffmpeg; coded by the camera's fault when it fails. */
async function decodeOneFrame(config: GrabSnapshotConfig, input: CameraInput, timeoutMs: number): Promise<Uint8Array> {
  const proc = config.runner.spawn(config.ffmpegPath, [
    '-hide_banner', '-nostats', '-loglevel', 'error',
    ...rtspInputOptions(input.url, config.transport, config.socketTimeoutMs, config.capabilities),
    '-i', input.url, '-an', '-frames:v', '1', '-q:v', '3', '-f', 'image2', '-c:v', 'mjpeg', 'pipe:1',
  ]);
  const chunks: Buffer[] = [];
  proc.stdout.on('data', (c: Buffer) => chunks.push(c));
  let timedOut = false;
  const startedAt = Date.now();
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill('SIGKILL');
  }, timeoutMs);
  const exit = await proc.exited;
  clearTimeout(timer);
  const data = new Uint8Array(Buffer.concat(chunks));
  if (exit.code !== 0 || !isJpeg(data)) {
    const tail = exit.stderrTail.slice(-2).map((line) => redactUrlsIn(line).slice(0, 300));
    // ffmpeg reports a socket timeout as "Invalid data": a failure that took the whole socket timeout is one
    const silent = Date.now() - startedAt >= config.socketTimeoutMs * 0.9;
    const code = snapshotFailureCode(input.failure() ?? ffmpegFailureCause(tail.join('\n')), timedOut || silent);
    // ffmpeg's words carry what the camera sent: they are logged (redacted), the error names only the fault
    config.logger.info({ code, exitCode: exit.code, tail }, 'snapshot decode failed');
    throw new WardwatchError(code, `snapshot failed: ${SNAPSHOT_FAILURES[code]}`, { details: { operation: 'snapshot', ...(exit.code !== null ? { exitCode: exit.code } : {}) } });
  }
  return data;
}

/** What a failed snapshot says, per code (never ffmpeg's or the camera's own words). */
const SNAPSHOT_FAILURES = {
  CAMERA_TIMEOUT: 'the camera did not answer in time',
  CAMERA_AUTH_FAILED: 'the camera refused the credentials',
  CAMERA_UNREACHABLE: 'the camera could not be reached',
  FFMPEG_FAILED: 'no picture could be decoded from the stream',
} as const;

/** The camera's fault when ffmpeg's last words say so (an operator needs "unreachable", not "ffmpeg failed"). */
function snapshotFailureCode(cause: FfmpegFailureCause | undefined, slow: boolean): keyof typeof SNAPSHOT_FAILURES {
  if (cause === 'auth-failed') return 'CAMERA_AUTH_FAILED';
  if (cause === 'connection-refused' || cause === 'connection-lost') return 'CAMERA_UNREACHABLE';
  if (slow || cause === 'timeout') return 'CAMERA_TIMEOUT';
  return 'FFMPEG_FAILED';
}
