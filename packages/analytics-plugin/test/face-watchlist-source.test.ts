import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage, createStation } from '@wardwatch/core';
import { createFaceWatchlist } from '@wardwatch/analytics-plugin';

describe('face watchlist fed by the station’s persisted watchlist', () => {
  it('matches persisted entries, follows their changes and expiry, and keeps its own enrolled ones', async () => {
    const clock = new VirtualTimeScheduler();
    clock.frame = 1_700_000_000_000;
    const station = createStation({ storage: createMemoryStorage(), clock });
    await station.start();
    const watchlist = createFaceWatchlist({ clock, entries: () => station.watchlists.faces() });
    const a = [0.1, 0.2, 0.3, 0.4];
    const probe = Float32Array.from(a);
    expect(watchlist.match(probe, 'cam-a')).toBeUndefined();
    await station.watchlists.add({ id: 'wl-a', kind: 'face', label: 'Nguyễn Văn A', reason: 'truy nã', embeddings: [a], cameras: ['cam-a'], expiresAt: clock.now() + 60_000 }, 'officer-lan');
    expect(watchlist.match(probe, 'cam-a')).toEqual({ entryId: 'wl-a', label: 'Nguyễn Văn A', similarity: 1 });
    expect(watchlist.match(probe, 'cam-b')).toBeUndefined();
    await watchlist.enrol({ id: 'local', label: 'Local', embeddings: [Float32Array.from([10, 10, 10, 10])] });
    expect(watchlist.match(Float32Array.from([10, 10, 10, 10]))?.entryId).toBe('local');
    clock.schedule(() => undefined, 60_000);
    clock.flush();
    expect(watchlist.match(probe, 'cam-a')).toBeUndefined();
    await station.stop();
  });
});
