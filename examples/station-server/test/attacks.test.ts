/**
 * Attack tests of the station server (issue 24): each reproduces an attack that worked before its fix.
 * A fast server over memory storage and fake cameras (test/server-harness.ts); live-relay attacks are in
 * test/live-access.test.ts (they need real video).
 */
import { readFileSync } from 'node:fs';
import { createFakeCameraDriver } from '@wardwatch/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { UserStore } from '../src/auth/user-store.js';
import { createSessionStore } from '../src/auth/session-store.js';
import { Client, waitFor } from './http-client.js';
import { LOGINS } from './station-fixture.js';
import { startServerHarness, type ServerHarness } from './server-harness.js';

let h: ServerHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const auditOf = async (harness: ServerHarness, action: string) => (await harness.station.storage.audit.list()).filter((e) => e.action === action);

describe('7. login throttling', () => {
  it('stops one IP spraying many usernames, and sums the failures up in the audit log', async () => {
    h = await startServerHarness();
    const attacker = new Client(h.url);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await attacker.post('/api/auth/login', { username: `user${i}`, password: 'Password1!' })).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual(Array(10).fill(429));
    // a right password from that IP is refused too while the window lasts
    expect((await attacker.post('/api/auth/login', { username: 'duty', password: LOGINS['duty']!.password })).status).toBe(429);
    // only the first 5 failures are audited one by one: the attacker does not choose 30 audit entries
    expect((await auditOf(h, 'auth.login.failed')).map((e) => e.actor)).toEqual(['user0', 'user1', 'user2', 'user3', 'user4']);
    await h.server.close();
    const [summary, ...more] = await auditOf(h, 'auth.login.failed.summary');
    expect(more).toEqual([]);
    expect(summary?.details).toMatchObject({ ip: '127.0.0.1', failures: 25, distinctUsernames: 30 });
  });

  it('runs at most the configured number of password checks at once and refuses logins past the queue', async () => {
    let running = 0;
    let peak = 0;
    h = await startServerHarness({ passwordChecks: { concurrent: 1, queued: 2 }, loginIpRateLimit: { max: 1000, windowMs: 60_000 } });
    const users = h.users;
    const verify = users.verify.bind(users);
    const counted: UserStore['verify'] = async (username, password) => {
      running += 1;
      peak = Math.max(peak, running);
      try {
        return await verify(username, password);
      } finally {
        running -= 1;
      }
    };
    Object.assign(users, { verify: counted });
    const attempts = await Promise.all(Array.from({ length: 10 }, (_, i) => new Client(h!.url).post('/api/auth/login', { username: `spray${i}`, password: 'x' })));
    expect(peak).toBe(1);
    const codes = attempts.map((a) => a.json.error.code).sort();
    expect(codes.filter((c) => c === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(5);
    expect(codes.filter((c) => c === 'UNAUTHENTICATED').length).toBeGreaterThanOrEqual(1);
    // a legitimate user logs in once the spray is over
    await h.login('hh');
  });
});

describe('9. unbounded ffmpeg from snapshots', () => {
  it('grabs one snapshot per camera at a time, caches it briefly and rate-limits each user', async () => {
    const fake = createFakeCameraDriver();
    let grabs = 0;
    const driver = {
      ...fake,
      async connect(spec: Parameters<typeof fake.connect>[0]) {
        const session = await fake.connect(spec);
        return { ...session, snapshot: async () => (grabs++, await new Promise((r) => setTimeout(r, 200)), session.snapshot()) };
      },
    };
    h = await startServerHarness({ driver, snapshots: { cacheMs: 1000, perUser: { max: 25, windowMs: 60_000 } } });
    const hh = await h.login('hh');
    await waitFor('cam-b online', () => (h!.station.camera('cam-b')?.status.state === 'online' ? true : undefined), 10_000, 50);
    const answers = await Promise.all(Array.from({ length: 20 }, () => hh.get('/api/cameras/cam-b/snapshot')));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(grabs).toBe(1);
    const more = await Promise.all(Array.from({ length: 6 }, () => hh.get('/api/cameras/cam-b/snapshot')));
    expect(more.filter((a) => a.status === 429)).toHaveLength(1);
    expect(grabs).toBe(1);
    // another user is not limited by hh's count
    expect((await (await h.login('duty')).get('/api/cameras/cam-b/snapshot')).status).toBe(200);
  });
});

describe('10. investigation activity hidden from viewers', () => {
  it('does not show a household viewer evidence, hold or alert events of its own camera', async () => {
    h = await startServerHarness();
    const hh = await h.login('hh');
    const duty = await h.login('duty');
    const controller = new AbortController();
    const stream = await fetch(new URL('/api/events/stream', h.url), { headers: { cookie: hh.cookie }, signal: controller.signal });
    const reader = stream.body!.getReader();
    let text = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    })();
    const at = Date.now();
    h.station.emit({ type: 'evidence.exported', at, cameraId: 'cam-b', evidenceId: 'ev-1', from: at - 1000, to: at, operator: 'inv', incidentId: 'inc-7' } as never);
    h.station.emit({ type: 'hold.created', at, cameraId: 'cam-b', holdId: 'hold-1', from: at - 1000, to: at } as never);
    h.station.emit({ type: 'plate.alert', at, cameraId: 'cam-b', plate: '29A12345', caseId: 'VV-9' } as never);
    h.station.emit({ type: 'motion', at, cameraId: 'cam-b', score: 0.5 } as never);
    await waitFor('motion on the stream', () => (text.includes('"motion"') ? true : undefined), 5000, 50);
    controller.abort();
    await pump;
    expect(text).not.toMatch(/evidence\.exported|hold\.created|plate\.alert|ev-1|inc-7/);
    const history = await waitFor('stored events', async () => {
      const r = await duty.get('/api/events?cameraId=cam-b&limit=50');
      return r.json.items.some((e: { type: string }) => e.type === 'hold.created') ? r.json.items : undefined;
    }, 10_000, 100);
    expect(history.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['evidence.exported', 'hold.created', 'plate.alert', 'motion']));
    const seen = (await hh.get('/api/events?cameraId=cam-b&limit=50')).json.items.map((e: { type: string }) => e.type);
    expect(seen).toContain('motion');
    expect(seen.filter((t: string) => /^(evidence|hold)\.|alert$/.test(t))).toEqual([]);
  });
});

