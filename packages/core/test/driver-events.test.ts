import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage, createStation, type DriverConnectOptions, type Logger, type Station, type StationEvent } from '@wardwatch/core';
import { createFakeCameraDriver } from '@wardwatch/core/testing';
import { createFakeRecorder } from './helpers/fake-recorder.js';
import { createVirtualClock } from './helpers/virtual-clock.js';

interface Line {
  level: string;
  bindings: object;
  obj: object;
  msg: string | undefined;
}

/** A logger that keeps every line with the bindings of the child it was written through. */
function recordingLogger(lines: Line[], bindings: object = {}): Logger {
  const write = (level: string) => (obj: object, msg?: string) => void lines.push({ level, bindings, obj, msg });
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), child: (more) => recordingLogger(lines, { ...bindings, ...more }) };
}

let stations: Station[] = [];
afterEach(async () => {
  for (const station of stations) if (station.running) await station.stop();
  stations = [];
});

async function rig() {
  const { clock, advance } = createVirtualClock();
  const storage = createMemoryStorage();
  const driver = createFakeCameraDriver();
  const connects: Array<DriverConnectOptions | undefined> = [];
  const connect = driver.connect.bind(driver);
  driver.connect = (spec, options) => {
    connects.push(options);
    return connect(spec, options);
  };
  const lines: Line[] = [];
  const station = createStation({ storage, drivers: [driver], recorder: createFakeRecorder(clock), clock, logger: recordingLogger(lines) });
  stations.push(station);
  const events: StationEvent[] = [];
  station.events$.subscribe((e) => events.push(e));
  await station.start();
  await station.addCamera({
    id: 'cam-1',
    name: 'Gate',
    site: { ward: 'w', station: 's' },
    location: { lat: 0, lon: 0 },
    ownership: 'station',
    driver: 'fake',
    connection: { host: 'cam-1.local', username: 'admin', password: 'pw' },
  });
  await advance(100);
  return { clock, advance, storage, driver, connects, lines, events, station };
}

describe('driver events reach the station', () => {
  it('publishes io changes as camera.io (port, kind, state, topic) on events$ and in storage', async () => {
    const { clock, advance, storage, driver, events } = await rig();
    const at = clock.now();
    driver.camera('cam-1.local').emit({ type: 'io', input: 'AlarmIn_2', active: true, at, topic: 'tns1:Device/Trigger/DigitalInput' });
    driver.camera('cam-1.local').emit({ type: 'io', input: 'Relay_1', kind: 'output', active: false, at });
    await advance(500);
    const io = events.filter((e) => e.type === 'camera.io');
    expect(io).toEqual([
      { type: 'camera.io', at, cameraId: 'cam-1', port: 'AlarmIn_2', kind: 'input', active: true, topic: 'tns1:Device/Trigger/DigitalInput' },
      { type: 'camera.io', at, cameraId: 'cam-1', port: 'Relay_1', kind: 'output', active: false },
    ]);
    const stored = (await storage.events.query({ limit: 100, types: ['camera.io'] })).items;
    expect(stored.map(({ id: _id, ...rest }) => rest)).toEqual(io);
  });

  it('carries a line crossing (rule, direction, object class) and a region into camera.analytics', async () => {
    const { clock, advance, driver, events } = await rig();
    const at = clock.now();
    driver.camera('cam-1.local').emit({ type: 'analytics', kind: 'line-cross', phase: 'start', at, rule: 'Gate 1', direction: 'in', objectClass: 'person', topic: 'vendor/linecross' });
    driver.camera('cam-1.local').emit({ type: 'analytics', kind: 'intrusion', phase: 'start', at, region: 'Yard' });
    await advance(500);
    expect(events.filter((e) => e.type === 'camera.analytics')).toEqual([
      { type: 'camera.analytics', at, cameraId: 'cam-1', kind: 'line-cross', phase: 'start', source: 'camera', rule: 'Gate 1', direction: 'in', objectClass: 'person' },
      { type: 'camera.analytics', at, cameraId: 'cam-1', kind: 'intrusion', phase: 'start', source: 'camera', region: 'Yard' },
    ]);
  });

  it("passes the station's logger, bound to the camera id, and an abort signal to connect", async () => {
    const { connects, lines } = await rig();
    expect(connects).toHaveLength(1);
    expect(connects[0]?.signal).toBeInstanceOf(AbortSignal);
    connects[0]?.logger?.warn({ probe: 1 }, 'from the driver');
    expect(lines.find((l) => l.msg === 'from the driver')).toMatchObject({ level: 'warn', bindings: { cameraId: 'cam-1' }, obj: { probe: 1 } });
  });
});
