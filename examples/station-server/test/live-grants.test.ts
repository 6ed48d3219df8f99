import type { Station } from '@wardwatch/core';
import { liveStreamName } from '@wardwatch/recorder';
import { describe, expect, it } from 'vitest';
import { createSessionStore } from '../src/auth/session-store.js';
import { createLiveGrants } from '../src/live/create-live-grants.js';

describe('live grants (issue 24, item 8)', () => {
  it('stop allowing a live view when its session expires, idle or at its absolute lifetime, and for other streams', () => {
    let now = 0;
    const sessions = createSessionStore({ ttlMs: 60_000, maxLifetimeMs: 600_000, now: () => now });
    const owner = { value: 'household-b' };
    const station = { camera: (id: string) => (id === 'cam-b' ? { spec: { owner: owner.value } } : undefined) } as unknown as Station;
    const grants = createLiveGrants({ station, sessions, canSeeCamera: (user, spec) => user.role !== 'viewer' || spec.owner === user.owner });
    const { token, session } = sessions.create({ username: 'hh', role: 'viewer', owner: 'household-b', createdAt: 0 });
    const g = grants.grant(session, 'cam-b');
    const viewer = { streamPath: `/live/${liveStreamName('cam-b')}`, query: { g } };
    expect(grants.allows(viewer)).toBe(true);
    // a grant opens only the stream it was given for, and a made-up grant nothing
    expect(grants.allows({ streamPath: `/live/${liveStreamName('cam-a')}`, query: { g } })).toBe(false);
    expect(grants.allows({ ...viewer, query: { g: 'guess' } })).toBe(false);
    // the session is used (sliding) until its absolute end: the view lasts that long, no longer
    for (now = 50_000; now < 600_000; now += 50_000) {
      sessions.get(token);
      expect(grants.allows(viewer)).toBe(true);
    }
    now = 600_000;
    expect(grants.allows(viewer)).toBe(false);
    // idle expiry too
    const second = sessions.create({ username: 'hh', role: 'viewer', owner: 'household-b', createdAt: now });
    const idle = { ...viewer, query: { g: grants.grant(second.session, 'cam-b') } };
    expect(grants.allows(idle)).toBe(true);
    now += 60_000;
    expect(grants.allows(idle)).toBe(false);
    // reassignment
    const third = sessions.create({ username: 'hh', role: 'viewer', owner: 'household-b', createdAt: now });
    const moved = { ...viewer, query: { g: grants.grant(third.session, 'cam-b') } };
    owner.value = 'household-c';
    expect(grants.allows(moved)).toBe(false);
  });
});
