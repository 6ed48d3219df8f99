import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvidencePackage } from '@wardwatch/core';
import { Client, waitFor } from './http-client.js';
import { LOGINS, startFixture, type StationFixture } from './station-fixture.js';

let fx: StationFixture;
const as: Record<string, Client> = {};

async function auditActions(action: string): Promise<Array<{ actor: string; action: string; target?: string; details?: Record<string, unknown> }>> {
  const r = await as['admin']!.get(`/api/audit?action=${encodeURIComponent(action)}&limit=1000`);
  expect(r.status).toBe(200);
  return r.json.items;
}

beforeAll(async () => {
  fx = await startFixture();
  for (const [name, l] of Object.entries(LOGINS)) {
    as[name] = new Client(fx.url);
    await as[name]!.login(name, l.password);
  }
  await waitFor('both cameras online', async () => {
    const r = await as['admin']!.get('/api/cameras');
    return r.json.items.length === 2 && r.json.items.every((c: any) => c.status.state === 'online') ? true : undefined;
  });
}, 90_000);

afterAll(async () => {
  await fx?.stop();
}, 60_000);

describe('auth', () => {
  it('rejects requests without a session and wrong passwords, and audits logins', async () => {
    const anon = new Client(fx.url);
    const r = await anon.get('/api/cameras');
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe('UNAUTHENTICATED');

    const bad = await anon.post('/api/auth/login', { username: 'duty', password: 'not-the-password' });
    expect(bad.status).toBe(401);
    expect(bad.json.error.code).toBe('UNAUTHENTICATED');
    expect(anon.cookie).toBe('');

    const failed = await auditActions('auth.login.failed');
    expect(failed.some((e) => e.actor === 'duty')).toBe(true);
    const ok = await auditActions('auth.login');
    expect(ok.map((e) => e.actor)).toEqual(expect.arrayContaining(['admin', 'duty', 'inv', 'hh']));
  });

  it('sets an httpOnly session cookie and ends the session at logout', async () => {
    const c = new Client(fx.url);
    const login = await c.login('inv', LOGINS['inv']!.password);
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(login.json.user).toEqual(expect.objectContaining({ username: 'inv', role: 'investigator' }));
    expect(login.json.user.passwordHash).toBeUndefined();
    const me = (await c.get('/api/auth/me')).json;
    expect(me.user.username).toBe('inv');
    expect(me.permissions).toEqual(expect.arrayContaining(['exports.create', 'incidents.manage']));
    expect(me.permissions).not.toContain('users.manage');
    const cookie = c.cookie;
    await c.post('/api/auth/logout');
    const after = new Client(fx.url);
    after.cookie = cookie;
    expect((await after.get('/api/auth/me')).status).toBe(401);
  });

  it('rate-limits login attempts per IP and username', async () => {
    const c = new Client(fx.url);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await c.post('/api/auth/login', { username: 'mallory', password: `guess-${i}` })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const limited = await c.post('/api/auth/login', { username: 'mallory', password: 'again' });
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('RATE_LIMITED');
    // Another username from the same IP is not blocked.
    expect((await c.post('/api/auth/login', { username: 'trudy', password: 'x' })).status).toBe(401);
    expect((await auditActions('auth.login.rate-limited')).some((e) => e.actor === 'mallory')).toBe(true);
  });
});

