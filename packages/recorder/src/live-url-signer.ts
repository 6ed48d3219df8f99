import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { WardwatchError } from '@wardwatch/core';

/** Signs and checks the live relay's URLs (HMAC-SHA256 over purpose, stream path, expiry and, to publish, a nonce). */
export interface LiveUrlSigner {
  /** The query (`exp=…&sig=…`) of a play URL valid for `ttlSeconds`, and its expiry (s). */
  playQuery(streamPath: string, ttlSeconds: number): { query: string; exp: number };
  /** The query (`exp=…&n=…&sig=…`) of a single-use publish URL valid for `ttlSeconds`. */
  publishQuery(streamPath: string, ttlSeconds: number): string;
  /** Whether a play query is signed for this path and not expired. */
  verifyPlay(streamPath: string, query: Record<string, unknown> | undefined): boolean;
  /** Whether a publish query is signed for this path, not expired and not spent; a valid one is spent by this call. */
  checkPublish(streamPath: string, query: Record<string, unknown> | undefined): 'ok' | 'invalid' | 'spent';
}

function first(value: unknown): string | undefined {
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Creates a {@link LiveUrlSigner} with a secret of at least 16 bytes (`INVALID_CONFIG` otherwise: signatures would be
 * guessable). Publish URLs carry a random nonce that their first publish spends (kept until the URL expires), so a
 * publish URL copied from the process list is worthless once the recording process has used it.
 */
export function createLiveUrlSigner(secret: string | Uint8Array): LiveUrlSigner {
  if ((typeof secret === 'string' ? Buffer.byteLength(secret) : secret.byteLength) < 16) {
    throw new WardwatchError('INVALID_CONFIG', 'live gateway: secret must be at least 16 bytes (signatures would be guessable)');
  }
  const sign = (purpose: 'play' | 'publish', streamPath: string, exp: number, nonce = ''): string =>
    createHmac('sha256', secret).update(`${purpose}\n${streamPath}\n${exp}${nonce ? `\n${nonce}` : ''}`).digest('base64url');
  const verify = (purpose: 'play' | 'publish', streamPath: string, query: Record<string, unknown> | undefined): boolean => {
    const exp = Number(first(query?.exp));
    const sig = first(query?.sig);
    const nonce = purpose === 'publish' ? first(query?.n) : '';
    if (!Number.isInteger(exp) || !sig || nonce === undefined || exp * 1000 < Date.now()) return false;
    const expected = Buffer.from(sign(purpose, streamPath, exp, nonce));
    const given = Buffer.from(sig);
    return expected.length === given.length && timingSafeEqual(expected, given);
  };
  const spent = new Map<string, number>();
  const expiry = (ttlSeconds: number): number => Math.floor(Date.now() / 1000) + ttlSeconds;
  return {
    playQuery(streamPath, ttlSeconds) {
      const exp = expiry(ttlSeconds);
      return { query: `exp=${exp}&sig=${sign('play', streamPath, exp)}`, exp };
    },
    publishQuery(streamPath, ttlSeconds) {
      const exp = expiry(ttlSeconds);
      const nonce = randomBytes(12).toString('base64url');
      return `exp=${exp}&n=${nonce}&sig=${sign('publish', streamPath, exp, nonce)}`;
    },
    verifyPlay: (streamPath, query) => verify('play', streamPath, query),
    checkPublish(streamPath, query) {
      if (!verify('publish', streamPath, query)) return 'invalid';
      const now = Date.now();
      for (const [nonce, exp] of spent) if (exp * 1000 < now) spent.delete(nonce);
      const nonce = first(query?.n)!;
      if (spent.has(nonce)) return 'spent';
      spent.set(nonce, Number(first(query?.exp)));
      return 'ok';
    },
  };
}
