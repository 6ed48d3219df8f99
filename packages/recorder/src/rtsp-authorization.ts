import { createHash, randomBytes } from 'node:crypto';

/** A camera's authentication challenge, as the proxy answers it. */
export type RtspChallenge =
  | { scheme: 'basic' }
  | { scheme: 'digest'; realm: string; nonce: string; opaque?: string; qop?: 'auth'; algorithm?: string; nc: number };

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

function authParams(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  let m: RegExpExecArray | null;
  for (let guard = 0; (m = re.exec(text)) !== null && guard < 32; guard++) out[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  return out;
}

/** Chooses the challenge to answer among a 401's `WWW-Authenticate` headers: Digest (MD5) before Basic. */
export function parseRtspChallenge(values: readonly string[]): RtspChallenge | undefined {
  for (const value of values) {
    if (!/^digest\s/i.test(value)) continue;
    const p = authParams(value.slice(7));
    const algorithm = p.algorithm;
    if (!p.nonce || p.realm === undefined || (algorithm && !/^md5$/i.test(algorithm))) continue;
    const qops = (p.qop ?? '').split(',').map((q) => q.trim().toLowerCase());
    return { scheme: 'digest', realm: p.realm, nonce: p.nonce, ...(p.opaque ? { opaque: p.opaque } : {}), ...(qops.includes('auth') ? { qop: 'auth' as const } : {}), ...(algorithm ? { algorithm } : {}), nc: 0 };
  }
  return values.some((v) => /^basic\b/i.test(v)) ? { scheme: 'basic' } : undefined;
}

/**
 * The `Authorization` header of one request answering `challenge` (Digest counts its use in `challenge.nc`; `cnonce`
 * is random unless given).
 */
export function rtspAuthorization(challenge: RtspChallenge, method: string, uri: string, username: string, password: string, cnonce = randomBytes(8).toString('hex')): string {
  if (challenge.scheme === 'basic') return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const ha1 = md5(`${username}:${challenge.realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const quote = (s: string): string => s.replace(/["\\]/g, '\\$&');
  const fields = [`username="${quote(username)}"`, `realm="${quote(challenge.realm)}"`, `nonce="${quote(challenge.nonce)}"`, `uri="${quote(uri)}"`];
  if (challenge.qop) {
    challenge.nc++;
    const nc = challenge.nc.toString(16).padStart(8, '0');
    fields.push(`qop=auth`, `nc=${nc}`, `cnonce="${cnonce}"`, `response="${md5(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`)}"`);
  } else {
    fields.push(`response="${md5(`${ha1}:${challenge.nonce}:${ha2}`)}"`);
  }
  if (challenge.opaque) fields.push(`opaque="${quote(challenge.opaque)}"`);
  if (challenge.algorithm) fields.push(`algorithm=${challenge.algorithm}`);
  return `Digest ${fields.join(', ')}`;
}
