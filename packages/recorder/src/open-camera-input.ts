import type { Logger } from '@wardwatch/core';
import type { FfmpegFailureCause } from './ffmpeg-failure.js';
import { openRtspCredentialProxy } from './rtsp-credential-proxy.js';

/** What ffmpeg opens for a camera stream, and how to end it. */
export interface CameraInput {
  /** The URL for ffmpeg's `-i`: never with credentials. */
  url: string;
  /** Why the camera connection failed, when the input knows better than ffmpeg's stderr. */
  failure(): FfmpegFailureCause | undefined;
  close(): void;
}

/** Least time a credential proxy waits for ffmpeg to connect, ms. */
const MIN_ACCEPT_MS = 20_000;

/**
 * The input of one ffmpeg process for a (checked) camera stream: a stream URL with credentials goes through a
 * one-time loopback proxy that adds them (`openRtspCredentialProxy`), so they are not on ffmpeg's command line; a URL
 * without credentials is opened directly.
 */
export async function openCameraInput(uri: string, logger: Logger, acceptTimeoutMs = MIN_ACCEPT_MS): Promise<CameraInput> {
  const target = new URL(uri);
  if (!target.username && !target.password) return { url: uri, failure: () => undefined, close: () => undefined };
  return openRtspCredentialProxy({ target, logger, acceptTimeoutMs: Math.max(MIN_ACCEPT_MS, acceptTimeoutMs) });
}
