import { WardwatchError } from '@wardwatch/core';
import { authChallenges, basicAuthorization, digestAuthorization, pickDigestChallenge } from './http-auth.js';
import { httpRequestBuffered, publicAddress, type TlsSettings } from './http-request.js';

/** Settings of {@link fetchSnapshot}. */
export interface FetchSnapshotOptions {
  username?: string;
  password?: string;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
  /** Answer a Basic challenge over plain `http:` (sends the password in clear). @default false */
  allowBasicOverHttp?: boolean;
  tls?: TlsSettings;
}

/**
 * GETs a JPEG snapshot, answering an HTTP Digest challenge (Basic only over `https:` unless allowed);
 * rejects with a coded error for auth failure, non-2xx, or a body that is not a JPEG. Errors carry the
 * status code at most: never the remote body, its size or its content type.
 */
export async function fetchSnapshot(uri: string, options: FetchSnapshotOptions): Promise<Uint8Array> {
  const address = publicAddress(uri);
  const operation = 'GetSnapshot';
  const target = new URL(uri);
  target.username = '';
  target.password = '';
  const url = target.toString();
  const requestUri = `${target.pathname}${target.search}`;
  const creds = options.username ? { username: options.username, password: options.password ?? '' } : undefined;
  const get = (authorization?: string) =>
    httpRequestBuffered({
      method: 'GET',
      url,
      headers: authorization ? { Authorization: authorization, Accept: 'image/jpeg' } : { Accept: 'image/jpeg' },
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxBytes,
      operation,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.tls ? { tls: options.tls } : {}),
    });
  let response = await get();
  if (response.status === 401 && creds) {
    const challenges = authChallenges(response.rawHeaders);
    const digest = pickDigestChallenge(challenges);
    const basicOffered = challenges.some((c) => /^basic\b/i.test(c));
    if (digest) response = await get(digestAuthorization(digest, creds, 'GET', requestUri));
    else if (basicOffered && (target.protocol === 'https:' || options.allowBasicOverHttp === true)) response = await get(basicAuthorization(creds));
    else if (basicOffered) {
      throw new WardwatchError('CAMERA_AUTH_FAILED', `Snapshot from ${address} asks for HTTP Basic over plain http, which would send the password in clear; not answered (allowBasicOverHttp enables it)`, {
        details: { address, operation, status: 401 },
      });
    }
  }
  if (response.status === 401 || response.status === 403) {
    throw new WardwatchError('CAMERA_AUTH_FAILED', `Snapshot from ${address} was rejected`, { details: { address, operation, status: response.status } });
  }
  if (response.status < 200 || response.status >= 300) {
    throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `Snapshot from ${address} failed`, { details: { address, operation, status: response.status } });
  }
  const body = response.body;
  if (body.length < 4 || body[0] !== 0xff || body[1] !== 0xd8) {
    throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `Snapshot from ${address} is not a JPEG`, { details: { address, operation } });
  }
  return new Uint8Array(body.buffer, body.byteOffset, body.length);
}