describe('roles', () => {
  it('shows a household viewer only its own cameras', async () => {
    const list = await as['hh']!.get('/api/cameras');
    expect(list.status).toBe(200);
    expect(list.json.items.map((c: any) => c.id)).toEqual(['cam-b']);
    expect((await as['hh']!.get('/api/cameras/cam-a')).status).toBe(404);
    expect((await as['hh']!.get('/api/cameras/cam-a/snapshot')).status).toBe(404);
    expect((await as['hh']!.get('/api/cameras/cam-b')).status).toBe(200);
    expect((await as['hh']!.get('/api/cameras/cam-a/live')).status).toBe(404);
    expect((await as['hh']!.get(`/api/cameras/cam-a/recordings?from=0&to=1000`)).status).toBe(404);
    expect((await as['hh']!.get('/api/events?cameraId=cam-a')).status).toBe(404);
    const all = await as['duty']!.get('/api/cameras');
    expect(all.json.items.map((c: any) => c.id)).toEqual(['cam-a', 'cam-b']);
  });

  it('enforces each role on incidents, exports, cameras, users and audit', async () => {
    const cases: Array<[string, string, string, unknown, number]> = [
      ['hh', 'GET', '/api/incidents', undefined, 403],
      ['hh', 'POST', '/api/exports', { cameraId: 'cam-b', from: 1, to: 2 }, 403],
      ['duty', 'POST', '/api/exports', { cameraId: 'cam-a', from: 1, to: 2 }, 403],
      ['duty', 'GET', '/api/reports/incidents', undefined, 403],
      ['inv', 'POST', '/api/cameras/cam-a/ptz', { action: 'stop' }, 403],
      ['inv', 'POST', '/api/cameras', { name: 'x', onvifUrl: 'http://127.0.0.1:1/onvif/device_service', ownership: 'station', lat: 1, lon: 1 }, 403],
      ['duty', 'GET', '/api/users', undefined, 403],
      ['inv', 'GET', '/api/audit', undefined, 403],
      ['inv', 'GET', '/api/reports/incidents', undefined, 200],
      ['duty', 'GET', '/api/incidents', undefined, 200],
      ['admin', 'GET', '/api/users', undefined, 200],
    ];
    for (const [who, method, path, body, expected] of cases) {
      const r = await as[who]!.request(method, path, body);
      expect({ who, method, path, status: r.status }).toEqual({ who, method, path, status: expected });
      if (expected === 403) expect(r.json.error.code).toBe('FORBIDDEN');
    }
  });

  it('lets the admin create users with validated fields', async () => {
    const weak = await as['admin']!.post('/api/users', { username: 'newbie', password: 'short', role: 'duty-officer' });
    expect(weak.status).toBe(400);
    expect(weak.json.error.code).toBe('INVALID_ARGUMENT');
    expect(weak.json.error.message).toMatch(/password/);
    const viewerWithoutOwner = await as['admin']!.post('/api/users', { username: 'owner-less', password: 'long-enough-pw', role: 'viewer' });
    expect(viewerWithoutOwner.status).toBe(400);
    expect(viewerWithoutOwner.json.error.message).toMatch(/owner/);
    const created = await as['admin']!.post('/api/users', { username: 'newbie', password: 'long-enough-pw', role: 'duty-officer' });
    expect(created.status).toBe(201);
    const dup = await as['admin']!.post('/api/users', { username: 'newbie', password: 'long-enough-pw', role: 'duty-officer' });
    expect(dup.status).toBe(409);
    expect(dup.json.error.code).toBe('ALREADY_EXISTS');
    await new Client(fx.url).login('newbie', 'long-enough-pw');
  });
});

describe('validation', () => {
  it('names every bad field of a request', async () => {
    const r = await as['duty']!.post('/api/incidents', { category: 'theft', occurredAt: -5, extra: 1 });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('INVALID_ARGUMENT');
    const paths = r.json.error.details.problems.map((p: any) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['body.title', 'body.occurredAt', 'body.extra']));
  });

  it('rejects unknown incident categories, bad ranges and bad camera URLs with coded errors', async () => {
    const cat = await as['duty']!.post('/api/incidents', { title: 'X', category: 'alien-landing', occurredAt: Date.now() });
    expect(cat.status).toBe(400);
    expect(cat.json.error.code).toBe('INVALID_CONFIG');
    expect(cat.json.error.message).toMatch(/category/);
    const range = await as['inv']!.get(`/api/cameras/cam-a/recordings?from=${Date.now()}&to=${Date.now() - 1000}`);
    expect(range.status).toBe(400);
    expect(range.json.error.message).toMatch(/to/);
    const url = await as['admin']!.post('/api/cameras', { name: 'Bad', onvifUrl: 'ftp://nowhere', ownership: 'station', lat: 21, lon: 105 });
    expect(url.status).toBe(400);
    expect(url.json.error.details.problems[0].path).toBe('body.onvifUrl');
    const lat = await as['admin']!.post('/api/cameras', { name: 'Bad', onvifUrl: 'http://127.0.0.1:9/onvif/device_service', ownership: 'station', lat: 123, lon: 105 });
    expect(lat.status).toBe(400);
    expect(lat.json.error.details.problems.map((p: any) => p.path)).toContain('body.lat');
  });

  it('answers unknown routes and ids with NOT_FOUND', async () => {
    expect((await as['admin']!.get('/api/nope')).json.error.code).toBe('NOT_FOUND');
    expect((await as['admin']!.get('/api/incidents/missing')).status).toBe(404);
    expect((await as['admin']!.get('/api/cameras/missing')).status).toBe(404);
  });
});

