import { createHash, randomBytes } from 'node:crypto';

/** A camera's user name and password. */
export interface DeviceCredentials {
  username: string;
  password: string;
}

/** The `key=value` / `key="quoted value"` parameters of one `WWW-Authenticate` challenge, keys lower-cased. */
function challengeParams(challenge: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /([a-z0-9_-]+)\s*=\s*(?:"((?:\\.|[^"\\])*)"|([^\s,]+))/gi;
  for (const match of challenge.matchAll(pattern)) {
    const quoted = match[2];
    params.set((match[1] as string).toLowerCase(), quoted === undefined ? (match[3] ?? '') : quoted.replace(/\\(.)/g, '$1'));
  }
  return params;
}

function digestHash(sha256: boolean, text: string): string {
  return createHash(sha256 ? 'sha256' : 'md5').update(text, 'utf8').digest('hex');
}

function quote(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/** Options of {@link answerHttpChallenge}. */
export interface AnswerHttpChallengeOptions {
  /** Answer a Basic challenge (the password travels base64-encoded: refuse it over plain `http:`). @default true */
  allowBasic?: boolean;
  /** Digest nonce count (`nc`) of this request, for a client that reuses one challenge across requests. @default 1 */
  nonceCount?: number;
}

/** The `Authorization` value answering one Digest challenge (RFC 7616; MD5 or SHA-256, `qop=auth` or none). */
function digestAnswer(params: Map<string, string>, credentials: DeviceCredentials, method: string, uri: string, nonceCount: number): string {
  const algorithm = params.get('algorithm');
  const sha256 = /^sha-256$/i.test(algorithm ?? '');
  const realm = params.get('realm') ?? '';
  const nonce = params.get('nonce') ?? '';
  const qop = params.get('qop')?.split(',').map((q) => q.trim()).includes('auth') ? 'auth' : undefined;
  const ha1 = digestHash(sha256, `${credentials.username}:${realm}:${credentials.password}`);
  const ha2 = digestHash(sha256, `${method}:${uri}`);
  const cnonce = randomBytes(8).toString('hex');
  const nc = nonceCount.toString(16).padStart(8, '0');
  const response = qop ? digestHash(sha256, `${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : digestHash(sha256, `${ha1}:${nonce}:${ha2}`);
  const fields = [`username=${quote(credentials.username)}`, `realm=${quote(realm)}`, `nonce=${quote(nonce)}`, `uri=${quote(uri)}`, `response="${response}"`];
  if (algorithm) fields.push(`algorithm=${algorithm}`);
  const opaque = params.get('opaque');
  if (opaque !== undefined) fields.push(`opaque=${quote(opaque)}`);
  if (qop) fields.push(`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
  return `Digest ${fields.join(', ')}`;
}

/**
 * The `Authorization` header value answering a 401's `WWW-Authenticate` challenges: Digest (MD5 preferred, SHA-256
 * accepted) before Basic; undefined when no challenge is one of those (or only Basic is offered and `allowBasic` is
 * false).
 */
export function answerHttpChallenge(
  challenges: readonly string[],
  credentials: DeviceCredentials,
  method: string,
  uri: string,
  options: AnswerHttpChallengeOptions = {},
): string | undefined {
  const digests = challenges
    .filter((c) => /^digest\s/i.test(c))
    .map((c) => challengeParams(c.replace(/^digest\s+/i, '')))
    .filter((p) => p.has('nonce') && /^(md5|sha-256)?$/i.test(p.get('algorithm') ?? ''));
  const digest = digests.find((p) => !/^sha-256$/i.test(p.get('algorithm') ?? '')) ?? digests[0];
  if (digest) return digestAnswer(digest, credentials, method, uri, options.nonceCount ?? 1);
  if (options.allowBasic !== false && challenges.some((c) => /^basic(\s|$)/i.test(c))) {
    return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
  }
  return undefined;
}
