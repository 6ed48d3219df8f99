import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage, createStation, isWardwatchError, type Station, type StationEvent, type StorageAdapter } from '@wardwatch/core';
import { FAKE_JPEG } from '@wardwatch/core/testing';
import { createVirtualClock, drain } from '../helpers/virtual-clock.js';

const HOUR = 3_600_000;
const JPEG_B64 = Buffer.from(FAKE_JPEG).toString('base64');
const dirs: string[] = [];
const stations: Station[] = [];
afterEach(async () => {
  for (const station of stations.splice(0)) if (station.running) await station.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function rig(storage: StorageAdapter = createMemoryStorage()) {
  const { clock, advance } = createVirtualClock();
  const cropDir = mkdtempSync(join(tmpdir(), 'ww-crops-'));
  dirs.push(cropDir);
  const station = createStation({ storage, clock, sightings: { cropDir } });
  stations.push(station);
  const events: StationEvent[] = [];
  station.events$.subscribe((e) => events.push(e));
  await station.start();
  const plate = (plate: string, cameraId = 'cam-a', extra: Partial<StationEvent> = {}): void =>
    station.emit({ type: 'plate', at: clock.now(), cameraId, plate, raw: plate.replace(/[-.]/g, ''), confidence: 0.93, box: { x: 0.1, y: 0.1, width: 0.2, height: 0.1 }, cropJpeg: JPEG_B64, ...extra } as StationEvent);
  const settle = async (): Promise<void> => {
    await drain();
    await station.sightings.idle();
  };
  return { station, storage, clock, advance, cropDir, events, plate, settle };
}

const ofType = <T extends StationEvent['type']>(events: StationEvent[], type: T) => events.filter((e): e is Extract<StationEvent, { type: T }> => e.type === type);

describe('station sightings', () => {
  it('stores every plate read with its crop file beside the recordings, and finds it by plate and by pattern', async () => {
    const r = await rig();
    r.plate('29A-123.45', 'cam-a');
    await r.advance(60_000);
    r.plate('29A-123.45', 'cam-b');
    r.plate('30A-999.99', 'cam-b');
    await r.settle();
    const page = await r.station.sightings.search({ plate: '29A-123.45' }, 'officer-lan');
    expect(page.items.map((s) => [s.cameraId, s.plate, s.kind, s.raw, s.confidence])).toEqual([
      ['cam-a', '29A-123.45', 'plate', '29A12345', 0.93],
      ['cam-b', '29A-123.45', 'plate', '29A12345', 0.93],
    ]);
    const crop = page.items[0]?.crop;
    expect(crop?.path).toMatch(/^cam-a\/\d{4}-\d{2}-\d{2}\/\d+-[0-9a-f]{16}\.jpg$/);
    const file = readFileSync(r.station.sightings.cropPath(crop!)!);
    expect(createHash('sha256').update(file).digest('hex')).toBe(crop?.sha256);
    expect(file.length).toBe(crop?.bytes);
    expect((await r.station.sightings.search({ plate: '*99.99' }, 'officer-lan')).items.map((s) => s.plate)).toEqual(['30A-999.99']);
  });

  it('audits every search with the operator and the plate asked for; a malformed pattern is refused before it is run', async () => {
    const r = await rig();
    await r.station.sightings.search({ plate: '29A-1??.45', cameraIds: ['cam-a'] }, 'officer-lan');
    await r.station.sightings.search({ entryId: 'wl-1' }, 'officer-minh');
    await expect(r.station.sightings.search({ plate: '29A-1**.45' }, 'officer-lan')).rejects.toMatchObject({ code: 'PLATE_PATTERN_INVALID', details: { rule: 'adjacent-stars' } });
    await expect(r.station.sightings.search({ plate: '29A' }, '')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const audit = (await r.storage.audit.list()).filter((e) => e.action === 'sightings.search');
    expect(audit.map((e) => [e.actor, e.target, e.details])).toEqual([
      ['officer-lan', '29A-1??.45', { plate: '29A-1??.45', cameraIds: ['cam-a'] }],
      ['officer-minh', 'entry:wl-1', { entryId: 'wl-1' }],
    ]);
    expect(await r.storage.audit.verify()).toMatchObject({ ok: true });
  });

  it('raises plate.alert for an active wanted plate or pattern and indexes the read under the entry', async () => {
    const r = await rig();
    const entry = await r.station.watchlists.add({ kind: 'plate', plate: '29A-1??.45', label: 'Honda Vision đỏ', reason: 'xe trộm cắp', caseId: 'VV-12/2026' }, 'officer-lan');
    r.plate('29A-173.45', 'cam-a');
    r.plate('29A-173.46', 'cam-a');
    await r.settle();
    const alerts = ofType(r.events, 'plate.alert');
    expect(alerts).toHaveLength(1);
    const sighting = (await r.station.sightings.search({ entryId: entry.id }, 'officer-lan')).items;
    expect(sighting.map((s) => s.plate)).toEqual(['29A-173.45']);
    expect(alerts[0]).toMatchObject({
      cameraId: 'cam-a',
      sightingId: sighting[0]?.id,
      plate: '29A-173.45',
      entryId: entry.id,
      wanted: '29A-1??.45',
      label: 'Honda Vision đỏ',
      reason: 'xe trộm cắp',
      caseId: 'VV-12/2026',
      crop: sighting[0]?.crop?.path,
    });
  });

  it('an expired entry never alerts (virtual time), and a camera-scoped one only on its cameras', async () => {
    const r = await rig();
    await r.station.watchlists.add({ id: 'wl-exp', kind: 'plate', plate: '29A-123.45', label: 'Car', reason: 'stolen', expiresAt: r.clock.now() + HOUR }, 'officer-lan');
    await r.station.watchlists.add({ id: 'wl-cam', kind: 'plate', plate: '51G-888.88', label: 'Van', reason: 'hit and run', cameras: ['cam-b'] }, 'officer-lan');
    r.plate('29A-123.45');
    await r.settle();
    expect(ofType(r.events, 'plate.alert').map((a) => a.entryId)).toEqual(['wl-exp']);
    await r.advance(HOUR, 60_000);
    r.plate('29A-123.45');
    r.plate('51G-888.88', 'cam-a');
    r.plate('51G-888.88', 'cam-b');
    await r.settle();
    expect(ofType(r.events, 'plate.alert').map((a) => [a.entryId, a.cameraId])).toEqual([
      ['wl-exp', 'cam-a'],
      ['wl-cam', 'cam-b'],
    ]);
    expect((await r.station.watchlists.list({ active: false })).map((e) => e.id)).toEqual(['wl-exp']);
    const reads = (await r.station.sightings.search({ plate: '29A-123.45' }, 'officer-lan')).items;
    expect(reads.map((s) => s.entryId)).toEqual(['wl-exp', undefined]);
  });

  it('face matches of active persisted entries raise face.alert; expired or unknown entries are sightings without alert', async () => {
    const r = await rig();
    await r.station.watchlists.add({ id: 'wl-face', kind: 'face', label: 'Nguyễn Văn A', reason: 'truy nã', embeddings: [[0.1, 0.2, 0.3]], expiresAt: r.clock.now() + HOUR }, 'officer-lan');
    expect(r.station.watchlists.faces().map((e) => e.id)).toEqual(['wl-face']);
    const face = (entryId: string): void =>
      r.station.emit({ type: 'face', at: r.clock.now(), cameraId: 'cam-c', box: { x: 0.4, y: 0.2, width: 0.1, height: 0.2 }, confidence: 0.9, match: { entryId, label: 'A', similarity: 0.8 } });
    face('wl-face');
    face('wl-unknown');
    r.station.emit({ type: 'face', at: r.clock.now(), cameraId: 'cam-c', box: { x: 0, y: 0, width: 0.1, height: 0.1 }, confidence: 0.9 });
    await r.settle();
    await r.advance(HOUR, 60_000);
    expect(r.station.watchlists.faces()).toEqual([]);
    face('wl-face');
    await r.settle();
    expect(ofType(r.events, 'face.alert').map((a) => [a.entryId, a.label, a.reason, a.similarity])).toEqual([['wl-face', 'Nguyễn Văn A', 'truy nã', 0.8]]);
    expect((await r.station.sightings.search({ entryId: 'wl-face' }, 'officer-lan')).items).toHaveLength(2);
    expect((await r.station.sightings.search({ kind: 'face' }, 'officer-lan')).items).toHaveLength(3);
  });

  it('audits every watchlist change with its operator and refuses bad input with coded errors', async () => {
    const r = await rig();
    const e = await r.station.watchlists.add({ id: 'wl-1', kind: 'plate', plate: '29A-123.45', label: 'Car', reason: 'stolen' }, 'officer-lan');
    expect(e).toMatchObject({ createdBy: 'officer-lan', createdAt: r.clock.now() });
    await r.station.watchlists.update('wl-1', { reason: 'robbery', caseId: 'VV-1' }, 'officer-minh');
    await r.station.watchlists.update('wl-1', { caseId: null }, 'officer-minh');
    expect(await r.station.watchlists.get('wl-1')).toMatchObject({ reason: 'robbery', updatedBy: 'officer-minh' });
    expect((await r.station.watchlists.get('wl-1'))?.caseId).toBeUndefined();
    await r.station.watchlists.remove('wl-1', 'officer-lan');
    expect(await r.storage.watchlist.get('wl-1')).toBeUndefined();
    const audit = (await r.storage.audit.list()).filter((a) => a.action.startsWith('watchlist.'));
    expect(audit.map((a) => [a.actor, a.action, a.target])).toEqual([
      ['officer-lan', 'watchlist.add', 'wl-1'],
      ['officer-minh', 'watchlist.update', 'wl-1'],
      ['officer-minh', 'watchlist.update', 'wl-1'],
      ['officer-lan', 'watchlist.remove', 'wl-1'],
    ]);
    expect(ofType(r.events, 'watchlist.changed').map((c) => c.change)).toEqual(['added', 'updated', 'updated', 'removed']);
    const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (error: unknown) => (isWardwatchError(error) ? [error.code, error.details.rule] : error));
    expect(await codeOf(r.station.watchlists.add({ kind: 'plate', plate: '2?', label: 'x', reason: 'y' }, 'officer-lan'))).toEqual(['PLATE_PATTERN_INVALID', 'too-few-known']);
    expect(await codeOf(r.station.watchlists.add({ kind: 'plate', plate: '29A-123.45', label: 'x', reason: 'y', expiresAt: r.clock.now() }, 'officer-lan'))).toEqual(['INVALID_ARGUMENT', undefined]);
    expect(await codeOf(r.station.watchlists.add({ kind: 'face', label: 'x', reason: 'y' }, 'officer-lan'))).toEqual(['INVALID_ARGUMENT', undefined]);
    expect(await codeOf(r.station.watchlists.add({ kind: 'plate', plate: '29A-123.45', label: 'x', reason: 'y' }, ''))).toEqual(['INVALID_ARGUMENT', undefined]);
    expect(await codeOf(r.station.watchlists.remove('nope', 'officer-lan'))).toEqual(['NOT_FOUND', undefined]);
    expect(await r.storage.watchlist.list()).toEqual([]);
  });

  it('crops follow retention: a purged range loses its crops, a held range keeps them; the sightings stay', async () => {
    const r = await rig();
    const start = r.clock.now();
    r.plate('29A-123.45', 'cam-a');
    await r.advance(120_000, 60_000);
    r.plate('29A-123.45', 'cam-a');
    await r.settle();
    const [first, second] = (await r.station.sightings.search({ plate: '29A-123.45' }, 'x')).items;
    await r.storage.holds.put({ id: 'h1', cameraId: 'cam-a', from: start + 60_000, to: start + 180_000, owner: { kind: 'manual', id: 'h1' }, reason: 'case', createdBy: 'officer', createdAt: start });
    r.station.emit({ type: 'storage.purged', at: r.clock.now(), cameraId: 'cam-a', segments: 3, bytes: 3, from: start, to: start + 180_000, reason: 'retention-days' });
    await r.settle();
    expect(existsSync(join(r.cropDir, first!.crop!.path))).toBe(false);
    expect(existsSync(join(r.cropDir, second!.crop!.path))).toBe(true);
    const after = (await r.station.sightings.search({ plate: '29A-123.45' }, 'x')).items;
    expect(after.map((s) => s.crop?.path)).toEqual([undefined, second!.crop!.path]);
  });

  it('writes a burst of reads concurrently, so the storage batches them instead of one write after another', async () => {
    const inner = createMemoryStorage();
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const storage: StorageAdapter = {
      ...inner,
      sightings: {
        ...inner.sightings,
        async add(input) {
          started.push(input.plate ?? '');
          await gate;
          return inner.sightings.add(input);
        },
      },
      flush: () => inner.flush(),
      close: () => inner.close(),
    };
    const r = await rig(storage);
    r.plate('29A-111.11');
    r.plate('29A-222.22');
    r.plate('29A-333.33');
    try {
      // The crops are written to disk first (real I/O): wait, bounded, until every read reached the storage.
      for (let i = 0; i < 500 && started.length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect([...started].sort()).toEqual(['29A-111.11', '29A-222.22', '29A-333.33']);
    } finally {
      release();
    }
    await r.settle();
    expect((await r.station.sightings.search({ plate: '29A*' }, 'x')).items).toHaveLength(3);
  });

  it('a crop that is not a JPEG is logged and the read stored without it', async () => {
    const r = await rig();
    r.plate('29A-123.45', 'cam-a', { cropJpeg: Buffer.from('not a jpeg').toString('base64') } as Partial<StationEvent>);
    await r.settle();
    const [s] = (await r.station.sightings.search({ plate: '29A-123.45' }, 'x')).items;
    expect(s?.plate).toBe('29A-123.45');
    expect(s?.crop).toBeUndefined();
  });
});
