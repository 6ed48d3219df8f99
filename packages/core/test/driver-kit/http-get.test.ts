import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWardwatchError, type WardwatchError } from '@wardwatch/core';
import { answerHttpChallenge, httpGet, wwwAuthenticateChallenges } from '@wardwatch/core/driver-kit';

const USER = 'admin';
const PASS = 'S3cret:p@ss';
const REALM = 'IP Camera';
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** Checks an `Authorization: Digest` header the way a camera does (RFC 7616, MD5, qop=auth). */
function digestValid(header: string | undefined, method: string): boolean {
  if (!header?.startsWith('Digest ')) return false;
  const p = Object.fromEntries([...header.matchAll(/(\w+)=(?:"((?:\\.|[^"\\])*)"|([^\s,]+))/g)].map((m) => [m[1], (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1')]));
  const ha1 = md5(`${p.username}:${REALM}:${PASS}`);
  const ha2 = md5(`${method}:${p.uri}`);
  return p.username === USER && p.nonce === 'n0nce' && p.response === md5(`${ha1}:n0nce:${p.nc}:${p.cnonce}:auth:${ha2}`);
}

let server: Server;
let base = '';
const seen: Array<{ url: string; authorization: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const path = (req.url ?? '').split('?')[0];
    if (path === '/open') return void res.end('{"ok":true}');
    if (path === '/digest') {
      if (digestValid(req.headers.authorization, 'GET')) return void res.end('jpeg-bytes');
      res.writeHead(401, [['WWW-Authenticate', 'Basic realm="legacy"'], ['WWW-Authenticate', `Digest realm="${REALM}", nonce="n0nce", qop="auth", opaque="xyz"`]]);
      return void res.end();
    }
    if (path === '/basic') {
      if (req.headers.authorization === `Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`) return void res.end('basic-ok');
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="cam"' });
      return void res.end();
    }
    if (path === '/big') return void res.end(Buffer.alloc(64 * 1024, 1));
    if (path === '/missing') {
      res.writeHead(404);
      return void res.end();
    }
    if (path === '/silent') return; // never answers
    res.writeHead(500);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function rejection(promise: Promise<unknown>): Promise<WardwatchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isWardwatchError(error)) throw new Error(`expected a WardwatchError, got ${String(error)}`);
  return error;
}

function expectNoSecret(error: WardwatchError): void {
  expect(error.message).not.toContain(PASS);
  expect(JSON.stringify(error.details)).not.toContain(PASS);
  expect(JSON.stringify(error.details)).not.toContain(encodeURIComponent(PASS));
}

