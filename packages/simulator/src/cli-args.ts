import type { SceneKind } from './scene-graph.js';
import { SimulatorError } from './simulator-error.js';

/** Parsed `wardwatch-sim` command line. */
export interface CliArgs {
  /** Number of cameras. @default 4 */
  cameras: number;
  /** Scene of every camera. @default 'street' */
  scene: SceneKind;
  /** First port: camera i gets RTSP `base + 2i` and ONVIF `base + 2i + 1`; 0 = ephemeral. @default 0 */
  portBase: number;
  /** Bind address. @default '127.0.0.1' */
  host: string;
  /** Main stream size, e.g. `1280x720`. @default '1280x720' */
  mainSize: [number, number];
  /** Sub stream size. @default '640x360' */
  subSize: [number, number];
  /** Frames per second of both streams. @default 10 */
  fps: number;
  /** WS-Discovery UDP port, or undefined to disable. */
  discoveryPort: number | undefined;
  /** One shared encoder per stream for all cameras (default when more than 4 cameras). */
  sharedEncoder: boolean;
  /** Username. @default 'admin' */
  username: string;
  /** Password. @default 'admin123' */
  password: string;
  /** Channels of an extra NVR camera with every real-device quirk (Media2 only, H.265 reports, reference parameters); undefined = none. */
  nvrChannels: number | undefined;
  /** Print help and exit. */
  help: boolean;
}

/** Usage text of the CLI. */
export const CLI_USAGE = `Usage: wardwatch-sim [options]
  --cameras N          number of virtual cameras (default 4)
  --scene static|street  picture (default street; street cameras get a vehicle route A→B→C)
  --port-base N        camera i: RTSP on N+2i, ONVIF on N+2i+1 (default 0 = ephemeral ports)
  --host ADDR          bind address (default 127.0.0.1)
  --main WxH           main stream size (default 1280x720)
  --sub WxH            sub stream size (default 640x360)
  --fps N              frames per second (default 10)
  --discovery PORT     answer WS-Discovery probes on this UDP port
  --shared-encoder     one encoder for all cameras (default on above 4 cameras)
  --no-shared-encoder  one encoder per camera (name burned into each picture)
  --user NAME --password PASS   credentials (default admin / admin123)
  --nvr CHANNELS       add an NVR camera with CHANNELS channels and the real-device quirks
                       (Media2 only, main reported as H.265, WS-Addressing reference parameters)
  --help`;

/** Parses `wardwatch-sim` arguments; throws `INVALID_ARGUMENT` with the usage on bad input. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = {
    cameras: 4,
    scene: 'street',
    portBase: 0,
    host: '127.0.0.1',
    mainSize: [1280, 720],
    subSize: [640, 360],
    fps: 10,
    discoveryPort: undefined,
    sharedEncoder: false,
    username: 'admin',
    password: 'admin123',
    nvrChannels: undefined,
    help: false,
  };
  let shared: boolean | undefined;
  const bad = (msg: string): never => {
    throw new SimulatorError('INVALID_ARGUMENT', `${msg}\n${CLI_USAGE}`);
  };
  const int = (v: string | undefined, name: string, min: number, max: number): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min || n > max) bad(`${name} must be an integer ${min}-${max}`);
    return n;
  };
  const size = (v: string | undefined, name: string): [number, number] => {
    const m = /^(\d+)x(\d+)$/.exec(v ?? '');
    if (!m || Number(m[1]) % 2 || Number(m[2]) % 2 || Number(m[1]) < 16 || Number(m[2]) < 16) return bad(`${name} must be WxH with even numbers`);
    return [Number(m[1]), Number(m[2])];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string | undefined => argv[++i];
    switch (a) {
      case '--cameras': args.cameras = int(next(), '--cameras', 1, 256); break;
      case '--scene': {
        const s = next();
        if (s !== 'static' && s !== 'street') bad('--scene must be static or street');
        args.scene = s as SceneKind;
        break;
      }
      case '--port-base': args.portBase = int(next(), '--port-base', 0, 65000); break;
      case '--host': args.host = next() ?? bad('--host needs an address'); break;
      case '--main': args.mainSize = size(next(), '--main'); break;
      case '--sub': args.subSize = size(next(), '--sub'); break;
      case '--fps': args.fps = int(next(), '--fps', 1, 60); break;
      case '--discovery': args.discoveryPort = int(next(), '--discovery', 0, 65535); break;
      case '--shared-encoder': shared = true; break;
      case '--no-shared-encoder': shared = false; break;
      case '--user': args.username = next() ?? bad('--user needs a name'); break;
      case '--password': args.password = next() ?? bad('--password needs a value'); break;
      case '--nvr': args.nvrChannels = int(next(), '--nvr', 1, 64); break;
      case '--help': case '-h': args.help = true; break;
      default: bad(`unknown option ${a}`);
    }
  }
  const total = args.cameras + (args.nvrChannels === undefined ? 0 : 1);
  if (args.portBase > 0 && args.portBase + total * 2 > 65535) bad('--port-base too high for that many cameras');
  args.sharedEncoder = shared ?? args.cameras > 4;
  return args;
}
