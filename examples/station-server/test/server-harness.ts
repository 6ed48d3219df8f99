import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStorage, createStation, type CameraDriver, type Station } from '@wardwatch/core';
import { createFakeCameraDriver } from '@wardwatch/core/testing';
import type { FastifyInstance } from 'fastify';
import { createUserStore, type UserStore } from '../src/auth/user-store.js';
import { createStationServer, type StationServerOptions } from '../src/server/create-station-server.js';
import { Client } from './http-client.js';
import { LOGINS } from './station-fixture.js';

/** A fast station server for attack tests: memory storage, fake cameras (no ffmpeg), the four test logins. */
export interface ServerHarness {
  station: Station;
  server: FastifyInstance;
  users: UserStore;
  url: string;
  dir: string;
  /** A client logged in as one of {@link LOGINS}. */
  login(name: keyof typeof LOGINS | string): Promise<Client>;
  stop(): Promise<void>;
}

/** Cameras of the harness: `cam-a` of the station, `cam-b` of household `household-b` (the `hh` viewer's). */
export const HARNESS_CAMERAS = ['cam-a', 'cam-b'] as const;

/** Starts the harness; `options` are given to `createStationServer` (after the harness's own). */
export async function startServerHarness(
  options: Partial<StationServerOptions> & { driver?: CameraDriver; listen?: boolean } = {},
): Promise<ServerHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'ww-server-harness-'));
  const station = createStation({ storage: createMemoryStorage(), drivers: [options.driver ?? createFakeCameraDriver()] });
  await station.start();
  for (const [i, id] of HARNESS_CAMERAS.entries()) {
    await station.addCamera({
      id,
      name: id,
      site: { ward: 'W', station: 'S' },
      location: { lat: 21 + i / 1000, lon: 105 },
      ownership: i === 0 ? 'station' : 'household',
      ...(i === 1 ? { owner: 'household-b' } : {}),
      driver: options.driver?.id ?? 'fake',
      connection: { host: `${id}.local`, username: 'admin', password: 'cam-secret-pw' },
    });
  }
  const users = createUserStore({ path: join(dir, 'users.json') });
  for (const [username, l] of Object.entries(LOGINS)) await users.create({ username, ...l });
  const { driver: _driver, listen: _listen, ...serverOptions } = options;
  const server = await createStationServer({ station, users, ...serverOptions });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  const url = `${options.https ? 'https' : 'http'}://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  return {
    station,
    server,
    users,
    url,
    dir,
    async login(name) {
      const client = new Client(url);
      await client.login(name, LOGINS[name]?.password ?? '');
      return client;
    },
    async stop() {
      await server.close();
      await station.stop();
      await station.storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
