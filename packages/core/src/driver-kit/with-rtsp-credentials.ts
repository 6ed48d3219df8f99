import { WardwatchError } from '../errors/wardwatch-error.js';

/**
 * Puts a camera's credentials into an RTSP (or HTTP) URI, percent-encoded (`p@ss:1` → `p%40ss%3A1`), replacing any
 * already there; without a user name the URI comes back without credentials. The result holds a secret: log it only
 * through `redactUrl`.
 */
export function withRtspCredentials(uri: string, username?: string, password?: string): string {
  if (!URL.canParse(uri)) throw new WardwatchError('INVALID_ARGUMENT', 'Not a URI: cannot add credentials', { details: { field: 'uri' } });
  const url = new URL(uri);
  url.username = username ? encodeURIComponent(username) : '';
  url.password = username && password ? encodeURIComponent(password) : '';
  return url.toString();
}