describe('cameras, events and health', () => {
  it('discovers ONVIF cameras, adds one by its device URL, then removes it', async () => {
    const found = await as['admin']!.post('/api/cameras/discover', { timeoutMs: 1500 });
    expect(found.status).toBe(200);
    const a = fx.sim.camera('cam-a');
    const hit = found.json.items.find((d: any) => d.port === a.onvifPort);
    expect(hit).toBeDefined();
    expect(hit.added).toBe(true);
    expect(hit.xaddrs[0]).toBe(a.onvifUrl);

    const added = await as['admin']!.post('/api/cameras', {
      id: 'cam-a-2',
      name: 'Cam A (second profile)',
      onvifUrl: a.onvifUrl,
      username: a.username,
      password: a.password,
      ownership: 'business',
      owner: 'shop-1',
      lat: 21.031,
      lon: 105.851,
    });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ id: 'cam-a-2', driver: 'onvif', port: a.onvifPort, ownership: 'business' });
    expect(JSON.stringify(added.json)).not.toContain(a.password);
    await waitFor('added camera online', async () => {
      const r = await as['admin']!.get('/api/cameras/cam-a-2');
      return r.json.status.state === 'online' ? true : undefined;
    }, 40_000);
    const dup = await as['admin']!.post('/api/cameras', { id: 'cam-a-2', name: 'X', onvifUrl: a.onvifUrl, ownership: 'station', lat: 1, lon: 1 });
    expect(dup.status).toBe(409);
    // Rename and move it (admin only).
    expect((await as['duty']!.request('PATCH', '/api/cameras/cam-a-2', { name: 'X' })).status).toBe(403);
    const patched = await as['admin']!.request('PATCH', '/api/cameras/cam-a-2', { name: 'Cửa hàng số 1', lat: 21.0305 });
    expect(patched.status).toBe(200);
    expect(patched.json.name).toBe('Cửa hàng số 1');
    expect(patched.json.location).toMatchObject({ lat: 21.0305, lon: 105.851 });
    expect((await as['admin']!.request('PATCH', '/api/cameras/cam-a-2', {})).status).toBe(400);
    expect((await auditActions('camera.update')).some((e) => e.target === 'camera:cam-a-2')).toBe(true);
    expect((await as['admin']!.request('DELETE', '/api/cameras/cam-a-2')).status).toBe(204);
    expect((await as['admin']!.get('/api/cameras')).json.items.map((c: any) => c.id)).toEqual(['cam-a', 'cam-b']);
    expect((await auditActions('camera.add')).some((e) => e.target === 'camera:cam-a-2')).toBe(true);
  }, 60_000);

  it('returns a JPEG snapshot and audits it', async () => {
    const r = await as['duty']!.get('/api/cameras/cam-a/snapshot');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/jpeg');
    expect([...r.bytes.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect((await auditActions('camera.snapshot')).some((e) => e.actor === 'duty' && e.target === 'camera:cam-a')).toBe(true);
  });

  it('moves a PTZ camera and refuses PTZ on a fixed one', async () => {
    const before = fx.sim.camera('cam-a').ptzPosition();
    const r = await as['duty']!.post('/api/cameras/cam-a/ptz', { action: 'absolute', pan: 0.5, tilt: -0.25, zoom: 0.5 });
    expect(r.status).toBe(200);
    await waitFor('PTZ moved', () => (fx.sim.camera('cam-a').ptzPosition().pan !== before.pan ? true : undefined), 10_000);
    expect(fx.sim.camera('cam-a').ptzPosition().pan).toBeCloseTo(0.5, 1);
    const fixed = await as['duty']!.post('/api/cameras/cam-b/ptz', { action: 'stop' });
    expect(fixed.status).toBe(501);
    expect(fixed.json.error.code).toBe('CAMERA_UNSUPPORTED');
    const badAction = await as['duty']!.post('/api/cameras/cam-a/ptz', { action: 'spin' });
    expect(badAction.status).toBe(400);
  });

  it('streams camera.status over SSE when a camera stalls and recovers, and lists it for repair', async () => {
    const controller = new AbortController();
    const response = await fetch(new URL('/api/events/stream', fx.url), { headers: { cookie: as['duty']!.cookie }, signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const seen: any[] = [];
    const pump = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let index: number;
          while ((index = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, index);
            buffer = buffer.slice(index + 2);
            const data = block.split('\n').find((l) => l.startsWith('data: '));
            if (data) seen.push(JSON.parse(data.slice(6)));
          }
        }
      } catch {
        // aborted
      }
    })();
    try {
      fx.sim.camera('cam-b').stall();
      const offline = await waitFor('offline event', () => seen.find((e) => e.type === 'camera.status' && e.cameraId === 'cam-b' && e.status.state === 'offline'), 20_000);
      expect(offline.status.cause).toBeTruthy();
      const health = await as['duty']!.get('/api/health');
      expect(health.json.needingRepair.map((c: any) => c.id)).toContain('cam-b');
      const entry = health.json.needingRepair.find((c: any) => c.id === 'cam-b');
      expect(entry.since).toBe(offline.status.since);
      expect(entry.cause).toBe(offline.status.cause);
      fx.sim.camera('cam-b').resume();
      await waitFor('online again', () => seen.find((e) => e.type === 'camera.status' && e.cameraId === 'cam-b' && e.status.state === 'online' && e.at > offline.at), 45_000);
      const stored = await as['duty']!.get('/api/events?cameraId=cam-b&types=camera.status&limit=50');
      expect(stored.json.items.some((e: any) => e.status.state === 'offline')).toBe(true);
    } finally {
      fx.sim.camera('cam-b').resume();
      controller.abort();
      await pump;
    }
  }, 90_000);

  it('streams only its own cameras to a household viewer', async () => {
    const r = await as['hh']!.get('/api/events?limit=200');
    expect(r.status).toBe(200);
    expect(r.json.items.length).toBeGreaterThan(0);
    expect(r.json.items.every((e: any) => e.cameraId === 'cam-b')).toBe(true);
  });

  it('reports health with uptime', async () => {
    const r = await as['inv']!.get('/api/health');
    expect(r.status).toBe(200);
    expect(r.json.cameras).toHaveLength(2);
    for (const c of r.json.cameras) expect(c.uptime.ratio).toBeGreaterThan(0);
  });

  it('answers live requests clearly when no relay runs', async () => {
    const r = await as['duty']!.get('/api/cameras/cam-a/live');
    expect(r.status).toBe(200);
    expect(r.json.available).toBe(false);
    expect(r.json.reason).toMatch(/relay/);
  });
});

