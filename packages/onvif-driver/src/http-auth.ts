import { createHash, randomBytes } from 'node:crypto';

/** A parsed `WWW-Authenticate: Digest ...` challenge. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  qop?: string;
  opaque?: string;
  algorithm?: string;
}

/** Parses the comma-separated `key=value` / `key="value"` list of an auth challenge. */
export function parseAuthParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text)) !== null) {
    params[match[1]!.toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
  }
  return params;
}

/** Picks the challenges offered in a response's raw header list (all `WWW-Authenticate` values). */
export function authChallenges(rawHeaders: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'www-authenticate') out.push(rawHeaders[i + 1]!);
  }
  return out;
}

/** The Digest challenge to answer (MD5 preferred, SHA-256 accepted), if any. */
export function pickDigestChallenge(challenges: string[]): DigestChallenge | undefined {
  const digests = challenges
    .filter((c) => /^digest\s/i.test(c))
    .map((c) => parseAuthParams(c.replace(/^digest\s+/i, '')))
    .filter((p) => p.nonce !== undefined && p.realm !== undefined)
    .map((p) => ({ realm: p.realm!, nonce: p.nonce!, qop: p.qop, opaque: p.opaque, algorithm: p.algorithm }));
  const supported = digests.filter((d) => /^(md5|sha-256)?$/i.test(d.algorithm ?? ''));
  return supported.find((d) => !/sha-256/i.test(d.algorithm ?? '')) ?? supported[0];
}

function hash(algorithm: string | undefined, text: string): string {
  return createHash(/sha-256/i.test(algorithm ?? '') ? 'sha256' : 'md5').update(text, 'utf8').digest('hex');
}

/** Builds an RFC 7616 `Authorization: Digest ...` header value for one request. */
export function digestAuthorization(
  challenge: DigestChallenge,
  credentials: { username: string; password: string },
  method: string,
  uri: string,
  nc = 1,
): string {
  const ha1 = hash(challenge.algorithm, `${credentials.username}:${challenge.realm}:${credentials.password}`);
  const ha2 = hash(challenge.algorithm, `${method}:${uri}`);
  const qop = challenge.qop
    ?.split(',')
    .map((q) => q.trim())
    .find((q) => q === 'auth');
  const ncText = nc.toString(16).padStart(8, '0');
  const cnonce = randomBytes(8).toString('hex');
  const response = qop
    ? hash(challenge.algorithm, `${ha1}:${challenge.nonce}:${ncText}:${cnonce}:${qop}:${ha2}`)
    : hash(challenge.algorithm, `${ha1}:${challenge.nonce}:${ha2}`);
  const parts = [
    `username="${credentials.username.replace(/(["\\])/g, '\\$1')}"`,
    `realm="${challenge.realm}"`,
    `nonce="${challenge.nonce}"`,
    `uri="${uri}"`,
    `response="${response}"`,
  ];
  if (challenge.algorithm) parts.push(`algorithm=${challenge.algorithm}`);
  if (challenge.opaque !== undefined) parts.push(`opaque="${challenge.opaque}"`);
  if (qop) parts.push(`qop=${qop}`, `nc=${ncText}`, `cnonce="${cnonce}"`);
  return `Digest ${parts.join(', ')}`;
}

/** Builds an `Authorization: Basic ...` header value. */
export function basicAuthorization(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}
