import { WardwatchError } from '@wardwatch/core';
import { authChallenges, basicAuthorization, digestAuthorization, pickDigestChallenge } from './http-auth.js';
import { httpRequestBuffered, publicAddress } from './http-request.js';

/** Settings of {@link fetchSnapshot}. */
export interface FetchSnapshotOptions {
  username?: string;
  password?: string;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

/**
 * GETs a JPEG snapshot, answering an HTTP Digest or Basic challenge; rejects with a coded error
 * for auth failure, non-2xx, or a body that is not a JPEG.
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
    });
  let response = await get();
  if (response.status === 401 && creds) {
    const challenges = authChallenges(response.rawHeaders);
    const digest = pickDigestChallenge(challenges);
    if (digest) response = await get(digestAuthorization(digest, creds, 'GET', requestUri));
    else if (challenges.some((c) => /^basic\b/i.test(c))) response = await get(basicAuthorization(creds));
  }
  if (response.status === 401 || response.status === 403) {
    throw new WardwatchError('CAMERA_AUTH_FAILED', `Snapshot from ${address} was rejected: HTTP ${response.status}`, {
      details: { address, operation, status: response.status },
    });
  }
  if (response.status < 200 || response.status >= 300) {
    throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `Snapshot from ${address} answered HTTP ${response.status}`, {
      details: { address, operation, status: response.status },
    });
  }
  const body = response.body;
  if (body.length < 4 || body[0] !== 0xff || body[1] !== 0xd8) {
    throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `Snapshot from ${address} is not a JPEG (${body.length} bytes)`, {
      details: { address, operation, bytes: body.length, contentType: response.headers['content-type'] },
    });
  }
  return new Uint8Array(body.buffer, body.byteOffset, body.length);
}
