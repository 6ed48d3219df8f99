import { NEVER } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { WardwatchError, type CameraDriver, type CameraSpec } from '@wardwatch/core';
import {
  cameraDriverChecks,
  createFakeCameraDriver,
  describeCameraDriver,
  runCameraDriverChecks,
  type CameraDriverFixture,
} from '@wardwatch/core/testing';
import { kitCameraSpec } from './helpers/kit-camera-spec.js';

const spec = kitCameraSpec;

function fakeFixture(ptz: boolean): CameraDriverFixture {
  const driver = createFakeCameraDriver({ ptz });
  return {
    driver,
    spec: spec('cam.local'),
    unreachableSpec: spec('nobody.invalid'),
    supportsPtz: ptz,
    makeUnreachable: () => {
      driver.camera('cam.local').reachable = false;
    },
    cleanup: () => {
      expect(driver.openSessions).toBe(0); // the kit closes every session it opens
    },
  };
}

// The kit itself, run against the fake driver (with and without PTZ).
describeCameraDriver('fake driver', () => fakeFixture(false));
describeCameraDriver('fake driver with PTZ', () => fakeFixture(true));

/** Wraps the fake driver, breaking one part of the contract. */
function broken(breakIt: (driver: CameraDriver) => CameraDriver, ptz = false): () => CameraDriverFixture {
  return () => {
    const fixture = fakeFixture(ptz);
    return { ...fixture, driver: breakIt(fixture.driver), cleanup: undefined };
  };
}

const wrapSession = (driver: CameraDriver, patch: (session: Awaited<ReturnType<CameraDriver['connect']>>) => object): CameraDriver => ({
  id: driver.id,
  connect: async (s) => {
    const session = await driver.connect(s);
    return Object.assign(Object.create(null), session, patch(session)) as typeof session;
  },
});

async function failures(factory: () => CameraDriverFixture): Promise<string[]> {
  return (await runCameraDriverChecks(factory)).filter((r) => !r.ok).map((r) => r.name);
}

describe('the driver kit fails broken drivers', () => {
  it('passes the fake driver on every check', async () => {
    const results = await runCameraDriverChecks(() => fakeFixture(true));
    expect(results.map((r) => r.ok)).toEqual(cameraDriverChecks.map(() => true));
  });

  it('catches an empty id', async () => {
    expect(await failures(broken((d) => ({ id: '', connect: d.connect.bind(d) })))).toEqual(['has a non-empty string id']);
  });

  it('catches a snapshot that is not a JPEG', async () => {
    const result = await failures(broken((d) => wrapSession(d, () => ({ snapshot: async () => new TextEncoder().encode('<html>') }))));
    expect(result).toEqual(['snapshot returns a JPEG (FF D8 ... )']);
  });

  it('catches an unusable stream URI', async () => {
    const result = await failures(broken((d) => wrapSession(d, () => ({ streams: { main: { uri: '/just/a/path' } } }))));
    expect(result).toEqual(['connect returns a session with a usable main stream URI']);
  });

  it('catches probes that lie, events$ that never complete and a close that is not idempotent', async () => {
    const result = await failures(
      broken((d) =>
        wrapSession(d, (session) => {
          let closes = 0;
          return {
            probe: async () => ({ ok: true, latencyMs: 1 }),
            events$: NEVER,
            close: async () => {
              closes++;
              if (closes > 1) throw new Error('already closed');
              await session.close();
            },
          };
        }),
      ),
    );
    expect(result).toEqual([
      'probe is not ok (or rejects with a coded error) once the camera is unreachable',
      'events$ completes after close',
      'close is idempotent',
    ]);
  });

  it('catches PTZ claimed or missing', async () => {
    expect(await failures(broken((d) => wrapSession(d, () => ({ ptz: undefined })), true))).toEqual(['ptz is present only when supported']);
    expect(await failures(broken((d) => wrapSession(d, () => ({ ptz: {} })), false))).toEqual(['ptz is present only when supported']);
  });

  it('catches uncoded, non-retryable or password-leaking connect errors', async () => {
    const name = 'connect to an unreachable host rejects with a coded retryable error without leaking the password';
    const failing = (error: unknown) =>
      broken((d) => ({
        id: d.id,
        connect: (s) => (s.connection.host.endsWith('.invalid') ? Promise.reject(error) : d.connect(s)),
      }));
    expect(await failures(failing(new Error('ECONNREFUSED')))).toEqual([name]);
    expect(await failures(failing(new WardwatchError('CAMERA_PROTOCOL_ERROR', 'bad')))).toEqual([name]);
    expect(await failures(failing(new WardwatchError('CAMERA_UNREACHABLE', 'no route', { retryable: false })))).toEqual([name]);
    expect(await failures(failing(new WardwatchError('CAMERA_UNREACHABLE', 'rtsp://admin:kit-secret-pw@nobody.invalid refused')))).toEqual([name]);
    const [result] = await runCameraDriverChecks(failing(new Error('x')), cameraDriverChecks.filter((c) => c.name === name));
    expect(result!.error).toMatch(/expected a WardwatchError/);
  });
});
