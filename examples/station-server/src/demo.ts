/**
 * `pnpm demo`: a complete ward station on this machine. Starts the simulator with the demo ward's
 * cameras, a station (ONVIF driver, recorder, LevelDB under `./data`, live gateway) and the HTTP
 * server with the dashboard, then prints the URL and the generated logins. Ctrl-C stops everything.
 *
 * Options: `--port N` (default 8080; an ephemeral port when taken), `--cameras N` (1-8, default 8),
 * `--data DIR` (default `./data` of this example), `--segment S` (segment seconds, default 10),
 * `--plates` (licence-plate reading on the street cameras; OCR costs CPU). Motion and tamper
 * analytics run on every camera.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@wardwatch/core';
import { startSimulator } from '@wardwatch/simulator';
import { pino } from 'pino';
import { parseStationConfig } from './config/station-config.js';
import { DEMO_HOUSEHOLD, demoCameraSpecs, demoSimCameras, demoStreets } from './demo-ward.js';
import { buildDashboard } from './runtime/build-dashboard.js';
import { parseArgs } from './runtime/parse-args.js';
import { startStationRuntime, type StationRuntime } from './runtime/start-station-runtime.js';
import { randomPassword } from './auth/random-password.js';
import type { Role } from './auth/roles.js';

let args: Record<string, string | number | boolean> = {};
try {
  args = parseArgs(process.argv.slice(2), { port: 'number', cameras: 'number', data: 'string', segment: 'number', 'live-port': 'number', 'rtmp-port': 'number', plates: 'boolean' });
} catch (error) {
  process.stderr.write(`${(error as Error).message}\nUsage: pnpm demo [--port N] [--cameras 1-8] [--data DIR] [--segment SECONDS] [--plates]\n`);
  process.exit(2);
}
const cameraCount = Math.min(8, Math.max(1, Number(args['cameras'] ?? 8)));
const dataDir = args['data'] === undefined ? fileURLToPath(new URL('../data', import.meta.url)) : resolve(process.env['INIT_CWD'] ?? process.cwd(), String(args['data']));
const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  say('WardWatch demo — starting…');
  const webRoot = await buildDashboard({ log: say });
  say(`Starting ${cameraCount} simulated cameras…`);
  const simCameras = demoSimCameras(cameraCount);
  const sim = await startSimulator({ host: '127.0.0.1', discovery: { port: 0 }, cameras: simCameras, streets: demoStreets(simCameras.map((c) => c.id)) });
  let runtime: StationRuntime | undefined;
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: stopping the station…`);
    const force = setTimeout(() => {
      say('Shutdown took too long; exiting.');
      process.exit(1);
    }, 30_000);
    force.unref();
    await runtime?.stop();
    await sim.stop();
    say('Stopped cleanly.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const site = { ward: 'Phường Hoàn Kiếm', station: 'Công an phường Hoàn Kiếm' };
  const logins: Array<{ username: string; password: string; role: Role; owner?: string }> = [
    { username: 'admin', password: randomPassword(), role: 'admin' },
    { username: 'duty', password: randomPassword(), role: 'duty-officer' },
    { username: 'investigator', password: randomPassword(), role: 'investigator' },
    { username: 'household', password: randomPassword(), role: 'viewer', owner: DEMO_HOUSEHOLD },
  ];
  const baseConfig = (port: number) =>
    parseStationConfig({
      station: { name: site.station, ward: site.ward },
      dataDir,
      http: { host: '127.0.0.1', port },
      live: { host: '127.0.0.1', httpPort: Number(args['live-port'] ?? 0), rtmpPort: Number(args['rtmp-port'] ?? 0), urlTtlSeconds: 600 },
      recorder: { segmentSeconds: Number(args['segment'] ?? 10), retentionDays: 7 },
      discovery: { port: sim.discoveryPort, address: '127.0.0.1' },
      cameras: demoCameraSpecs(sim.cameras, site, { plates: args['plates'] === true }),
    });
  const start = (port: number) =>
    startStationRuntime({
      config: baseConfig(port),
      webRoot,
      demo: true,
      // The demo console stays readable: only errors are logged (JSON lines on stderr).
      logger: pino({ level: process.env['LOG_LEVEL'] ?? 'error' }, pino.destination(2)) as unknown as Logger,
      beforeListen: async ({ users }) => {
        // Demo mode only: the demo logins get fresh random passwords on every start.
        for (const login of logins) {
          if (await users.get(login.username)) await users.remove(login.username);
          await users.create(login);
        }
      },
    });
  try {
    try {
      runtime = await start(Number(args['port'] ?? 8080));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      say(`Port ${String(args['port'] ?? 8080)} is taken; using a free port.`);
      runtime = await start(0);
    }
  } catch (error) {
    await sim.stop();
    throw error;
  }
  say('');
  say(`  Dashboard:  ${runtime.url}`);
  say(`  API docs:   ${runtime.url}api/docs`);
  say(`  Data:       ${dataDir}`);
  if (runtime.liveProblem) say(`  Live view:  UNAVAILABLE — ${runtime.liveProblem}`);
  say('');
  say('  Logins (demo mode: new random passwords on every start):');
  const hasCam05 = sim.cameras.some((c) => c.id === 'cam-05');
  for (const l of logins) {
    const note = l.owner ? (hasCam05 ? `   (a household: sees only cam-05)` : `   (a household: its camera cam-05 is not in this demo)`) : '';
    say(`    ${l.role.padEnd(13)} ${l.username.padEnd(13)} ${l.password}${note}`);
  }
  say('');
  say('  Press Ctrl-C to stop.');
}

main().catch((error: unknown) => {
  process.stderr.write(`Demo failed: ${(error as Error).message}\n`);
  process.exit(1);
});
