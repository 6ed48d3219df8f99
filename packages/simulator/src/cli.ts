#!/usr/bin/env node
import { CLI_USAGE, parseCliArgs } from './cli-args.js';
import type { SimCameraOptions, StreetVehicle } from './simulator-options.js';
import { startSimulator } from './start-simulator.js';

const PLATES = ['30A-123.45', '29C-678.90', '51F-246.80', '30E-135.79', '43A-987.65'];

async function main(): Promise<void> {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.help) {
    console.log(CLI_USAGE);
    return;
  }
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const cameras: SimCameraOptions[] = Array.from({ length: args.cameras }, (_, i) => ({
    id: `cam-${i < 26 ? letters[i] : i + 1}`,
    name: `Camera ${i + 1}`,
    username: args.username,
    password: args.password,
    scene: args.scene,
    ptz: i === 0,
    main: { width: args.mainSize[0], height: args.mainSize[1], fps: args.fps, gop: args.fps * 2 },
    sub: { width: args.subSize[0], height: args.subSize[1], fps: args.fps, gop: args.fps * 2 },
    rtspPort: args.portBase ? args.portBase + 2 * i : 0,
    onvifPort: args.portBase ? args.portBase + 2 * i + 1 : 0,
  }));
  if (args.nvrChannels !== undefined) {
    const i = cameras.length;
    cameras.push({
      id: 'nvr',
      name: `NVR (${args.nvrChannels} channels)`,
      username: args.username,
      password: args.password,
      scene: args.scene,
      main: { width: args.mainSize[0], height: args.mainSize[1], fps: args.fps, gop: args.fps * 2 },
      sub: { width: args.subSize[0], height: args.subSize[1], fps: args.fps, gop: args.fps * 2 },
      rtspPort: args.portBase ? args.portBase + 2 * i : 0,
      onvifPort: args.portBase ? args.portBase + 2 * i + 1 : 0,
      quirks: { media2Only: true, h265: true, channels: args.nvrChannels, referenceParameters: true },
    });
  }
  const streets: StreetVehicle[] = [];
  if (args.scene === 'street' && cameras.length >= 2) {
    const route = cameras.slice(0, Math.min(3, cameras.length)).map((c) => c.id);
    PLATES.slice(0, 3).forEach((plate, k) => streets.push({ plate, route, startAfterMs: 3000 + k * 7000, legMs: 5000, repeatEveryMs: 30_000 }));
  }
  const sim = await startSimulator({
    host: args.host,
    cameras,
    streets,
    sharedEncoder: args.sharedEncoder,
    discovery: args.discoveryPort === undefined ? false : { port: args.discoveryPort },
  });
  console.log(`wardwatch-sim: ${sim.cameras.length} camera(s), credentials ${args.username} / ${args.password}${args.sharedEncoder ? ', shared encoder' : ''}`);
  for (const c of sim.cameras) {
    console.log(`${c.id}\t${c.name}\tonvif ${c.onvifUrl}\trtsp ${c.rtspUrl.main}  ${c.rtspUrl.sub}${c.hasPtz ? '\tPTZ' : ''}`);
  }
  if (sim.discoveryPort !== undefined) console.log(`ws-discovery on udp://${args.host}:${sim.discoveryPort}`);
  if (streets.length) console.log(`street: plates ${streets.map((s) => s.plate).join(', ')} pass ${streets[0]!.route.join(' → ')} every 30 s`);
  console.log('ready — Ctrl-C to stop');
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    sim
      .stop()
      .then(() => {
        console.log('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
