/**
 * The soak's cameras, in a process of their own (so the station process's memory, descriptors and children
 * are the station's alone): `soak-simulator.ts <count>` starts `count` light simulator cameras, prints
 * `{"cameras":[{id,host,onvifPort,username,password}]}` on one line, then takes one JSON command a line on
 * stdin — `{"seq":1,"camera":"soak-00","op":"stall"}` — answering `{"seq":1,"ok":true}` (or `"error"`).
 * Ops: stall, resume, drop, reboot (`ms`), credentials (`username`, `password`), malformed (`kind` or null),
 * picture (`fault`). Stops its cameras and exits when stdin ends.
 */
import { createInterface } from 'node:readline';
import { startSimulator, type MalformedKind, type PictureFault } from '@wardwatch/simulator';

interface Command {
  seq: number;
  camera: string;
  op: 'stall' | 'resume' | 'drop' | 'reboot' | 'credentials' | 'malformed' | 'picture';
  ms?: number;
  username?: string;
  password?: string;
  kind?: MalformedKind;
  fault?: PictureFault;
}

const count = Number(process.argv[2] ?? '4');
const ids = Array.from({ length: count }, (_, i) => `soak-${String(i).padStart(2, '0')}`);
// Shared encoders: two ffmpeg encoders for the whole station instead of two per camera, so 32 cameras leave the
// CPU to the station being measured (a camera given a picture fault gets private encoders).
const sim = await startSimulator({
  host: '127.0.0.1',
  sharedEncoder: true,
  cameras: ids.map((id) => ({
    id,
    username: 'admin',
    password: `pw-${id}`,
    main: { width: 320, height: 180, fps: 10, gop: 10, bitrateKbps: 250 },
    sub: { width: 160, height: 90, fps: 5, gop: 10, bitrateKbps: 60 },
  })),
});
process.stdout.write(`${JSON.stringify({ cameras: sim.cameras.map((c) => ({ id: c.id, host: '127.0.0.1', onvifPort: c.onvifPort, username: c.username, password: c.password })) })}\n`);

async function run(command: Command): Promise<void> {
  const camera = sim.camera(command.camera);
  switch (command.op) {
    case 'stall':
      return camera.stall();
    case 'resume':
      return camera.resume();
    case 'drop':
      return camera.drop();
    case 'reboot':
      // Answer once the camera is down; it comes back by itself after `ms`.
      void camera.reboot(command.ms ?? 10_000);
      return;
    case 'credentials':
      return camera.setCredentials(command.username ?? 'admin', command.password ?? '');
    case 'malformed':
      return camera.malformed(command.kind ?? null);
    case 'picture':
      return camera.picture(command.fault ?? 'normal');
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let command: Command;
  try {
    command = JSON.parse(line) as Command;
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ seq: -1, error: `unreadable command: ${String(error)}` })}\n`);
    return;
  }
  Promise.resolve()
    .then(() => run(command))
    .then(
      () => process.stdout.write(`${JSON.stringify({ seq: command.seq, ok: true })}\n`),
      (error: unknown) => process.stdout.write(`${JSON.stringify({ seq: command.seq, error: String(error) })}\n`),
    );
});
lines.on('close', () => {
  void sim.stop().then(() => process.exit(0));
});
