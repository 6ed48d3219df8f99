import { describe, expect, it } from 'vitest';
import { createMemoryStorage, createRecorderContext, isWardwatchError, parseCameraSpec, type StationEvent } from '@wardwatch/core';
import { segment } from './helpers/fake-recorder.js';
import { createVirtualClock } from './helpers/virtual-clock.js';

function rig() {
  const storage = createMemoryStorage();
  const { clock } = createVirtualClock();
  const events: StationEvent[] = [];
  const context = createRecorderContext({ storage, clock, emit: (e) => events.push(e) });
  return { storage, clock, events, context };
}

describe('createRecorderContext (the segment index a recorder reads and purges through)', () => {
  it('indexes a recovered segment and announces it as segment.closed', async () => {
    const { storage, events, context, clock } = rig();
    const seg = segment('cam-1', 1000, 2000);
    await context.notify({ type: 'segment', segment: seg, recovered: true });
    expect(await storage.segments.query('cam-1', { from: 0, to: 5000 })).toEqual([seg]);
    expect(await context.segments.latest('cam-1')).toEqual(seg);
    expect(events).toEqual([{ type: 'segment.closed', at: clock.now(), cameraId: 'cam-1', segment: seg }]);
  });

  it('announces storage notices as station events without touching the index', async () => {
    const { storage, events, context } = rig();
    const notice = { type: 'storage.purged', at: 5, cameraId: 'cam-1', segments: 2, bytes: 10, from: 0, to: 1, reason: 'disk-watermark' } as const;
    await context.notify(notice);
    expect(events).toEqual([notice]);
    expect(await storage.segments.cameraIds()).toEqual([]);
  });

  it('purges an unheld segment: index entry first, then the file', async () => {
    const { storage, context } = rig();
    const seg = segment('cam-1', 1000, 2000);
    await storage.segments.add(seg);
    const seen: number[] = [];
    const outcome = await context.segments.purge(seg, async () => {
      seen.push((await storage.segments.query('cam-1', { from: 0, to: 5000 })).length);
    });
    expect(outcome).toBe('purged');
    expect(seen).toEqual([0]);
    expect(await storage.segments.query('cam-1', { from: 0, to: 5000 })).toEqual([]);
  });

  it('never purges a held segment and never calls deleteFile for it', async () => {
    const { storage, context } = rig();
    const seg = segment('cam-1', 1000, 2000);
    await storage.segments.add(seg);
    await storage.holds.put({ id: 'h1', cameraId: 'cam-1', from: 0, to: 3000, owner: { kind: 'manual', id: 'h1' }, reason: 'case', createdBy: 'officer', createdAt: 1 });
    let deleted = 0;
    expect(await context.segments.purge(seg, async () => void deleted++)).toBe('held');
    expect(deleted).toBe(0);
    expect(await storage.segments.query('cam-1', { from: 0, to: 5000 })).toEqual([seg]);
  });

  it('indexes the segment again and rethrows when its file cannot be deleted', async () => {
    const { storage, context } = rig();
    const seg = segment('cam-1', 1000, 2000);
    await storage.segments.add(seg);
    const error = await context.segments.purge(seg, async () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' }))).catch((e: unknown) => e);
    expect((error as Error).message).toBe('EACCES');
    expect(isWardwatchError(error)).toBe(false);
    expect(await storage.segments.query('cam-1', { from: 0, to: 5000 })).toEqual([seg]);
  });

  it('reads retention days from the stored camera spec', async () => {
    const { storage, context } = rig();
    const spec = parseCameraSpec({ id: 'cam-long', name: 'c', site: { ward: 'w', station: 's' }, location: { lat: 0, lon: 0 }, ownership: 'station', driver: 'onvif', connection: { host: '127.0.0.1' }, recording: { retentionDays: 365 } });
    await storage.cameras.put(spec);
    expect(await context.segments.retentionDays('cam-long')).toBe(365);
    expect(await context.segments.retentionDays('nobody')).toBeUndefined();
  });
});
