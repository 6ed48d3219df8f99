import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '@wardwatch/core';
import { SoapClient, soapEnvelope, type OnvifAuthScheme } from '../src/soap-client.js';
import { codedFailure } from './helpers/coded-failure.js';
import { dateTimeAnswer, envelope, fault, startFakeHttpServer, type FakeHttpServer } from './helpers/fake-http-server.js';

const PASSWORD = 'S3cret!pass';

/** The `key=value` / `key="value"` parameters of an `Authorization: Digest` header, as a camera reads them. */
function parseAuthParams(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g)].map((m) => [m[1]!.toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '')]));
}
const BODY = soapEnvelope('<GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/>');
const OK = envelope('<tds:GetDeviceInformationResponse><tds:Manufacturer>Acme</tds:Manufacturer></tds:GetDeviceInformationResponse>');

function client(auth: OnvifAuthScheme = 'auto', overrides: Partial<ConstructorParameters<typeof SoapClient>[0]> = {}): SoapClient {
  return new SoapClient({ username: 'admin', password: PASSWORD, auth, timeoutMs: 1500, maxBytes: 64 * 1024, cameraNow: () => Date.now(), logger: silentLogger, ...overrides });
}


describe('SoapClient against a local HTTP server', () => {
  let server: FakeHttpServer;
  beforeEach(async () => {
    server = await startFakeHttpServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('returns the parsed body of a good answer and sends a WS-UsernameToken', async () => {
    server.handle = (_req, res) => res.writeHead(200, { 'Content-Type': 'application/soap+xml' }).end(OK);
    const result = await client('ws-security').call(server.url, BODY, 'GetDeviceInformation');
    expect((result.body.GetDeviceInformationResponse as Record<string, unknown>).Manufacturer).toBe('Acme');
    const sent = server.requests[0]!.body;
    expect(sent).toContain('<wsse:Username>admin</wsse:Username>');
    expect(sent).not.toContain(PASSWORD);
    // The digest verifies with the nonce and created it carries.
    const nonce = /<wsse:Nonce[^>]*>([^<]+)</.exec(sent)![1]!;
    const created = /<wsu:Created>([^<]+)</.exec(sent)![1]!;
    const digest = /#PasswordDigest">([^<]+)</.exec(sent)![1]!;
    const expected = createHash('sha1').update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created), Buffer.from(PASSWORD)])).digest('base64');
    expect(digest).toBe(expected);
  });

  it('answers an HTTP Digest challenge with a correct response', async () => {
    server.handle = (req, res) => {
      const auth = req.headers.authorization;
      if (!auth) {
        res.writeHead(401, { 'WWW-Authenticate': 'Digest realm="cam", qop="auth", nonce="abc123", algorithm="MD5"' }).end();
        return;
      }
      const p = parseAuthParams(auth.replace(/^Digest\s+/i, ''));
      const md5 = (s: string) => createHash('md5').update(s).digest('hex');
      const ha1 = md5(`admin:cam:${PASSWORD}`);
      const ha2 = md5(`POST:${p.uri}`);
      const ok = p.response === md5(`${ha1}:abc123:${p.nc}:${p.cnonce}:auth:${ha2}`);
      res.writeHead(ok ? 200 : 401).end(ok ? OK : '');
    };
    const result = await client('digest').call(server.url, BODY, 'GetDeviceInformation');
    expect(result.xml).toContain('Acme');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.body).not.toContain('Security');
  });

  it('maps a rejected Digest answer to CAMERA_AUTH_FAILED with address and operation', async () => {
    server.handle = (_req, res) => res.writeHead(401, { 'WWW-Authenticate': 'Digest realm="cam", qop="auth", nonce="n1"' }).end();
    const error = await codedFailure(client('digest').call(server.url, BODY, 'GetDeviceInformation'));
    expect(error.code).toBe('CAMERA_AUTH_FAILED');
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ address: server.url, operation: 'GetDeviceInformation' });
    expect(JSON.stringify(error.toJSON())).not.toContain(PASSWORD);
  });

  it('maps a ter:NotAuthorized fault (HTTP 400) to CAMERA_AUTH_FAILED', async () => {
    server.handle = (_req, res) => res.writeHead(400).end(fault('ter:NotAuthorized', 'Sender not authorized'));
    const error = await codedFailure(client('ws-security').call(server.url, BODY, 'GetProfiles'));
    expect(error.code).toBe('CAMERA_AUTH_FAILED');
    expect(error.details.operation).toBe('GetProfiles');
  });

  it('maps other SOAP faults to CAMERA_SOAP_FAULT with the fault codes and reason', async () => {
    server.handle = (_req, res) => res.writeHead(500).end(fault('ter:InvalidArgVal', 'No such preset'));
    const error = await codedFailure(client().call(server.url, BODY, 'GotoPreset'));
    expect(error.code).toBe('CAMERA_SOAP_FAULT');
    expect(error.details).toMatchObject({ address: server.url, operation: 'GotoPreset', reason: 'No such preset' });
    expect(error.details.faultCodes).toEqual(['env:Sender', 'ter:InvalidArgVal']);
    expect(error.message).not.toMatch(/Wrong ONVIF SOAP response/);
  });

  it('keeps what the camera wrote out of the message (it becomes a status cause viewers see): codes as bounded QNames, no reason text', async () => {
    const remote = 'Visit http://evil.example/x <b>now</b>';
    const escaped = remote.replace(/</g, '&lt;').replace(/>/g, '&gt;');
    server.handle = (_req, res) => res.writeHead(500).end(fault('ter:Bad Code&lt;script&gt;', escaped));
    const error = await codedFailure(client().call(server.url, BODY, 'GotoPreset'));
    expect(error.code).toBe('CAMERA_SOAP_FAULT');
    expect(error.message).not.toContain('evil.example');
    expect(error.message).not.toContain('<script>');
    expect(error.message).toMatch(/SOAP fault: env:Sender \/ \?$/);
    expect(error.details.reason).toBe(remote);
  });

  it('maps ActionNotSupported-style faults to CAMERA_UNSUPPORTED', async () => {
    server.handle = (_req, res) => res.writeHead(400).end(fault('ter:ActionNotSupported', 'PTZ is not supported'));
    const error = await codedFailure(client().call(server.url, BODY, 'ContinuousMove'));
    expect(error.code).toBe('CAMERA_UNSUPPORTED');
    expect(error.details).toMatchObject({ operation: 'ContinuousMove', faultCodes: ['env:Sender', 'ter:ActionNotSupported'] });
  });

  it('maps garbage XML to CAMERA_PROTOCOL_ERROR', async () => {
    server.handle = (_req, res) => res.writeHead(200).end('<env:Envelope><env:Body><Broken attr="unterminated></env:Body>');
    const error = await codedFailure(client().call(server.url, BODY, 'GetProfiles'));
    expect(error.code).toBe('CAMERA_PROTOCOL_ERROR');
    expect(error.details).toMatchObject({ address: server.url, operation: 'GetProfiles' });
  });

  it('maps well-formed XML that is not SOAP to CAMERA_PROTOCOL_ERROR', async () => {
    server.handle = (_req, res) => res.writeHead(200).end('<html><body>hello</body></html>');
    const error = await codedFailure(client().call(server.url, BODY, 'GetProfiles'));
    expect(error.code).toBe('CAMERA_PROTOCOL_ERROR');
  });

  it('caps oversized answers announced by Content-Length', async () => {
    const big = Buffer.alloc(200 * 1024, 0x20);
    server.handle = (_req, res) => res.writeHead(200, { 'Content-Length': String(big.length) }).end(big);
    const error = await codedFailure(client().call(server.url, BODY, 'GetProfiles'));
    expect(error.code).toBe('CAMERA_RESPONSE_TOO_LARGE');
    expect(error.details).toMatchObject({ operation: 'GetProfiles', maxBytes: 64 * 1024 });
  });

  it('caps oversized chunked answers while streaming', async () => {
    server.handle = (_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      let sent = 0;
      const timer = setInterval(() => {
        if (res.destroyed || sent > 64) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(chunk);
        sent += 1;
      }, 1);
    };
    const error = await codedFailure(client().call(server.url, BODY, 'GetProfiles'));
    expect(error.code).toBe('CAMERA_RESPONSE_TOO_LARGE');
  });

  it('times out a slow (trickling) answer with CAMERA_TIMEOUT', async () => {
    const timers: NodeJS.Timeout[] = [];
    server.handle = (_req, res) => {
      res.writeHead(200);
      timers.push(setInterval(() => !res.destroyed && res.write(' '), 100));
    };
    const error = await codedFailure(client('auto', { timeoutMs: 400 }).call(server.url, BODY, 'GetProfiles'));
    timers.forEach(clearInterval);
    expect(error.code).toBe('CAMERA_TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ address: server.url, operation: 'GetProfiles', timeoutMs: 400 });
  });

  it('maps a refused connection to retryable CAMERA_UNREACHABLE', async () => {
    const url = server.url;
    await server.close();
    const error = await codedFailure(client().call(url, BODY, 'GetSystemDateAndTime'));
    expect(error.code).toBe('CAMERA_UNREACHABLE');
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ address: url, operation: 'GetSystemDateAndTime' });
    server = await startFakeHttpServer();
  });

  it('maps a non-2xx answer without a fault to CAMERA_PROTOCOL_ERROR', async () => {
    server.handle = (_req, res) => res.writeHead(503).end(envelope('<Nothing/>'));
    const error = await codedFailure(client().call(server.url, BODY, 'GetProfiles'));
    expect(error.code).toBe('CAMERA_PROTOCOL_ERROR');
    expect(error.details.status).toBe(503);
  });

  it('sends no credentials for anonymous calls', async () => {
    server.handle = (_req, res) => res.writeHead(200).end(dateTimeAnswer(new Date()));
    await client('auto').call(server.url, BODY, 'GetSystemDateAndTime', { authenticate: false });
    expect(server.requests[0]!.body).not.toContain('UsernameToken');
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });
});
