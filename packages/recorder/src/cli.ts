#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { EMPTY } from 'rxjs';
import {
  createRecorderContext,
  createMemoryStorage,
  parseCameraSpec,
  redactUrl,
  silentLogger,
  systemClock,
  toWardwatchError,
  WardwatchError,
  type CameraSession,
} from '@wardwatch/core';
import { createRecorder } from './create-recorder.js';
import { parseDuration } from './parse-duration.js';

const USAGE = [
  'usage: wardwatch-record <rtsp-url> --out DIR [--segment 10s] [--duration 60s] [--transport tcp|udp]',
  '       wardwatch-record --url-env VAR --out DIR ...   (the URL, with its password, from environment variable VAR:',
  '       a command line is readable by every local user, the environment only by yours)',
].join('\n');

function line(obj: object): void {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

/** Records one stream for a field check; prints one JSON line per event; stops on Ctrl-C or after --duration. */
async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        segment: { type: 'string', default: '10s' },
        duration: { type: 'string' },
        transport: { type: 'string', default: 'tcp' },
        'url-env': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const fromEnv = values['url-env'];
  const url = fromEnv === undefined ? positionals[0] : process.env[fromEnv];
  if (!url || !values.out || positionals.length > (fromEnv === undefined ? 1 : 0)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const transport = values.transport;
  if (transport !== 'tcp' && transport !== 'udp') {
    process.stderr.write(`--transport must be tcp or udp\n${USAGE}\n`);
    return 2;
  }
  let segmentMs: number;
  let durationMs: number | undefined;
  try {
    segmentMs = parseDuration(values.segment ?? '10s');
    durationMs = values.duration ? parseDuration(values.duration) : undefined;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }

  const storage = createMemoryStorage();
  const recorder = createRecorder({ root: values.out, segmentSeconds: Math.max(1, Math.round(segmentMs / 1000)), transport });
  await recorder.start(createRecorderContext({ storage, clock: systemClock, logger: silentLogger, emit: (event) => line({ event: event.type, ...event }) }));
  const caps = await recorder.capabilities();
  line({ event: 'status', status: 'starting', url: redactUrl(url), out: recorder.root, ffmpeg: caps.version, transport });
  const session: CameraSession = {
    streams: { main: { uri: url } },
    events$: EMPTY,
    snapshot: () => Promise.reject(new WardwatchError('CAMERA_UNSUPPORTED', 'the field recorder has no snapshot source')),
    probe: async () => ({ ok: true, latencyMs: 0 }),
    close: async () => undefined,
  };
  const spec = parseCameraSpec({
    id: 'cli',
    name: 'wardwatch-record',
    site: { ward: '-', station: '-' },
    location: { lat: 0, lon: 0 },
    ownership: 'station',
    driver: 'rtsp',
    connection: { host: new URL(url).hostname || 'unknown' },
  });
  let lastStatusAt = 0;
  const subscription = recorder.record(spec, session).subscribe({
    next: (signal) => {
      if (signal.type === 'segment') line({ event: 'segment.closed', ...signal.segment });
      else if (signal.type === 'gap') line({ event: 'recording.gap', from: signal.from, to: signal.to, cause: signal.cause });
      else if (signal.type === 'connected') line({ event: 'status', status: 'online', at: signal.at });
      else if (signal.type === 'disconnected') line({ event: 'status', status: 'offline', at: signal.at, cause: signal.cause });
      else if (signal.type === 'error') line({ event: 'error', at: signal.at, ...signal.error.toJSON() });
      else if (signal.type === 'progress' && signal.at - lastStatusAt >= 10_000) {
        lastStatusAt = signal.at;
        line({ event: 'status', status: 'recording', at: signal.at, fps: signal.fps, bitrateKbps: signal.bitrateKbps, width: signal.width, height: signal.height });
      }
    },
    error: (error: unknown) => line({ event: 'error', ...toWardwatchError(error).toJSON() }),
  });
  await new Promise<void>((resolve) => {
    const done = (): void => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (durationMs !== undefined) setTimeout(done, durationMs).unref();
  });
  line({ event: 'status', status: 'stopping' });
  await recorder.stop();
  subscription.unsubscribe();
  line({ event: 'status', status: 'stopped' });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    line({ event: 'error', ...toWardwatchError(error).toJSON() });
    process.exitCode = 1;
  },
);
