import { createHash, randomBytes } from 'node:crypto';

/** The credentials a camera accepts now. */
export interface Credentials {
  username: string;
  password: string;
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** Parses `key="value", key=value` pairs of an `Authorization: Digest ...` header. */
export function parseAuthParams(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  let m: RegExpExecArray | null;
  let guard = 0;
  while ((m = re.exec(text)) !== null && guard++ < 64) out[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  return out;
}

/** A fresh nonce for a Digest challenge. */
export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Checks an `Authorization` header (Basic or Digest, RFC 2617/7616 MD5 with or without qop=auth) against
 * the credentials. `allowBasic`/`allowDigest` choose which schemes are accepted.
 */
export function checkAuthorization(
  header: string | undefined,
  method: string,
  credentials: Credentials,
  realm: string,
  allow: { basic: boolean; digest: boolean },
): boolean {
  if (!header) return false;
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const rest = header.slice(space + 1);
  if (scheme === 'basic' && allow.basic) {
    const decoded = Buffer.from(rest.trim(), 'base64').toString('utf8');
    return decoded === `${credentials.username}:${credentials.password}`;
  }
  if (scheme === 'digest' && allow.digest) {
    const p = parseAuthParams(rest);
    if (p.username !== credentials.username || !p.nonce || !p.uri || !p.response) return false;
    const ha1 = md5(`${credentials.username}:${p.realm ?? realm}:${credentials.password}`);
    const ha2 = md5(`${method}:${p.uri}`);
    const expected = p.qop ? md5(`${ha1}:${p.nonce}:${p.nc ?? ''}:${p.cnonce ?? ''}:${p.qop}:${ha2}`) : md5(`${ha1}:${p.nonce}:${ha2}`);
    return expected === p.response.toLowerCase() && (p.realm ?? realm) === realm;
  }
  return false;
}
