import { parseArgs } from 'node:util';
import { firstValueFrom, toArray } from 'rxjs';
import { parseCameraSpec, redactUrl, toWardwatchError } from '@wardwatch/core';
import { discoverOnvif } from './discover-onvif.js';
import { connectOnvif } from './onvif-session.js';

/** Where the CLI writes. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const USAGE = `Usage:
  wardwatch-onvif discover [--timeout MS] [--address ADDR] [--port PORT] [--interface IP] [--json]
  wardwatch-onvif probe <host[:port] | https://host[:port]> -u USER -p PASS [--auth auto|ws-security|digest|none] [--path /onvif/device_service] [--allow-self-signed] [--timeout MS] [--json]
`;

function splitHostPort(target: string): { host: string; port: number; scheme?: 'http' | 'https' } {
  // http(s)://host[:port]: the scheme becomes connection.options.scheme (the host stays bare, as other
  // components compare it), the port defaults to the scheme's.
  const withScheme = /^(https?):\/\/([^/]+)/i.exec(target);
  if (withScheme && URL.canParse(`${withScheme[1]}://${withScheme[2]}`)) {
    const url = new URL(`${withScheme[1]}://${withScheme[2]}`);
    const scheme = url.protocol === 'https:' ? 'https' : 'http';
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : scheme === 'https' ? 443 : 80, scheme };
  }
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(target);
  if (bracketed) return { host: bracketed[1]!, port: Number(bracketed[2] ?? 80) };
  const parts = target.split(':');
  if (parts.length === 2) return { host: parts[0]!, port: Number(parts[1]) };
  return { host: target, port: 80 };
}

/** Runs `wardwatch-onvif` with `argv` (without node and script); resolves with the exit code. */
export async function runOnvifCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    io.stdout(USAGE);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        timeout: { type: 'string' },
        address: { type: 'string' },
        port: { type: 'string' },
        interface: { type: 'string' },
        json: { type: 'boolean', default: false },
        user: { type: 'string', short: 'u' },
        password: { type: 'string', short: 'p' },
        auth: { type: 'string' },
        path: { type: 'string' },
        'allow-self-signed': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (values.help || (command !== 'discover' && command !== 'probe') || (timeout !== undefined && !(timeout > 0))) {
    io.stderr(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    if (command === 'discover') {
      const cameras = await firstValueFrom(
        discoverOnvif({
          ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
          ...(values.address ? { address: values.address } : {}),
          ...(values.port ? { port: Number(values.port) } : {}),
          ...(values.interface ? { interfaceAddress: values.interface } : {}),
        }).pipe(toArray()),
      );
      if (values.json) io.stdout(`${JSON.stringify(cameras, null, 2)}\n`);
      else if (cameras.length === 0) io.stdout('No ONVIF camera answered.\n');
      else {
        for (const c of cameras) {
          io.stdout(`${c.host}:${c.port ?? 80}  ${c.name ?? '(no name)'}  ${c.hardware ?? ''}  ${c.location ?? ''}\n  xaddrs: ${(c.xaddrs ?? []).join(' ')}\n`);
        }
      }
      return 0;
    }
    const target = positionals[0];
    if (!target) {
      io.stderr(USAGE);
      return 2;
    }
    const { host, port, scheme } = splitHostPort(target);
    const spec = parseCameraSpec({
      id: 'probe',
      name: target,
      site: { ward: '-', station: '-' },
      location: { lat: 0, lon: 0 },
      ownership: 'station',
      driver: 'onvif',
      connection: {
        host,
        port,
        ...(values.user ? { username: values.user } : {}),
        ...(values.password !== undefined ? { password: values.password } : {}),
        options: {
          ...(scheme ? { scheme } : {}),
          ...(values.auth ? { auth: values.auth } : {}),
          ...(values.path ? { path: values.path } : {}),
          ...(values['allow-self-signed'] ? { allowSelfSignedTls: true } : {}),
        },
      },
    });
    const session = await connectOnvif(spec, { events: { enabled: false }, ...(timeout ? { timeoutMs: timeout } : {}) });
    try {
      const probe = await session.probe();
      const report = {
        device: session.device ?? {},
        deviceService: session.info.deviceUrl,
        clockOffsetMs: session.clockOffsetMs,
        probe,
        profiles: session.info.profiles,
        mainProfile: session.info.mainProfile,
        subProfile: session.info.subProfile,
        streams: {
          main: { ...session.streams.main, uri: redactUrl(session.streams.main.uri) },
          ...(session.streams.sub ? { sub: { ...session.streams.sub, uri: redactUrl(session.streams.sub.uri) } } : {}),
        },
        snapshotUri: session.snapshotUri ? redactUrl(session.snapshotUri) : undefined,
        ptz: session.ptz !== undefined,
        events: session.info.hasEvents ? { pullPoint: true, service: session.info.services.events } : { pullPoint: false },
      };
      if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      else {
        const d = report.device;
        io.stdout(
          [
            `Device:     ${[d.manufacturer, d.model].filter(Boolean).join(' ') || '(unknown)'}  firmware ${d.firmware ?? '?'}  serial ${d.serial ?? '?'}`,
            `Service:    ${report.deviceService}`,
            `Clock:      camera ${report.clockOffsetMs >= 0 ? 'ahead' : 'behind'} by ${Math.abs(report.clockOffsetMs)} ms`,
            `Probe:      ${probe.ok ? 'ok' : `FAILED (${probe.cause})`} in ${probe.latencyMs} ms`,
            'Profiles:',
            ...report.profiles.map((p) => `  ${p.token === report.mainProfile ? 'main' : p.token === report.subProfile ? 'sub ' : '    '} ${p.token}  ${p.encoding ?? '?'} ${p.width ?? '?'}x${p.height ?? '?'} @${p.fps ?? '?'}fps${p.hasPtz ? '  ptz' : ''}`),
            `Main:       ${report.streams.main.uri}`,
            ...(report.streams.sub ? [`Sub:        ${report.streams.sub.uri}`] : []),
            `Snapshot:   ${report.snapshotUri ?? '(none)'}`,
            `PTZ:        ${report.ptz ? 'yes' : 'no'}`,
            `Events:     ${report.events.pullPoint ? `pull-point (${report.events.service})` : 'no'}`,
          ].join('\n') + '\n',
        );
      }
      return probe.ok ? 0 : 1;
    } finally {
      await session.close();
    }
  } catch (error) {
    const coded = toWardwatchError(error);
    if (values.json) io.stdout(`${JSON.stringify({ error: coded.toJSON() }, null, 2)}\n`);
    io.stderr(`${coded.code}: ${coded.message}\n`);
    return 1;
  }
}