describe('recordings and exports', () => {
  it('lists segments and gaps, plays back from a time with HTTP ranges, and audits playback', async () => {
    const segs = await waitFor('3 segments', async () => {
      const now = Date.now();
      const r = await as['inv']!.get(`/api/cameras/cam-a/recordings?from=${now - 600_000}&to=${now}`);
      return r.json.segments.length >= 3 ? r.json : undefined;
    }, 40_000);
    expect(segs.segments[0].start).toBeLessThan(segs.segments[1].start);
    expect(segs.gaps[0].from).toBe(segs.from);
    const at = segs.segments[1].start + 500;
    const play = await as['inv']!.get(`/api/cameras/cam-a/playback?at=${at}`);
    expect(play.status).toBe(200);
    expect(play.json.segment.start).toBe(segs.segments[1].start);
    expect(play.json.offsetMs).toBe(500);
    const file = await as['inv']!.get(play.json.url, { range: 'bytes=0-99' });
    expect(file.status).toBe(206);
    expect(file.bytes.length).toBe(100);
    expect(file.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect((await auditActions('recording.playback')).some((e) => e.actor === 'inv' && e.target === 'camera:cam-a')).toBe(true);
    expect((await new Client(fx.url).get(play.json.url)).status).toBe(401);
    const none = await as['inv']!.get(`/api/cameras/cam-a/playback?at=${Date.now() + 3_600_000}`);
    expect(none.status).toBe(404);
    expect(none.json.error.code).toBe('RECORDING_UNAVAILABLE');
  }, 60_000);

  it('exports a clip with progress, downloads it and audits both', async () => {
    const latest = await waitFor('segments', async () => {
      const now = Date.now();
      const r = await as['inv']!.get(`/api/cameras/cam-a/recordings?from=${now - 600_000}&to=${now}`);
      return r.json.segments.length >= 3 ? r.json.segments : undefined;
    }, 40_000);
    const from = latest[0].start + 200;
    const to = latest[latest.length - 1].end - 200;
    const started = await as['inv']!.post('/api/exports', { cameraId: 'cam-a', from, to, reason: 'test' });
    expect(started.status).toBe(202);
    expect(started.json.state).toBe('running');
    const done = await waitFor('export done', async () => {
      const r = await as['inv']!.get(`/api/exports/${started.json.id}`);
      return r.json.state === 'running' ? undefined : r.json;
    }, 30_000);
    expect(done.state).toBe('done');
    expect(done.progress).toBe(1);
    expect(done.result.sha256).toMatch(/^[0-9a-f]{64}$/);
    const file = await as['inv']!.get(`/api/exports/${started.json.id}/download`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/attachment/);
    expect(file.bytes.length).toBe(done.result.bytes);
    expect(file.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const creates = await auditActions('export.create');
    expect(creates.some((e) => e.actor === 'inv' && e.details?.['exportId'] === started.json.id)).toBe(true);
    expect((await auditActions('export.download')).some((e) => e.actor === 'inv')).toBe(true);
    expect((await as['hh']!.get(`/api/exports/${started.json.id}`)).status).toBe(403);
  }, 60_000);
});

describe('evidence routes mounted on the server', () => {
  it('exports an evidence package as an investigator, guarded by roles', async () => {
    const segs = await waitFor('segments', async () => {
      const now = Date.now();
      const r = await as['inv']!.get(`/api/cameras/cam-a/recordings?from=${now - 600_000}&to=${now}`);
      return r.json.segments.length >= 2 ? r.json.segments : undefined;
    }, 40_000);
    const body = { kind: 'evidence', cameraId: 'cam-a', from: segs[0].start + 100, to: segs[1].end - 100, reason: 'Yêu cầu của cơ quan điều tra' };
    expect((await as['duty']!.post('/api/exports', body)).status).toBe(403);
    expect((await as['hh']!.get('/api/evidence')).status).toBe(403);
    const started = await as['inv']!.post('/api/exports', body);
    expect(started.status).toBeLessThan(300);
    const jobId = started.json.id;
    const job = await waitFor('evidence job', async () => {
      const r = await as['inv']!.get(`/api/exports/${jobId}`);
      return r.json.state === 'running' ? undefined : r.json;
    }, 40_000);
    expect(job.state).toBe('done');
    const list = await as['duty']!.get('/api/evidence');
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.json)).toContain(job.evidenceId);

    // The server exports with the service's default zip mode (on demand): the folder only, listed without a zip.
    const id = job.evidenceId as string;
    const zipPath = join(fx.dataDir, 'evidence', `${id}.zip`);
    expect(existsSync(join(fx.dataDir, 'evidence', id, 'manifest.json'))).toBe(true);
    expect(existsSync(zipPath)).toBe(false);
    expect(list.json.items.find((r: { id: string }) => r.id === id)).toMatchObject({ id, zipReady: false });
    const zipAudits = async () => (await auditActions('evidence.zip')).filter((e) => e.target === id);
    expect(await zipAudits()).toEqual([]);

    // The first download writes it (audited once as evidence.zip by who downloaded), and it verifies.
    const first = await as['duty']!.get(`/api/evidence/${id}/download`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/zip');
    const written = statSync(zipPath);
    expect(first.bytes.length).toBe(written.size);
    expect(first.bytes.equals(readFileSync(zipPath))).toBe(true);
    const key = (await as['duty']!.get('/api/evidence/public-key')).bytes.toString('utf8');
    const saved = join(fx.dataDir, 'downloaded-evidence.zip');
    writeFileSync(saved, first.bytes);
    const offline = await verifyEvidencePackage(saved, { publicKey: key });
    expect(offline.ok).toBe(true);
    expect(offline.kind).toBe('zip');
    expect(offline.manifest?.id).toBe(id);
    expect(await zipAudits()).toMatchObject([{ actor: 'duty', target: id, details: { bytes: written.size, fromVerifiedFolder: true } }]);
    expect((await as['duty']!.get(`/api/evidence/${id}`)).json).toMatchObject({ id, zipReady: true });

    // A second download serves the same file without rewriting it; verify-by-zip does not rewrite it either.
    const second = await as['inv']!.get(`/api/evidence/${id}/download`);
    expect(second.status).toBe(200);
    expect(second.bytes.equals(first.bytes)).toBe(true);
    const verified = await as['inv']!.post(`/api/evidence/${id}/verify`, { zip: true });
    expect(verified.json).toMatchObject({ ok: true, kind: 'zip' });
    const after = statSync(zipPath);
    expect([after.ino, after.mtimeMs, after.size]).toEqual([written.ino, written.mtimeMs, written.size]);
    expect(await zipAudits()).toHaveLength(1);
    const downloads = (await auditActions('evidence.download')).filter((e) => e.target === id).map((e) => e.actor);
    expect(downloads.sort()).toEqual(['duty', 'inv']);
  }, 60_000);
});

describe('incidents and reports', () => {
  it('runs an incident through its workflow with linked ranges and outcome, and reports it', async () => {
    const now = Date.now();
    const created = await as['duty']!.post('/api/incidents', {
      title: 'Cướp giật điện thoại',
      category: 'snatching-robbery',
      occurredAt: now - 60_000,
      ranges: [{ cameraId: 'cam-a', from: now - 120_000, to: now - 30_000 }],
    });
    expect(created.status).toBe(201);
    const id = created.json.id;
    expect(created.json.status).toBe('open');
    const linked = await as['inv']!.post(`/api/incidents/${id}/ranges`, { cameraId: 'cam-b', from: now - 60_000, to: now });
    expect(linked.json.ranges).toHaveLength(2);
    const unknownCam = await as['inv']!.post(`/api/incidents/${id}/ranges`, { cameraId: 'cam-zz', from: now - 60_000, to: now });
    expect(unknownCam.status).toBe(400);
    expect((await as['inv']!.post(`/api/incidents/${id}/status`, { status: 'investigating' })).json.status).toBe('investigating');
    expect((await as['inv']!.post(`/api/incidents/${id}/outcome`, { outcome: 'administrative-fine' })).json.outcome).toBe('administrative-fine');
    const resolved = await as['inv']!.post(`/api/incidents/${id}/status`, { status: 'resolved', note: 'fined' });
    expect(resolved.json.history.map((h: any) => h.status)).toEqual(['open', 'investigating', 'resolved']);
    const closed = await as['inv']!.post(`/api/incidents/${id}/status`, { status: 'closed' });
    expect(closed.json.status).toBe('closed');
    const reopen = await as['inv']!.post(`/api/incidents/${id}/status`, { status: 'open' });
    expect(reopen.status).toBe(409);
    expect(reopen.json.error.code).toBe('INVALID_STATE');
    const report = await as['inv']!.get('/api/reports/incidents?period=month');
    expect(report.json.totals.byCategory['snatching-robbery']).toBeGreaterThanOrEqual(1);
    expect(report.json.totals.byOutcome['administrative-fine']).toBeGreaterThanOrEqual(1);
    expect(report.json.totals.byOwnership.household).toBeGreaterThanOrEqual(1);
    const list = await as['duty']!.get('/api/incidents?status=closed');
    expect(list.json.items.map((i: any) => i.id)).toContain(id);
  });
});

describe('OpenAPI', () => {
  it('serves an OpenAPI 3 document describing the API at /api/docs', async () => {
    const doc = await new Client(fx.url).get('/api/docs/json');
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toMatch(/^3\./);
    for (const path of ['/api/auth/login', '/api/cameras', '/api/cameras/{id}/snapshot', '/api/cameras/{id}/ptz', '/api/cameras/{id}/recordings', '/api/cameras/{id}/playback', '/api/events', '/api/events/stream', '/api/incidents', '/api/exports', '/api/reports/incidents', '/api/health']) {
      expect(Object.keys(doc.json.paths)).toContain(path);
    }
    expect(doc.headers.get('x-content-type-options')).toBe('nosniff');
    const ui = await new Client(fx.url).get('/api/docs');
    expect([200, 302]).toContain(ui.status);
  });
});