describe('11. cross-site request forgery', () => {
  it('refuses unsafe requests from another origin or site, and POSTs that are not JSON', async () => {
    h = await startServerHarness();
    const inv = await h.login('inv');
    const admin = await h.login('admin');
    const port = new URL(h.url).port;
    const evil = `http://127.0.0.1:${Number(port) + 1}`;
    const foreign = await admin.request('POST', '/api/users', { username: 'mallory', password: 'long-enough-pw', role: 'admin' }, { origin: evil });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.code).toBe('FORBIDDEN');
    const sameSite = await inv.request('POST', '/api/incidents', { title: 'x', category: 'theft', occurredAt: 1 }, { 'sec-fetch-site': 'same-site' });
    expect(sameSite.status).toBe(403);
    // an HTML form (no JSON) cannot create holds or anything else
    const form = await fetch(new URL('/api/holds/incident/inc-1', h.url), { method: 'POST', headers: { cookie: inv.cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const bare = await fetch(new URL('/api/auth/logout', h.url), { method: 'POST', headers: { cookie: inv.cookie } });
    expect(bare.status).toBe(415);
    // the hold route takes a (JSON) body like every other POST: a stray field is refused
    const extra = await inv.post('/api/holds/incident/inc-1', { cameraId: 'cam-a' });
    expect(extra.status).toBe(400);
    expect((await inv.get('/api/auth/me')).status).toBe(200);
    expect((await admin.get('/api/users')).json.items.map((u: { username: string }) => u.username)).not.toContain('mallory');
    // the dashboard's own requests pass
    const own = await admin.request('POST', '/api/users', { username: 'newcomer', password: 'long-enough-pw', role: 'duty-officer' }, { origin: h.url.replace(/\/$/, ''), 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(201);
  });
});

describe('12. headers, proxies and cookies', () => {
  it('sends a CSP and no HSTS over plain HTTP', async () => {
    h = await startServerHarness();
    const r = await new Client(h.url).get('/api/info');
    expect(r.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    expect(r.headers.get('strict-transport-security')).toBeNull();
    expect(r.headers.get('x-powered-by')).toBeNull();
  });

  it('sends HSTS over HTTPS', async () => {
    const cert = readFileSync(new URL('./fixtures/localhost-cert.pem', import.meta.url));
    const key = readFileSync(new URL('./fixtures/localhost-key.pem', import.meta.url));
    h = await startServerHarness({ https: { cert, key } });
    const { request } = await import('node:https');
    const hsts = await new Promise<string | undefined>((resolve, reject) => {
      request(new URL('/api/info', h!.url), { rejectUnauthorized: false }, (res) => {
        res.resume();
        resolve(res.headers['strict-transport-security'] as string | undefined);
      })
        .on('error', reject)
        .end();
    });
    expect(hsts).toMatch(/max-age=\d+/);
  });

  it('marks the session cookie Secure behind a TLS proxy (trustProxy) or when told to', async () => {
    h = await startServerHarness({ trustProxy: true });
    const proxied = await new Client(h.url).request('POST', '/api/auth/login', { username: 'duty', password: LOGINS['duty']!.password }, { 'x-forwarded-proto': 'https', 'x-forwarded-host': new URL(h.url).host });
    expect(proxied.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    await h.stop();
    h = await startServerHarness({ secureCookies: true });
    const told = await new Client(h.url).request('POST', '/api/auth/login', { username: 'duty', password: LOGINS['duty']!.password });
    expect(told.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });
});

describe('13. absolute session lifetime', () => {
  it('ends a session at its absolute lifetime however active it is', () => {
    let now = 0;
    const sessions = createSessionStore({ ttlMs: 60_000, maxLifetimeMs: 300_000, now: () => now });
    const { token, session } = sessions.create({ username: 'duty', role: 'duty-officer', createdAt: 0 });
    for (now = 30_000; now < 300_000; now += 30_000) expect(sessions.get(token)).toBeDefined();
    now = 300_000;
    expect(sessions.get(token)).toBeUndefined();
    expect(sessions.peek(session.id)).toBeUndefined();
  });
});

describe('14. camera hosts on link-local and metadata addresses', () => {
  it('refuses them when the deny-list is on', async () => {
    h = await startServerHarness({ denyCameraHosts: true });
    const admin = await h.login('admin');
    const metadata = await admin.post('/api/cameras', { name: 'Evil', onvifUrl: 'http://169.254.169.254/latest/meta-data', ownership: 'station', lat: 21, lon: 105 });
    expect(metadata.status).toBe(400);
    expect(metadata.json.error.details.problems[0].path).toBe('body.onvifUrl');
    const linkLocal = await admin.post('/api/cameras', { name: 'Evil', onvifUrl: 'http://[fe80::1]/onvif/device_service', ownership: 'station', lat: 21, lon: 105 });
    expect(linkLocal.status).toBe(400);
    const google = await admin.post('/api/cameras', { name: 'Evil', onvifUrl: 'http://metadata.google.internal/', ownership: 'station', lat: 21, lon: 105 });
    expect(google.status).toBe(400);
    expect(h.station.camera('evil')).toBeUndefined();
    // an ordinary camera is still added
    const spec = { id: 'shop', name: 'Shop', site: { ward: 'W', station: 'S' }, location: { lat: 21, lon: 105 }, ownership: 'business', driver: 'fake' };
    const denied = await admin.post('/api/cameras', { spec: { ...spec, connection: { host: '169.254.10.1' } } });
    expect(denied.json.error.details.problems[0].path).toBe('body.spec.connection.host');
    const ok = await admin.post('/api/cameras', { spec: { ...spec, connection: { host: '192.0.2.10' } } });
    expect(ok.status).toBe(201);
  });
});
