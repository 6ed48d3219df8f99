/** Why an ffmpeg run against a camera failed, as far as its last stderr lines tell. */
export type FfmpegFailureCause = 'auth-failed' | 'connection-refused' | 'timeout' | 'connection-lost';

/**
 * Reads the camera's fault out of ffmpeg's stderr (the same words in 4.x and 5.x): refused credentials, a refused
 * or unroutable connection, a timeout, a dropped connection; `undefined` when the lines say none of these.
 */
export function ffmpegFailureCause(stderr: string): FfmpegFailureCause | undefined {
  if (/401 Unauthorized|\b401\b.*auth|Unauthorized/i.test(stderr)) return 'auth-failed';
  if (/Connection refused|No route to host|Network is unreachable/i.test(stderr)) return 'connection-refused';
  if (/timed out|Operation timed out|Connection timed out/i.test(stderr)) return 'timeout';
  if (/Connection reset|End of file|Broken pipe/i.test(stderr)) return 'connection-lost';
  return undefined;
}
