import { WardwatchError } from '@wardwatch/core';
import { httpGet } from '@wardwatch/core/driver-kit';
import { publicAddress, type TlsSettings } from './http-request.js';

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
 * GETs a JPEG snapshot with the driver kit's `httpGet`, answering an HTTP Digest challenge (Basic only over `https:`
 * unless allowed); rejects with a coded error for auth failure, non-2xx, or a body that is not a JPEG. Errors carry
 * the status code at most: never the remote body, its size or its content type.
 */
export async function fetchSnapshot(uri: string, options: FetchSnapshotOptions): Promise<Uint8Array> {
  const address = publicAddress(uri);
  const operation = 'GetSnapshot';
  const target = new URL(uri);
  target.username = '';
  target.password = '';
  const response = await httpGet(target.toString(), {
    operation,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
    headers: { Accept: 'image/jpeg' },
    allowBasicOverHttp: options.allowBasicOverHttp === true,
    allowSelfSignedTls: options.tls?.allowSelfSigned === true,
    ...(options.username ? { credentials: { username: options.username, password: options.password ?? '' } } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const body = response.body;
  if (body.length < 4 || body[0] !== 0xff || body[1] !== 0xd8) {
    throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `Snapshot from ${address} is not a JPEG`, { details: { address, operation } });
  }
  return new Uint8Array(body.buffer, body.byteOffset, body.length);
}
