import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage, createSecretBox, createStation, WardwatchError, type CameraSpec, type CameraSpecInput, type SecretBox, type Station, type StorageAdapter } from '../../src/index.js';
import { createFakeCameraDriver, makeCamera } from '@wardwatch/core/testing';

const cam = (id: string, password = 'S3cret-pass'): CameraSpecInput => makeCamera(id, { driver: 'fake', connection: { host: `${id}.local`, username: 'admin', password } });

const stations: Station[] = [];
afterEach(async () => {
  for (const station of stations.splice(0)) if (station.running) await station.stop();
});

/** A station over `storage`; `passwords` collects what the driver was given to connect with. */
function stationOver(storage: StorageAdapter, secrets: SecretBox | undefined, passwords: string[] = []): Station {
  const fake = createFakeCameraDriver();
  const driver = {
    ...fake,
    connect(spec: CameraSpec, ...rest: unknown[]) {
      passwords.push(spec.connection.password ?? '<none>');
      return (fake.connect as (spec: CameraSpec, ...rest: unknown[]) => ReturnType<typeof fake.connect>)(spec, ...rest);
    },
  };
  const station = createStation({ storage, drivers: [driver as typeof fake], ...(secrets ? { secrets } : {}) });
  stations.push(station);
  return station;
}

const storedPassword = async (storage: StorageAdapter, id: string): Promise<string | undefined> => (await storage.cameras.get(id))?.connection.password;

describe('camera passwords at rest', () => {
  it('stores only ciphertext, bound to the camera, and gives the driver the password', async () => {
    const storage = createMemoryStorage();
    const box = createSecretBox(randomBytes(32));
    const station = stationOver(storage, box);
    const handle = await station.addCamera(cam('cam-1'));
    const stored = await storedPassword(storage, 'cam-1');
    expect(stored).toMatch(/^enc:v1:/);
    expect(JSON.stringify(await storage.cameras.list())).not.toContain('S3cret-pass');
    // the handle carries the usable spec, events never carry the secret
    expect(handle.spec.connection.password).toBe('S3cret-pass');
    await station.updateCamera('cam-1', { name: 'Renamed' });
    const restamped = await storedPassword(storage, 'cam-1');
    expect(restamped).toMatch(/^enc:v1:/);
    expect(restamped).not.toBe(stored);

    // a new station over the same storage and key loads it and connects with the password
    await station.stop();
    const passwords: string[] = [];
    const again = stationOver(storage, box, passwords);
    await again.start();
    expect(again.camera('cam-1')?.spec.connection.password).toBe('S3cret-pass');
    await expect.poll(() => passwords).toEqual(['S3cret-pass']);
    expect((await storage.events.query({ limit: 100 })).items.map((e) => JSON.stringify(e)).join('\n')).not.toContain('S3cret');
  });

  it('fails to start with SECRET_UNREADABLE on a wrong key, a tampered value or a value moved to another camera', async () => {
    const storage = createMemoryStorage();
    const box = createSecretBox(randomBytes(32));
    const writer = stationOver(storage, box);
    await writer.addCamera(cam('cam-1'));
    await writer.addCamera(cam('cam-2', 'other-pass'));
    await writer.stop();

    const wrongKey = await stationOver(storage, createSecretBox(randomBytes(32))).start().catch((e: unknown) => e);
    expect(wrongKey).toBeInstanceOf(WardwatchError);
    expect((wrongKey as WardwatchError).code).toBe('SECRET_UNREADABLE');
    expect((wrongKey as WardwatchError).message).not.toContain('S3cret');

    const noKey = await stationOver(storage, undefined).start().catch((e: unknown) => e);
    expect((noKey as WardwatchError).code).toBe('SECRET_UNREADABLE');

    // cam-2's ciphertext copied onto cam-1: the camera id is associated data, so it does not open
    const one = (await storage.cameras.get('cam-1'))!;
    const two = (await storage.cameras.get('cam-2'))!;
    await storage.cameras.put({ ...one, connection: { ...one.connection, password: two.connection.password! } });
    const moved = await stationOver(storage, box).start().catch((e: unknown) => e);
    expect((moved as WardwatchError).code).toBe('SECRET_UNREADABLE');
    expect((moved as WardwatchError).details).toMatchObject({ cameraId: 'cam-1' });

    const bytes = Buffer.from(one.connection.password!.slice('enc:v1:'.length), 'base64');
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x80;
    await storage.cameras.put({ ...one, connection: { ...one.connection, password: `enc:v1:${bytes.toString('base64')}` } });
    const tampered = await stationOver(storage, box).start().catch((e: unknown) => e);
    expect((tampered as WardwatchError).code).toBe('SECRET_UNREADABLE');
  });

  it('loads a legacy plain-text password and stores it encrypted again', async () => {
    const storage = createMemoryStorage();
    const plain = stationOver(storage, undefined);
    await plain.addCamera(cam('cam-1'));
    await plain.stop();
    expect(await storedPassword(storage, 'cam-1')).toBe('S3cret-pass');

    const box = createSecretBox(randomBytes(32));
    const passwords: string[] = [];
    const station = stationOver(storage, box, passwords);
    await station.start();
    expect(station.camera('cam-1')?.spec.connection.password).toBe('S3cret-pass');
    const stored = await storedPassword(storage, 'cam-1');
    expect(stored).toMatch(/^enc:v1:/);
    expect(await box.open(stored!, 'wardwatch/camera/cam-1/connection.password')).toBe('S3cret-pass');
    await expect.poll(() => passwords).toEqual(['S3cret-pass']);
  });

  it('seals a legacy password loaded before start on its next write (updateCamera)', async () => {
    const storage = createMemoryStorage();
    const plain = stationOver(storage, undefined);
    await plain.addCamera(cam('cam-1'));
    await plain.stop();
    const box = createSecretBox(randomBytes(32));
    const station = stationOver(storage, box);
    await station.updateCamera('cam-1', { name: 'Renamed' });
    expect(await storedPassword(storage, 'cam-1')).toMatch(/^enc:v1:/);
    expect((await storage.cameras.get('cam-1'))?.name).toBe('Renamed');
  });
});

