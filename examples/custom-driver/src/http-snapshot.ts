import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { WardwatchError, redactUrl, toWardwatchError } from '@wardwatch/core';

interface Answer {
  status: number;
  challenge: string | undefined;
  body: Buffer;
}

function get(url: URL, authorization: string | undefined, timeoutMs: number, maxBytes: number, address: string): Promise<Answer> {
  const details = { address, operation: 'snapshot' };
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (error: WardwatchError | undefined, answer?: Answer): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(answer!);
    };
    const req = request({
      hostname: url.hostname,
      port: Number(url.port || 80),
      path: `${url.pathname}${url.search}`,
      headers: authorization ? { Authorization: authorization } : {},
      agent: false,
    });
    const timer = setTimeout(() => finish(new WardwatchError('CAMERA_TIMEOUT', `Snapshot from ${address} timed out after ${timeoutMs} ms`, { details })), timeoutMs);
    req.on('error', (cause) => finish(toWardwatchError(cause, 'CAMERA_UNREACHABLE', details)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) finish(new WardwatchError('CAMERA_RESPONSE_TOO_LARGE', `Snapshot from ${address} exceeds ${maxBytes} bytes`, { details }));
        else chunks.push(chunk);
      });
      res.on('error', (cause) => finish(toWardwatchError(cause, 'CAMERA_UNREACHABLE', details)));
      res.on('end', () => {
        const header = res.headers['www-authenticate'];
        finish(undefined, { status: res.statusCode ?? 0, challenge: Array.isArray(header) ? header[0] : header, body: Buffer.concat(chunks) });
      });
    });
    req.end();
  });
}

function digest(challenge: string, method: string, uri: string, user: string, pass: string): string {
  const param = (name: string): string | undefined => new RegExp(`${name}="?([^",]*)"?`, 'i').exec(challenge)?.[1];
  const realm = param('realm') ?? '';
  const nonce = param('nonce') ?? '';
  const qop = param('qop')?.split(',').map((q) => q.trim()).includes('auth') ? 'auth' : undefined;
  const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
  const ha1 = md5(`${user}:${realm}:${pass}`);
  const ha2 = md5(`${method}:${uri}`);
  const cnonce = randomBytes(8).toString('hex');
  const response = qop ? md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  const opaque = param('opaque');
  return (
    `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}"` +
    (qop ? `, qop=auth, nc=00000001, cnonce="${cnonce}"` : '') +
    (opaque ? `, opaque="${opaque}"` : '')
  );
}

/**
 * GETs a JPEG over HTTP, answering a Digest or Basic challenge with the camera credentials; the
 * body must start with the JPEG SOI marker.
 */
export async function httpSnapshot(
  uri: string,
  credentials: { username?: string; password?: string },
  timeoutMs: number,
  maxBytes = 8 * 1024 * 1024,
): Promise<Uint8Array> {
  const url = new URL(uri);
  const address = redactUrl(url.toString());
  let answer = await get(url, undefined, timeoutMs, maxBytes, address);
  if (answer.status === 401 && credentials.username && answer.challenge) {
    const { username, password = '' } = credentials;
    const authorization = /^digest/i.test(answer.challenge)
      ? digest(answer.challenge, 'GET', `${url.pathname}${url.search}`, username, password)
      : `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    answer = await get(url, authorization, timeoutMs, maxBytes, address);
  }
  const details = { address, operation: 'snapshot', status: answer.status };
  if (answer.status === 401 || answer.status === 403) throw new WardwatchError('CAMERA_AUTH_FAILED', `Snapshot from ${address} was rejected (HTTP ${answer.status})`, { details });
  if (answer.status !== 200) throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `Snapshot from ${address} answered HTTP ${answer.status}`, { details });
  if (answer.body.length < 4 || answer.body[0] !== 0xff || answer.body[1] !== 0xd8) {
    throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `Snapshot from ${address} is not a JPEG`, { details });
  }
  return new Uint8Array(answer.body);
}
