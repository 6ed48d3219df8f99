/**
 * `live.tls`: the relay serves `wss://` / `https://` itself, without a proxy (issue 24, item 12), and live views over
 * TLS stay tied to the session that asked for them. Real relay, real recording processes, simulator cameras.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, waitFor, waitForCamerasOnline } from './http-client.js';
import { LOGINS, startFixture, type StationFixture } from './station-fixture.js';

const certFile = fileURLToPath(new URL('./fixtures/localhost-cert.pem', import.meta.url));
const keyFile = fileURLToPath(new URL('./fixtures/localhost-key.pem', import.meta.url));
const ca = readFileSync(certFile);

let fx: StationFixture;

beforeAll(async () => {
  fx = await startFixture({ live: true, liveTls: { certFile, keyFile } });
  const admin = new Client(fx.url);
  await admin.login('admin', LOGINS['admin']!.password);
  await waitForCamerasOnline(admin);
}, 120_000);
afterAll(async () => {
  await fx?.stop();
}, 60_000);

/** Opens the HTTPS-FLV twin of a `wss://` URL, trusting the fixture certificate; counts bytes until the relay cuts it. */
function play(wssUrl: string): Promise<{ status: number; head: () => Buffer; bytes: () => number; ended: Promise<void>; stop(): void }> {
  return new Promise((resolve, reject) => {
    const req = request(wssUrl.replace(/^wss:/, 'https:'), { ca, servername: 'localhost' }, (res) => {
      const chunks: Buffer[] = [];
      let count = 0;
      const ended = new Promise<void>((done) => {
        res.on('close', done);
        res.on('error', () => done());
      });
      res.on('data', (chunk: Buffer) => {
        if (count < 64) chunks.push(chunk);
        count += chunk.length;
      });
      resolve({ status: res.statusCode ?? 0, head: () => Buffer.concat(chunks), bytes: () => count, ended, stop: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('live relay over TLS (live.tls)', () => {
  it('hands out wss:// URLs that stream FLV over TLS and are cut at logout', async () => {
    const client = new Client(fx.url);
    await client.login('admin', LOGINS['admin']!.password);
    const url = await waitFor('live URL', async () => {
      const r = await client.get('/api/cameras/cam-a/live');
      return r.json.available ? (r.json.url as string) : undefined;
    }, 30_000);
    expect(url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/live\//);
    const view = await play(url);
    try {
      expect(view.status).toBe(200);
      await waitFor('video bytes', () => (view.bytes() > 1000 ? true : undefined), 20_000, 100);
      expect(view.head().subarray(0, 3).toString()).toBe('FLV');
      await client.post('/api/auth/logout');
      const cut = await Promise.race([view.ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 8000))]);
      expect(cut).toBe(true);
    } finally {
      view.stop();
    }
  }, 60_000);

  it('does not answer plain http:// on the relay port', async () => {
    const client = new Client(fx.url);
    await client.login('admin', LOGINS['admin']!.password);
    const r = await client.get('/api/cameras/cam-a/live');
    const plain = String(r.json.url).replace(/^wss:/, 'http:');
    await expect(fetch(plain, { signal: AbortSignal.timeout(5000) }).then((res) => res.status)).rejects.toThrow();
  }, 30_000);
});
