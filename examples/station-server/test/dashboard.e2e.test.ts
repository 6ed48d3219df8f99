import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvidencePackage } from '@wardwatch/core';
import { buildDashboard } from '../src/runtime/build-dashboard.js';
import { ARTIFACTS, launchChromium } from './browser.js';
import { Client, waitFor, waitForCamerasOnline } from './http-client.js';
import { LOGINS, startFixture, type StationFixture } from './station-fixture.js';

let fx: StationFixture;
let browser: Browser;
let page: Page;

/** currentTime of each wall tile's video, by camera id. */
async function tileTimes(p: Page): Promise<Record<string, number>> {
  return p.$$eval('.tile video', (videos) => Object.fromEntries(videos.map((v) => [(v as HTMLVideoElement).dataset['cameraId'], (v as HTMLVideoElement).currentTime])));
}

beforeAll(async () => {
  const webRoot = await buildDashboard();
  fx = await startFixture({ live: true, webRoot });
  const api = new Client(fx.url);
  await api.login('admin', LOGINS['admin']!.password);
  await waitForCamerasOnline(api);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, acceptDownloads: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fx?.stop();
}, 60_000);

describe('dashboard in headless Chromium', () => {
  it('logs in and plays live video in every tile of the wall', async () => {
    await page.goto(fx.url);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', LOGINS['admin']!.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('.tile[data-camera-id=cam-a]', { timeout: 20_000 });
    await page.click('button[data-layout="4"]');
    // Video time advances in each tile.
    const first = await waitFor('every tile playing', async () => {
      const times = await tileTimes(page);
      return Object.keys(times).length === 2 && Object.values(times).every((t) => t > 0) ? times : undefined;
    }, 40_000, 500);
    await page.waitForTimeout(2000);
    const later = await tileTimes(page);
    for (const id of ['cam-a', 'cam-b']) expect(later[id]!).toBeGreaterThan(first[id]!);
    await page.screenshot({ path: join(ARTIFACTS, 'wall.png') });
  }, 90_000);

  it('hands the browser signed, expiring live URLs and audits each live view', async () => {
    const api = new Client(fx.url);
    await api.login('admin', LOGINS['admin']!.password);
    const live = await api.get('/api/cameras/cam-a/live');
    expect(live.json.available).toBe(true);
    const url = new URL(live.json.url);
    expect(url.protocol).toBe('ws:');
    expect(url.searchParams.get('sig')).toBeTruthy();
    expect(Number(url.searchParams.get('exp')) * 1000).toBeGreaterThan(Date.now());
    expect(live.json.expiresAt).toBeLessThanOrEqual(Date.now() + 301_000);
    const audit = await api.get('/api/audit?action=live.view&limit=1000');
    // The wall opened both tiles as admin in the browser.
    expect(new Set(audit.json.items.filter((e: any) => e.actor === 'admin').map((e: any) => e.target))).toEqual(new Set(['camera:cam-a', 'camera:cam-b']));
  });

  it('shows a stalled camera offline on its tile and in the list, then recovers', async () => {
    const stalledAt = Date.now();
    fx.sim.camera('cam-b').stall();
    try {
      await page.waitForSelector('.tile[data-camera-id=cam-b][data-state=offline]', { timeout: 20_000 });
      const tileOfflineMs = Date.now() - stalledAt;
      console.log(`tile offline ${tileOfflineMs} ms after the stall`);
      await page.screenshot({ path: join(ARTIFACTS, 'wall-offline.png') });
      await page.click('a[data-nav=cameras]');
      await page.waitForSelector('tr[data-camera-id=cam-b][data-state=offline]', { timeout: 10_000 });
      await page.waitForSelector('[data-testid=repair-list] li[data-camera-id=cam-b]', { timeout: 10_000 });
      await page.screenshot({ path: join(ARTIFACTS, 'cameras-offline.png') });
    } finally {
      fx.sim.camera('cam-b').resume();
    }
    await page.waitForSelector('tr[data-camera-id=cam-b][data-state=online]', { timeout: 45_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'cameras.png') });
    await page.click('a[data-nav=wall]');
    await page.waitForSelector('.tile[data-camera-id=cam-b][data-state=online]', { timeout: 20_000 });
    const before = await waitFor('cam-b playing again', async () => {
      const t = (await tileTimes(page))['cam-b'];
      return t !== undefined && t > 0 ? t : undefined;
    }, 40_000, 500);
    await page.waitForTimeout(1500);
    expect((await tileTimes(page))['cam-b']!).toBeGreaterThan(before);
  }, 120_000);

  it('shows a camera page with snapshot, timeline and playback', async () => {
    await page.goto(`${fx.url}#/camera/cam-a`);
    await page.waitForSelector('[data-testid=timeline] .seg', { timeout: 20_000 });
    await page.waitForFunction(() => (document.querySelector('img.snapshot') as HTMLImageElement | null)?.naturalWidth ?? 0 > 0, undefined, { timeout: 15_000 });
    const seg = await page.$eval('[data-testid=timeline]', (el) => Number((el as HTMLElement).dataset['segments']));
    expect(seg).toBeGreaterThan(0);
    // Play from 10 s ago.
    const t = new Date(Date.now() - 10_000);
    const hhmmss = [t.getHours(), t.getMinutes(), t.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
    await page.fill('input[type=time]', hhmmss);
    await page.click('button[data-action=play]');
    await page.waitForFunction(() => {
      const v = document.querySelector('[data-testid=playback]') as HTMLVideoElement | null;
      return v !== null && v.readyState >= 2 && v.currentTime > 0;
    }, undefined, { timeout: 20_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'camera.png') });
  }, 60_000);

  it('exports a clip with progress and downloads it', async () => {
    await page.click('a[data-nav=exports]');
    await page.waitForSelector('[data-testid=export-form]');
    const toLocal = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    const now = Date.now();
    await page.selectOption('select[name=cameraId]', 'cam-a');
    await page.fill('input[name=from]', toLocal(now - 12_000));
    await page.fill('input[name=to]', toLocal(now - 4_000));
    await page.click('[data-testid=export-form] button[type=submit]');
    await page.waitForSelector('tr[data-export-id][data-kind=clip] [data-testid=export-progress]', { timeout: 10_000 });
    await page.waitForSelector('tr[data-export-id][data-kind=clip][data-state=done] a[data-action=download]', { timeout: 30_000 });
    const progress = await page.$eval('tr[data-export-id][data-kind=clip][data-state=done] [data-testid=export-progress]', (el) => (el as HTMLProgressElement).value);
    expect(progress).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'exports.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('tr[data-export-id][data-kind=clip][data-state=done] a[data-action=download]')]);
    const saved = join(ARTIFACTS, 'export.mp4');
    await download.saveAs(saved);
    expect(statSync(saved).size).toBeGreaterThan(1000);
  }, 60_000);

  it('exports a signed evidence package from the same form', async () => {
    const toLocal = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    const now = Date.now();
    await page.fill('input[name=from]', toLocal(now - 12_000));
    await page.fill('input[name=to]', toLocal(now - 4_000));
    await page.check('[data-testid=as-evidence]');
    await page.fill('input[name=reason]', 'Công văn số 12/CAP');
    await page.click('[data-testid=export-form] button[type=submit]');
    await page.waitForSelector('tr[data-export-id][data-kind=evidence][data-state=done] a[data-action=download]', { timeout: 40_000 });
    // The station writes the .zip on demand: none yet, and the listing says so.
    const api = new Client(fx.url);
    await api.login('admin', LOGINS['admin']!.password);
    const jobs = (await api.get('/api/exports?kind=evidence')).json.items as Array<{ state: string; evidenceId?: string; zipReady?: boolean }>;
    const done = jobs.find((j) => j.state === 'done' && j.evidenceId);
    expect(done).toMatchObject({ zipReady: false });
    const id = done!.evidenceId!;
    const zipPath = join(fx.dataDir, 'evidence', `${id}.zip`);
    expect(existsSync(zipPath)).toBe(false);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('tr[data-export-id][data-kind=evidence][data-state=done] a[data-action=download]')]);
    const saved = join(ARTIFACTS, 'evidence.zip');
    await download.saveAs(saved);
    expect(readFileSync(saved).subarray(0, 2).toString('latin1')).toBe('PK');
    // The dashboard's download wrote it from the verified folder, audited once; what the browser saved verifies.
    expect(readFileSync(saved).equals(readFileSync(zipPath))).toBe(true);
    const key = (await api.get('/api/evidence/public-key')).bytes.toString('utf8');
    expect(await verifyEvidencePackage(saved, { publicKey: key })).toMatchObject({ ok: true, kind: 'zip' });
    const zipAudits = ((await api.get('/api/audit?action=evidence.zip&limit=1000')).json.items as Array<{ actor: string; target?: string }>).filter((e) => e.target === id);
    expect(zipAudits.map((e) => e.actor)).toEqual(['admin']);
    expect((await api.get('/api/exports?kind=evidence')).json.items.find((j: { evidenceId?: string }) => j.evidenceId === id)).toMatchObject({ zipReady: true });
    await page.screenshot({ path: join(ARTIFACTS, 'exports-evidence.png') });
  }, 60_000);

  it('shows the events feed and incidents pages', async () => {
    await page.click('a[data-nav=events]');
    await page.waitForSelector('[data-testid=events] tr[data-type="camera.status"]', { timeout: 15_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'events.png') });
    await page.click('a[data-nav=incidents]');
    await page.fill('input[name=title]', 'Trộm xe máy');
    await page.click('form.stack button[type=submit]');
    await page.waitForSelector('[data-testid=incidents] tr[data-incident-id]', { timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'incidents.png') });
    await page.click('a[data-nav=admin]');
    await page.waitForSelector('text=auth.login');
    await page.click('text=/Kiểm tra chuỗi băm|Verify chain/');
    await page.waitForSelector('text=/✓ \\d+/');
    await page.screenshot({ path: join(ARTIFACTS, 'admin.png') });
  }, 60_000);
});
