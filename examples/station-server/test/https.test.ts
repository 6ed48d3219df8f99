import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStorage, createStation, type Station } from '@wardwatch/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserStore } from '../src/auth/user-store.js';
import { createStationServer } from '../src/server/create-station-server.js';

const cert = readFileSync(new URL('./fixtures/localhost-cert.pem', import.meta.url));
const key = readFileSync(new URL('./fixtures/localhost-key.pem', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ww-https-'));
let station: Station;
let app: FastifyInstance;
let port: number;

function post(path: string, body: unknown): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', ca: cert, servername: 'localhost', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

beforeAll(async () => {
  station = createStation({ storage: createMemoryStorage() });
  await station.start();
  const users = createUserStore({ path: join(dir, 'users.json') });
  await users.create({ username: 'admin', password: 'admin-password-1', role: 'admin' });
  app = await createStationServer({ station, users, https: { cert, key } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});

afterAll(async () => {
  await app?.close();
  await station?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTPS', () => {
  it('serves the API over TLS with a Secure session cookie when a certificate is configured', async () => {
    const r = await post('/api/auth/login', { username: 'admin', password: 'admin-password-1' });
    expect(r.status).toBe(200);
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
  });

  it('does not answer plain HTTP', async () => {
    await expect(fetch(`http://127.0.0.1:${port}/api/info`).then((res) => res.status)).rejects.toThrow();
  });
});
