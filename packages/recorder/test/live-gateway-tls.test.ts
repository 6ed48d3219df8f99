import { execFileSync } from 'node:child_process';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Subscription } from 'rxjs';
import type { Simulator } from '@wardwatch/simulator';
import type { RecorderSignal } from '@wardwatch/core';
import { createLiveGateway, createRecorder, type LiveGateway, type WardwatchRecorder } from '../src/index.js';
import { makeContext, makeSession, makeSpec, tempDir, waitFor } from './helpers.js';
import { startLightSimulator } from './sim-cameras.js';

/** Opens a WS-FLV client (certificate not checked: it is self-signed); collects bytes until `ms` elapsed or it closed. */
function collect(url: string, ms: number): Promise<{ bytes: Buffer; failed: boolean; closedAt: number }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const ws = new WebSocket(url, { rejectUnauthorized: false });
    let failed = false;
    const timer = setTimeout(() => ws.terminate(), ms);
    ws.on('message', (data: Buffer) => chunks.push(Buffer.from(data)));
    ws.on('close', () => {
      clearTimeout(timer);
      resolve({ bytes: Buffer.concat(chunks), failed, closedAt: Date.now() });
    });
    ws.on('error', () => {
      failed = true;
    });
    ws.on('unexpected-response', () => {
      failed = true;
    });
  });
}

/** Fetches the start of an HTTPS-FLV stream: status, headers and the first bytes. */
function httpsFlv(url: string): Promise<{ status: number; headers: Record<string, unknown>; head: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      const done = () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, head: Buffer.concat(chunks) });
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (Buffer.concat(chunks).length >= 13) done();
      });
      res.on('end', done);
      setTimeout(done, 8000);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('live gateway over TLS', () => {
  let sim: Simulator;
  let gateway: LiveGateway;
  let recorder: WardwatchRecorder;
  let sub: Subscription;
  let httpPort = 0;
  const log: RecorderSignal[] = [];
  const { dir, cleanup } = tempDir();
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');

  beforeAll(async () => {
    // a fresh self-signed certificate for 127.0.0.1
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    sim = await startLightSimulator(['cam.tls']);
    gateway = createLiveGateway({ secret: 'test-secret-of-32-bytes-at-least', tls: { certFile, keyFile } });
    ({ httpPort } = await gateway.start());
    recorder = createRecorder({ root: join(dir, 'rec'), segmentSeconds: 2, live: gateway });
    await recorder.start(makeContext());
    sub = recorder.record(makeSpec('cam.tls'), makeSession(sim.camera('cam.tls').rtspUrl.main)).subscribe((signal) => log.push(signal));
    await waitFor(() => log.some((s) => s.type === 'connected'), 20_000, 'connected');
  }, 60_000);

  afterAll(async () => {
    sub?.unsubscribe();
    await recorder?.stop();
    await gateway?.stop();
    await sim?.stop();
    cleanup();
  }, 60_000);

  it('refuses to start with a missing or unreadable key or certificate (INVALID_CONFIG)', async () => {
    const other = createLiveGateway({ tls: { certFile, keyFile: join(dir, 'no-such-key.pem') } });
    await expect(other.start()).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('keyFile') });
    const noCert = createLiveGateway({ tls: { certFile: join(dir, 'missing-cert.pem'), keyFile } });
    await expect(noCert.start()).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('certFile') });
    expect(other.running).toBe(false);
  });

  it('signs wss:// and https:// play URLs on the loopback address', () => {
    const urls = gateway.playUrls('cam.tls', 60);
    expect(urls.wsFlv).toMatch(new RegExp(`^wss://127\\.0\\.0\\.1:${httpPort}/live/cam_2etls\\.flv\\?exp=\\d+&sig=`));
    expect(urls.httpFlv).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:${httpPort}/live/cam_2etls\\.flv\\?exp=\\d+&sig=`));
  });

  it('serves live FLV to a wss:// viewer', async () => {
    const { bytes } = await collect(gateway.playUrls('cam.tls', 60).wsFlv, 4000);
    expect(bytes.subarray(0, 3).toString()).toBe('FLV');
    expect(bytes.length).toBeGreaterThan(1000);
  }, 20_000);

  it('serves HTTPS-FLV without `Access-Control-Allow-Origin: *` or `X-Powered-By`', async () => {
    const { status, headers, head } = await httpsFlv(gateway.playUrls('cam.tls', 60).httpFlv);
    expect(status).toBe(200);
    expect(head.subarray(0, 3).toString()).toBe('FLV');
    expect(headers['access-control-allow-origin']).toBeUndefined();
    expect(headers['x-powered-by']).toBeUndefined();
  }, 20_000);

  it('has no plain ws:// listener: a ws:// client to the TLS port gets nothing', async () => {
    const plain = gateway.playUrls('cam.tls', 60).wsFlv.replace(/^wss:/, 'ws:');
    const { bytes, failed } = await collect(plain, 3000);
    expect(failed).toBe(true);
    expect(bytes.length).toBe(0);
  }, 20_000);

  it('refuses a wss:// viewer without a valid signature', async () => {
    const forged = gateway.playUrls('cam.tls', 60).wsFlv.replace(/sig=[^&]+/, 'sig=AAAA');
    const { bytes } = await collect(forged, 3000);
    expect(bytes.subarray(0, 3).toString() === 'FLV' && bytes.length > 1000).toBe(false);
  }, 20_000);

  it('applies the play policy and dropViewers to wss:// viewers', async () => {
    gateway.setPlayPolicy((viewer) => viewer.query.g === 'allowed');
    try {
      const refused = await collect(gateway.playUrls('cam.tls', 60, { g: 'revoked' }).wsFlv, 3000);
      expect(refused.bytes.length).toBeLessThan(1000);

      const started = Date.now();
      const viewing = collect(gateway.playUrls('cam.tls', 60, { g: 'allowed' }).wsFlv, 15_000);
      await new Promise((r) => setTimeout(r, 3000));
      expect(gateway.dropViewers((viewer) => viewer.query.g === 'allowed')).toBe(1);
      const { bytes, closedAt } = await viewing;
      expect(bytes.subarray(0, 3).toString()).toBe('FLV');
      expect(closedAt - started).toBeLessThan(10_000); // cut, not the 15 s client timeout
    } finally {
      gateway.setPlayPolicy(undefined);
    }
  }, 30_000);

  it('stop() ends open wss:// and https:// viewers at once and frees the port', async () => {
    const urls = gateway.playUrls('cam.tls', 60);
    const viewing = collect(urls.wsFlv, 20_000);
    const open = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      request(urls.httpFlv, { rejectUnauthorized: false }, resolve).on('error', reject).end();
    });
    const httpsEnded = new Promise<void>((done) => open.on('close', done).resume());
    await new Promise((r) => setTimeout(r, 1500));
    const stopping = Date.now();
    await gateway.stop();
    const { bytes, closedAt } = await viewing;
    await httpsEnded;
    expect(bytes.subarray(0, 3).toString()).toBe('FLV');
    expect(closedAt - stopping).toBeLessThan(5000);
    expect(Date.now() - stopping).toBeLessThan(5000);
    const again = createLiveGateway({ httpPort, tls: { certFile, keyFile } });
    await again.start(); // the TLS port is free again
    await again.stop();
  }, 30_000);
});
