import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationEvent } from '@wardwatch/core';
import { startServerHarness, type ServerHarness } from './server-harness.js';

let h: ServerHarness;
const events: StationEvent[] = [];
beforeAll(async () => {
  h = await startServerHarness();
  h.station.events$.subscribe((e) => events.push(e));
});
afterAll(async () => {
  await h.stop();
});

const read = (plate: string, cameraId = 'cam-a', at = Date.now()): void =>
  h.station.emit({ type: 'plate', at, cameraId, plate, raw: plate.replace(/[-.]/g, ''), confidence: 0.9 });

describe('sightings and watchlist routes', () => {
  it('let investigators and admins search by exact and partial plate, audited; viewers and duty officers get 403', async () => {
    const t = Date.now();
    read('29A-123.45', 'cam-a', t);
    read('29A-173.45', 'cam-b', t + 1);
    read('30A-999.99', 'cam-b', t + 2);
    await h.station.sightings.idle();
    const inv = await h.login('inv');
    const exact = await inv.request('GET', '/api/sightings?plate=29A-123.45');
    expect(exact.status).toBe(200);
    expect(exact.json.items.map((s: { plate: string; cameraId: string }) => [s.plate, s.cameraId])).toEqual([['29A-123.45', 'cam-a']]);
    const partial = await inv.request('GET', `/api/sightings?plate=${encodeURIComponent('29A-1??.45')}&cameraIds=cam-b&from=${t}&to=${t + 10}`);
    expect(partial.json.items.map((s: { plate: string }) => s.plate)).toEqual(['29A-173.45']);
    const paged = await (await h.login('admin')).request('GET', `/api/sightings?plate=${encodeURIComponent('*.45')}&limit=1`);
    expect(paged.status).toBe(400);
    expect(paged.json.error).toMatchObject({ code: 'PLATE_PATTERN_INVALID', details: { rule: 'too-few-known' } });
    const page1 = await inv.request('GET', `/api/sightings?plate=${encodeURIComponent('*3.45')}&limit=1`);
    const page2 = await inv.request('GET', `/api/sightings?plate=${encodeURIComponent('*3.45')}&limit=1&after=${page1.json.next}`);
    expect([...page1.json.items, ...page2.json.items].map((s: { plate: string }) => s.plate)).toEqual(['29A-123.45', '29A-173.45']);
    expect(page2.json.next).toBeUndefined();
    for (const who of ['hh', 'duty']) expect((await (await h.login(who)).request('GET', '/api/sightings?plate=29A-123.45')).status).toBe(403);
    const audit = (await h.station.storage.audit.list()).filter((e) => e.action === 'sightings.search');
    expect(audit.map((e) => [e.actor, e.target])).toEqual([
      ['inv', '29A-123.45'],
      ['inv', '29A-1??.45'],
      ['inv', '*3.45'],
      ['inv', '*3.45'],
    ]);
  });

  it('manage the watchlist (audited with the user) and a sighting of a wanted plate raises plate.alert', async () => {
    const inv = await h.login('inv');
    const created = await inv.request('POST', '/api/watchlist', { id: 'wl-1', kind: 'plate', plate: '51G-888.8?', label: 'Xe tải', reason: 'gây tai nạn bỏ chạy', caseId: 'VV-7' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: 'wl-1', createdBy: 'inv', plate: '51G-888.8?' });
    expect((await inv.request('POST', '/api/watchlist', { kind: 'plate', plate: '51G-8**', label: 'x', reason: 'y' })).json.error).toMatchObject({ code: 'PLATE_PATTERN_INVALID', details: { rule: 'adjacent-stars' } });
    expect((await inv.request('PATCH', '/api/watchlist/wl-1', { reason: 'hit and run', caseId: null })).json).toMatchObject({ reason: 'hit and run', updatedBy: 'inv' });
    expect((await (await h.login('hh')).request('POST', '/api/watchlist', { kind: 'plate', plate: '29A-111.11', label: 'x', reason: 'y' })).status).toBe(403);
    read('51G-888.88', 'cam-a');
    await h.station.sightings.idle();
    const alert = events.find((e) => e.type === 'plate.alert');
    expect(alert).toMatchObject({ type: 'plate.alert', plate: '51G-888.88', entryId: 'wl-1', label: 'Xe tải', reason: 'hit and run' });
    expect((await inv.request('GET', '/api/watchlist?kind=plate')).json.items.map((e: { id: string }) => e.id)).toEqual(['wl-1']);
    expect((await inv.request('DELETE', '/api/watchlist/wl-1')).status).toBe(204);
    expect((await inv.request('DELETE', '/api/watchlist/wl-1')).status).toBe(404);
    const audit = (await h.station.storage.audit.list()).filter((e) => e.action.startsWith('watchlist.'));
    expect(audit.map((e) => [e.actor, e.action, e.target])).toEqual([
      ['inv', 'watchlist.add', 'wl-1'],
      ['inv', 'watchlist.update', 'wl-1'],
      ['inv', 'watchlist.remove', 'wl-1'],
    ]);
  });
});