describe('recovering from a lost secret key', () => {
  it('re-entering the connection before start (config sync) or removing the camera lets the station start again', async () => {
    const storage = createMemoryStorage();
    const writer = stationOver(storage, createSecretBox(randomBytes(32)));
    await writer.addCamera(cam('cam-1'));
    await writer.addCamera(cam('cam-2', 'other-pass'));
    await writer.stop();

    const newKey = createSecretBox(randomBytes(32));
    const refused = stationOver(storage, newKey);
    expect(await refused.start().then(() => 'started', (e: unknown) => (e as WardwatchError).code)).toBe('SECRET_UNREADABLE');
    // a patch without a connection still has to read the stored one
    expect(await refused.updateCamera('cam-1', { name: 'X' }).then(() => 'updated', (e: unknown) => (e as WardwatchError).code)).toBe('SECRET_UNREADABLE');

    const passwords: string[] = [];
    const station = stationOver(storage, newKey, passwords);
    await station.updateCamera('cam-1', { connection: { host: 'cam-1.local', username: 'admin', password: 'new-pass' } });
    await station.removeCamera('cam-2');
    expect(await storage.cameras.get('cam-2')).toBeUndefined();
    await station.start();
    expect(station.camera('cam-1')).toBeDefined();
    expect(station.camera('cam-2')).toBeUndefined();
    expect(await newKey.open((await storedPassword(storage, 'cam-1'))!, 'wardwatch/camera/cam-1/connection.password')).toBe('new-pass');
    await expect.poll(() => passwords).toEqual(['new-pass']);
  });
});
