import { WardwatchError } from '../errors/wardwatch-error.js';

/** Schemes a camera's stream URI may use: ffmpeg must never be pointed at a local file or another protocol. */
export const STREAM_URI_SCHEMES = ['rtsp:', 'rtsps:'] as const;

/** Which hosts a camera's stream URIs may point at. */
export interface StreamUriPolicy {
  /** The camera's own host (`connection.host` of its spec). */
  cameraHost: string;
  /**
   * Other hosts its streams may come from (e.g. the NVR that serves them), set by an admin. @default []
   */
  allowedHosts?: readonly string[];
}

/** A host name as compared: lower case, IPv6 brackets and a trailing dot removed. */
export function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/**
 * Checks a stream URI reported by a camera driver before anything (ffmpeg) opens it: only `rtsp:`/`rtsps:`, no
 * URL that does not parse, and a host equal to the camera's host or one the admin allowed. A camera is not a
 * trusted device: a `file:` URI would make the recorder copy local files (another camera's footage) into this
 * camera's recordings, and a foreign host would make the station pull from wherever the camera points it. Returns
 * the parsed URL; throws `CAMERA_STREAM_REFUSED` otherwise, naming only the scheme or the host (never the path
 * or credentials).
 */
export function checkStreamUri(uri: string, policy: StreamUriPolicy): URL {
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch (error) {
    throw new WardwatchError('CAMERA_STREAM_REFUSED', 'stream URI is not a URL', { cause: error });
  }
  // what the camera sent is named only by its scheme and host (bounded, no path, no credentials)
  if (!(STREAM_URI_SCHEMES as readonly string[]).includes(parsed.protocol)) {
    const scheme = parsed.protocol.replace(/[^a-z0-9+.:-]/gi, '').slice(0, 16);
    throw new WardwatchError('CAMERA_STREAM_REFUSED', `stream URI scheme ${scheme} is not allowed (only rtsp: and rtsps:)`, { details: { operation: 'stream', reason: scheme } });
  }
  const host = normaliseHost(parsed.hostname);
  const allowed = [policy.cameraHost, ...(policy.allowedHosts ?? [])].map(normaliseHost);
  if (host === '' || !allowed.includes(host)) {
    throw new WardwatchError('CAMERA_STREAM_REFUSED', "stream URI host is not the camera's host (an admin may allow it in connection.streamHosts)", {
      details: { operation: 'stream', host: host.replace(/[^a-z0-9.:_-]/gi, '').slice(0, 100) },
    });
  }
  return parsed;
}
