/**
 * Live views are tied to the session that asked for them (issue 24, item 8) and the relay sends no wildcard CORS
 * or X-Powered-By (item 12): real relay, real recording processes publishing simulator cameras.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, waitFor, waitForCamerasOnline } from './http-client.js';
import { LOGINS, startFixture, type StationFixture } from './station-fixture.js';

let fx: StationFixture;
let admin: Client;

beforeAll(async () => {
  fx = await startFixture({ live: true });
  admin = new Client(fx.url);
  await admin.login('admin', LOGINS['admin']!.password);
  await waitForCamerasOnline(admin);
}, 120_000);
afterAll(async () => {
  await fx?.stop();
}, 60_000);

/** Opens the HTTP-FLV twin of a live URL and counts the bytes it streams; `ended` resolves when the relay cuts it. */
async function play(wsUrl: string): Promise<{ status: number; headers: Headers; bytes: () => number; ended: Promise<void>; stop(): void }> {
  const controller = new AbortController();
  const response = await fetch(wsUrl.replace(/^ws/, 'http'), { signal: controller.signal });
  let count = 0;
  const reader = response.body!.getReader();
  const ended = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      count += value?.length ?? 0;
    }
  })();
  return { status: response.status, headers: response.headers, bytes: () => count, ended, stop: () => controller.abort() };
}

/** A fresh viewer login owning cam-b, and a live URL of cam-b streaming to it. */
async function viewerStreaming(username: string): Promise<{ client: Client; view: Awaited<ReturnType<typeof play>>; url: string }> {
  const client = new Client(fx.url);
  await client.login(username, 'viewer-password-1');
  const url = await waitFor('live URL', async () => {
    const r = await client.get('/api/cameras/cam-b/live');
    return r.json.available ? (r.json.url as string) : undefined;
  }, 30_000);
  const view = await play(url);
  await waitFor('video bytes', () => (view.bytes() > 1000 ? true : undefined), 20_000, 100);
  return { client, view, url };
}

/** Whether a view is cut within a few seconds. */
async function cut(view: { ended: Promise<void> }): Promise<boolean> {
  return Promise.race([view.ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 8000))]);
}

describe('live views tied to the session', () => {
  it('cuts an open view at logout, and the URL taken before cannot start again', async () => {
    await admin.post('/api/users', { username: 'viewer1', password: 'viewer-password-1', role: 'viewer', owner: 'household-b' });
    const { client, view, url } = await viewerStreaming('viewer1');
    expect(view.status).toBe(200);
    expect(view.headers.get('access-control-allow-origin')).toBeNull();
    expect(view.headers.get('x-powered-by')).toBeNull();
    await client.post('/api/auth/logout');
    expect(await cut(view)).toBe(true);
    const again = await play(url);
    const before = again.bytes();
    expect(await cut(again)).toBe(true);
    expect(again.bytes() - before).toBeLessThan(1000);
  }, 90_000);

  it('cuts an open view when the user is removed', async () => {
    await admin.post('/api/users', { username: 'viewer2', password: 'viewer-password-1', role: 'viewer', owner: 'household-b' });
    const { view } = await viewerStreaming('viewer2');
    expect((await admin.request('DELETE', '/api/users/viewer2')).status).toBe(204);
    expect(await cut(view)).toBe(true);
  }, 90_000);

  it('cuts an open view when the camera is given to another owner', async () => {
    await admin.post('/api/users', { username: 'viewer3', password: 'viewer-password-1', role: 'viewer', owner: 'household-b' });
    const { view } = await viewerStreaming('viewer3');
    try {
      expect((await admin.request('PATCH', '/api/cameras/cam-b', { owner: 'household-c' })).status).toBe(200);
      expect(await cut(view)).toBe(true);
    } finally {
      await admin.request('PATCH', '/api/cameras/cam-b', { owner: 'household-b' });
    }
  }, 90_000);
});