describe('httpGet', () => {
  it('returns the body of an open URL', async () => {
    const res = await httpGet(`${base}/open?x=1`);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('{"ok":true}');
  });

  it('answers a Digest challenge (preferred over Basic) with the credentials, once', async () => {
    seen.length = 0;
    const res = await httpGet(`${base}/digest?channel=1`, { credentials: { username: USER, password: PASS }, operation: 'snapshot' });
    expect(res.body.toString()).toBe('jpeg-bytes');
    expect(seen.map((s) => s.url)).toEqual(['/digest?channel=1', '/digest?channel=1']);
    expect(seen[0]!.authorization).toBeUndefined();
    expect(seen[1]!.authorization).toMatch(/^Digest username="admin", realm="IP Camera", nonce="n0nce", uri="\/digest\?channel=1"/);
    expect(seen[1]!.authorization).toContain('opaque="xyz"');
  });

  it('answers a Basic challenge, also with credentials given in the URL (never sent as user info)', async () => {
    const res = await httpGet(`http://${USER}:${encodeURIComponent(PASS)}@${base.slice('http://'.length)}/basic`);
    expect(res.body.toString()).toBe('basic-ok');
  });

  it('refuses to send Basic over plain http when allowBasicOverHttp is false, still answering Digest', async () => {
    seen.length = 0;
    const refused = await rejection(httpGet(`${base}/basic`, { credentials: { username: USER, password: PASS }, allowBasicOverHttp: false, operation: 'snapshot' }));
    expect(refused.code).toBe('CAMERA_AUTH_FAILED');
    expect(refused.message).toMatch(/Basic over plain http/);
    expect(seen.map((s) => s.authorization)).toEqual([undefined]);
    const digest = await httpGet(`${base}/digest`, { credentials: { username: USER, password: PASS }, allowBasicOverHttp: false });
    expect(digest.body.toString()).toBe('jpeg-bytes');
  });

  it('maps a wrong password to CAMERA_AUTH_FAILED (not retryable) without leaking it', async () => {
    const error = await rejection(httpGet(`${base}/digest`, { credentials: { username: USER, password: 'wrong' }, operation: 'snapshot' }));
    expect(error.code).toBe('CAMERA_AUTH_FAILED');
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ operation: 'snapshot', status: 401, address: `${base}/digest` });
    const noCredentials = await rejection(httpGet(`${base}/basic`));
    expect(noCredentials.code).toBe('CAMERA_AUTH_FAILED');
    expect(noCredentials.message).toMatch(/no credentials given/);
    const leaky = await rejection(httpGet(`${base}/missing`, { credentials: { username: USER, password: PASS } }));
    expectNoSecret(leaky);
  });

  it('maps other statuses to CAMERA_PROTOCOL_ERROR with the status', async () => {
    const error = await rejection(httpGet(`${base}/missing`));
    expect(error.code).toBe('CAMERA_PROTOCOL_ERROR');
    expect(error.details).toMatchObject({ status: 404 });
  });

  it('caps the body: CAMERA_RESPONSE_TOO_LARGE', async () => {
    const error = await rejection(httpGet(`${base}/big`, { maxBytes: 1024 }));
    expect(error.code).toBe('CAMERA_RESPONSE_TOO_LARGE');
    expect(error.details).toMatchObject({ maxBytes: 1024 });
    expect((await httpGet(`${base}/big`, { maxBytes: 64 * 1024 })).body.length).toBe(64 * 1024);
  });

  it('gives up at the deadline: CAMERA_TIMEOUT, retryable', async () => {
    const error = await rejection(httpGet(`${base}/silent`, { timeoutMs: 200, operation: 'GetStatus' }));
    expect(error.code).toBe('CAMERA_TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ operation: 'GetStatus', timeoutMs: 200 });
  });

  it('maps a refused connection to CAMERA_UNREACHABLE, retryable, without the credentials of the URL', async () => {
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const error = await rejection(httpGet(`http://${USER}:${encodeURIComponent(PASS)}@127.0.0.1:${port}/snap.jpg`));
    expect(error.code).toBe('CAMERA_UNREACHABLE');
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ address: `http://127.0.0.1:${port}/snap.jpg` });
    expectNoSecret(error);
  });

  it('rejects with CANCELLED when aborted, before or during the request', async () => {
    const before = new AbortController();
    before.abort();
    expect((await rejection(httpGet(`${base}/open`, { signal: before.signal }))).code).toBe('CANCELLED');
    const during = new AbortController();
    const pending = httpGet(`${base}/silent`, { signal: during.signal, timeoutMs: 10_000 });
    setTimeout(() => during.abort(), 50);
    expect((await rejection(pending)).code).toBe('CANCELLED');
  });

  it('refuses an untrusted https certificate with CAMERA_TLS_FAILED unless self-signed is allowed', async () => {
    const tls = join(import.meta.dirname, '../fixtures/tls');
    const https = createHttpsServer({ cert: readFileSync(join(tls, 'cert.pem')), key: readFileSync(join(tls, 'key.pem')) }, (_req, res) => res.end('over tls'));
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(https.address() as { port: number }).port}/snap`;
      const error = await rejection(httpGet(url, { operation: 'snapshot' }));
      expect(error.code).toBe('CAMERA_TLS_FAILED');
      expect(error.retryable).toBe(false);
      expect(error.details).toMatchObject({ operation: 'snapshot', tlsCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      expect((await httpGet(url, { allowSelfSignedTls: true })).body.toString()).toBe('over tls');
    } finally {
      https.closeAllConnections();
      await new Promise((resolve) => https.close(resolve));
    }
  });

  it('refuses what is not an http(s) URL', async () => {
    expect((await rejection(httpGet('rtsp://10.0.0.5/stream'))).code).toBe('CAMERA_UNSUPPORTED');
    expect((await rejection(httpGet('not a url'))).code).toBe('INVALID_ARGUMENT');
  });
});

describe('answerHttpChallenge', () => {
  const credentials = { username: 'ad"min', password: 'pw' };

  it('answers SHA-256 Digest when that is all that is offered, and quotes the user name', () => {
    const header = answerHttpChallenge(['Digest realm="r", nonce="n", algorithm=SHA-256'], credentials, 'GET', '/x');
    expect(header).toMatch(/^Digest username="ad\\"min", realm="r", nonce="n", uri="\/x", response="[0-9a-f]{64}", algorithm=SHA-256$/);
  });

  it('prefers MD5 Digest, falls back to Basic, and gives up on unknown schemes', () => {
    expect(answerHttpChallenge(['Digest realm="r", nonce="n", algorithm=SHA-256', 'Digest realm="r", nonce="m"'], credentials, 'GET', '/x')).toMatch(/nonce="m".*response="[0-9a-f]{32}"/);
    expect(answerHttpChallenge(['Basic realm="r"'], { username: 'a', password: 'b' }, 'GET', '/x')).toBe(`Basic ${Buffer.from('a:b').toString('base64')}`);
    expect(answerHttpChallenge(['Negotiate', 'Digest realm="r", nonce="n", algorithm=SHA-512-256'], credentials, 'GET', '/x')).toBeUndefined();
  });

  it('answers Basic only when allowed, and counts nonce uses for a reused Digest challenge', () => {
    expect(answerHttpChallenge(['Basic realm="r"'], credentials, 'GET', '/x', { allowBasic: false })).toBeUndefined();
    const third = answerHttpChallenge(['Digest realm="r", nonce="n", qop="auth"'], credentials, 'POST', '/x', { nonceCount: 3 });
    expect(third).toContain('nc=00000003');
  });

  it('lists every WWW-Authenticate challenge of a raw header list, separately', () => {
    expect(wwwAuthenticateChallenges(['Content-Type', 'text/plain', 'WWW-Authenticate', 'Basic realm="a"', 'www-authenticate', 'Digest nonce="n"'])).toEqual(['Basic realm="a"', 'Digest nonce="n"']);
  });
});
