import { WardwatchError } from '@wardwatch/core';

const PLACEHOLDER_HOSTS = new Set(['0.0.0.0', 'localhost', '::', '[::]']);

/**
 * Rewrites the host of a stream or snapshot URI the camera reports when it is the camera's own
 * (internal) address or a placeholder, to the host we reached it at; the port and path stay.
 */
export function rewriteMediaHost(uri: string, reachedHost: string, internalHosts: readonly string[], address = ''): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch (cause) {
    throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `${address} reported an invalid media URI`, {
      cause,
      details: { address, operation: 'GetStreamUri' },
    });
  }
  const host = url.hostname.toLowerCase();
  const internal = internalHosts.map((h) => h.toLowerCase().replace(/^\[|\]$/g, ''));
  if (host !== reachedHost.toLowerCase() && (PLACEHOLDER_HOSTS.has(host) || internal.includes(host.replace(/^\[|\]$/g, '')))) {
    url.hostname = reachedHost.includes(':') && !reachedHost.startsWith('[') ? `[${reachedHost}]` : reachedHost;
  }
  return url.toString();
}

/** Injects percent-encoded credentials into a URI (`rtsp://user:pass@host/...`); never log the result. */
export function withCredentials(uri: string, username: string | undefined, password: string | undefined): string {
  if (!username) return uri;
  const url = new URL(uri);
  url.username = encodeURIComponent(username);
  url.password = encodeURIComponent(password ?? '');
  return url.toString();
}

/** Removes any credentials from a URI. */
export function withoutCredentials(uri: string): string {
  try {
    const url = new URL(uri);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return uri;
  }
}
