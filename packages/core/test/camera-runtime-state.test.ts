import { describe, expect, it } from 'vitest';
import type { CameraSession } from '@wardwatch/core';
import { initialCameraRuntimeState, reduceCameraRuntime } from '../src/station/camera-runtime-state.js';

const session = (name: string) => ({ name }) as unknown as CameraSession;

describe('reduceCameraRuntime', () => {
  it('takes a health status only when its state changes (same state, same object: nothing to publish)', () => {
    const start = initialCameraRuntimeState(true, 10);
    expect(start.status).toEqual({ state: 'connecting', since: 10 });
    const online = reduceCameraRuntime(start, { type: 'health', status: { state: 'online', since: 20 } });
    expect(online.status).toEqual({ state: 'online', since: 20 });
    expect(reduceCameraRuntime(online, { type: 'health', status: { state: 'online', since: 30 } })).toBe(online);
  });

  it('goes offline with the reason when stopped, unless already offline or disabled', () => {
    const online = reduceCameraRuntime(initialCameraRuntimeState(true, 0), { type: 'health', status: { state: 'online', since: 1 } });
    expect(reduceCameraRuntime(online, { type: 'stopped', cause: 'removed', at: 5 }).status).toEqual({ state: 'offline', cause: 'removed', since: 5 });
    const disabled = initialCameraRuntimeState(false, 0);
    expect(reduceCameraRuntime(disabled, { type: 'stopped', cause: 'removed', at: 5 })).toBe(disabled);
  });

  it('merges progress into stats, keeping known values when a field is missing', () => {
    let state = reduceCameraRuntime(initialCameraRuntimeState(true, 0), { type: 'progress', at: 100, fps: 25, width: 1920, height: 1080 });
    state = reduceCameraRuntime(state, { type: 'progress', at: 200, fps: undefined, bitrateKbps: 2048 });
    expect(state.stats).toEqual({ fps: 25, width: 1920, height: 1080, bitrateKbps: 2048, lastFrameAt: 200 });
  });

  it('counts connect failures, reset by an opened session or a new connection; closes only the current session', () => {
    let state = initialCameraRuntimeState(true, 0);
    state = reduceCameraRuntime(reduceCameraRuntime(state, { type: 'connect-failed' }), { type: 'connect-failed' });
    expect(state.failures).toBe(2);
    expect(reduceCameraRuntime(state, { type: 'connection-started' }).failures).toBe(0);
    const a = session('a');
    state = reduceCameraRuntime(state, { type: 'session-opened', session: a });
    expect(state).toMatchObject({ session: a, failures: 0 });
    expect(reduceCameraRuntime(state, { type: 'session-closed', session: session('b') }).session).toBe(a);
    expect(reduceCameraRuntime(state, { type: 'session-closed', session: a }).session).toBeUndefined();
    expect(reduceCameraRuntime(state, { type: 'session-closed', session: undefined }).session).toBeUndefined();
  });
});
