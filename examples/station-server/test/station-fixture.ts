import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '@wardwatch/simulator';
import { parseStationConfig } from '../src/config/station-config.js';
import { startStationRuntime, type StationRuntime } from '../src/runtime/start-station-runtime.js';
import type { Role } from '../src/auth/roles.js';

/** Test logins, one per role; `hh` is a household viewer owning `cam-b`. */
export const LOGINS: Record<string, { password: string; role: Role; owner?: string }> = {
  admin: { password: 'admin-password-1', role: 'admin' },
  duty: { password: 'duty-password-1', role: 'duty-officer' },
  inv: { password: 'investigator-pw-1', role: 'investigator' },
  hh: { password: 'household-pw-1', role: 'viewer', owner: 'household-b' },
};

/** A running test station: 2 low-resolution simulator cameras, LevelDB in a temp dir, the HTTP server. */
export interface StationFixture {
  sim: Simulator;
  runtime: StationRuntime;
  dataDir: string;
  url: string;
  stop(): Promise<void>;
}

/** Starts the fixture (live relay on when `live`, serving `wss://` when `liveTls`). */
export async function startFixture(
  options: { live?: boolean; liveTls?: { certFile: string; keyFile: string }; webRoot?: string; segmentSeconds?: number } = {},
): Promise<StationFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ww-station-test-'));
  const small = { width: 320, height: 180, fps: 10, gop: 10, bitrateKbps: 200 };
  const sub = { width: 160, height: 90, fps: 5, gop: 10, bitrateKbps: 60 };
  const sim = await startSimulator({
    host: '127.0.0.1',
    discovery: { port: 0 },
    cameras: [
      { id: 'cam-a', name: 'Cam A', main: small, sub, ptz: true },
      { id: 'cam-b', name: 'Cam B', main: small, sub },
    ],
  });
  const site = { ward: 'Test ward', station: 'Test station' };
  try {
    const config = parseStationConfig({
      station: { name: site.station, ward: site.ward },
      dataDir,
      http: { host: '127.0.0.1', port: 0 },
      live: { enabled: options.live ?? false, host: '127.0.0.1', rtmpPort: 0, httpPort: 0, ...(options.liveTls ? { tls: options.liveTls } : {}) },
      recorder: { segmentSeconds: options.segmentSeconds ?? 2 },
      discovery: { port: sim.discoveryPort, address: '127.0.0.1' },
      cameras: sim.cameras.map((c, i) => ({
        id: c.id,
        name: c.name,
        location: { lat: 21.03 + i * 0.001, lon: 105.85 + i * 0.001, address: `${i} Test street` },
        ownership: i === 0 ? 'station' : 'household',
        ...(i === 1 ? { owner: 'household-b' } : {}),
        driver: 'onvif',
        connection: { host: c.host, port: c.onvifPort, username: c.username, password: c.password },
      })),
    });
    const runtime = await startStationRuntime({
      config,
      health: { recoverAfterMs: 2000, probeIntervalMs: 2000 },
      ...(options.webRoot ? { webRoot: options.webRoot } : {}),
      beforeListen: async ({ users }) => {
        for (const [username, l] of Object.entries(LOGINS)) await users.create({ username, ...l });
      },
    });
    return {
      sim,
      runtime,
      dataDir,
      url: runtime.url,
      async stop() {
        await runtime.stop();
        await sim.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
