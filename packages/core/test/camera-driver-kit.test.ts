import { NEVER } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { WardwatchError, type CameraDriver, type CameraSpec } from '@wardwatch/core';
import {
  cameraDriverChecks,
  createFakeCameraDriver,
  describeCameraDriver,
  optionalCameraDriverChecks,
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

describe('the driver kit names the step that threw', () => {
  it('says which driver call threw, with its error, instead of a bare message', async () => {
    const results = await runCameraDriverChecks(
      broken((d) => wrapSession(d, () => ({ snapshot: async () => Promise.reject(new TypeError('cannot read properties of undefined')) }))),
    );
    expect(results.find((r) => !r.ok)).toEqual({
      name: 'snapshot returns a JPEG (FF D8 ... )',
      ok: false,
      error: 'camera driver contract: snapshot() threw TypeError: cannot read properties of undefined',
    });
    const connectThrows = await runCameraDriverChecks(
      broken((d) => ({ id: d.id, connect: (s) => (s.connection.host.endsWith('.invalid') ? d.connect(s) : Promise.reject(new WardwatchError('CAMERA_AUTH_FAILED', 'denied'))) })),
      cameraDriverChecks.filter((c) => c.name.startsWith('probe is ok')),
    );
    expect(connectThrows[0]!.error).toBe('camera driver contract: connect(spec) threw CAMERA_AUTH_FAILED: denied');
  });
});

describe('optional driver checks', () => {
  const optional = [optionalCameraDriverChecks.wrongPassword, optionalCameraDriverChecks.cancelled];
  const withWrongPassword = (): CameraDriverFixture => {
    const fixture = fakeFixture(false);
    const locked = spec('locked.local');
    (fixture.driver as ReturnType<typeof createFakeCameraDriver>).camera('locked.local').authFails = true;
    return { ...fixture, wrongPasswordSpec: locked };
  };

  it('declares them through describeCameraDriver options', () => {
    // (the suite below runs them against the fake driver)
    expect(optional.map((c) => c.name)).toEqual(['connect with a wrong password rejects with CAMERA_AUTH_FAILED, not retryable, without leaking it', 'connect with an aborted signal rejects with CANCELLED']);
  });

  it('pass a driver that reports a wrong password and honours an aborted signal', async () => {
    expect((await runCameraDriverChecks(withWrongPassword, optional)).map((r) => r.ok)).toEqual([true, true]);
  });

  it('fail a driver that retries a wrong password, leaks it, ignores the signal, or lacks the fixture', async () => {
    const retryable = broken((d) => ({ id: d.id, connect: () => Promise.reject(new WardwatchError('CAMERA_AUTH_FAILED', 'denied', { retryable: true })) }));
    const [retried] = await runCameraDriverChecks(() => ({ ...retryable(), wrongPasswordSpec: spec('x.local') }), [optionalCameraDriverChecks.wrongPassword]);
    expect(retried!.error).toMatch(/retryable/);
    const unreachable = await runCameraDriverChecks(() => ({ ...fakeFixture(false), wrongPasswordSpec: spec('nobody.invalid') }), [optionalCameraDriverChecks.wrongPassword]);
    expect(unreachable[0]!.error).toMatch(/code is CAMERA_UNREACHABLE, expected CAMERA_AUTH_FAILED/);
    const leaky = broken((d) => ({ id: d.id, connect: (s) => Promise.reject(new WardwatchError('CAMERA_AUTH_FAILED', `bad password ${s.connection.password}`)) }));
    const [leaked] = await runCameraDriverChecks(() => ({ ...leaky(), wrongPasswordSpec: spec('x.local') }), [optionalCameraDriverChecks.wrongPassword]);
    expect(leaked!.error).toMatch(/contain the password/);
    const [ignored] = await runCameraDriverChecks(broken((d) => ({ id: d.id, connect: (s) => d.connect(s) })), [optionalCameraDriverChecks.cancelled]);
    expect(ignored!.error).toMatch(/resolved, expected a rejection/);
    const [missing] = await runCameraDriverChecks(() => fakeFixture(false), [optionalCameraDriverChecks.wrongPassword]);
    expect(missing!.error).toMatch(/no wrongPasswordSpec/);
  });

  it('mainStreamPlays needs an ffmpeg and reports one that cannot start', async () => {
    const [noFfmpeg] = await runCameraDriverChecks(() => fakeFixture(false), [optionalCameraDriverChecks.mainStreamPlays]);
    expect(noFfmpeg!.error).toMatch(/no ffmpegPath/);
    const [broken] = await runCameraDriverChecks(() => ({ ...fakeFixture(false), ffmpegPath: '/nonexistent/ffmpeg' }), [optionalCameraDriverChecks.mainStreamPlays]);
    expect(broken!.error).toMatch(/ffmpeg could not read a frame of streams\.main\.uri: ffmpeg did not start/);
    expect(broken!.error).not.toContain('kit-secret-pw');
  });
});

describeCameraDriver(
  'fake driver with the optional checks',
  () => {
    const fixture = fakeFixture(false);
    (fixture.driver as ReturnType<typeof createFakeCameraDriver>).camera('locked.local').authFails = true;
    return { ...fixture, wrongPasswordSpec: spec('locked.local') };
  },
  { checks: [...cameraDriverChecks, optionalCameraDriverChecks.wrongPassword, optionalCameraDriverChecks.cancelled] },
);
