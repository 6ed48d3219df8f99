import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli-args.js';
import { BUNDLED_FFPROBE, alive, run, waitFor, withCredentials } from './helpers.js';

const require = createRequire(import.meta.url);
const tsxLoader = require.resolve('tsx');
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

describe('wardwatch-sim CLI', () => {
  it('parses options and rejects bad ones with usage', () => {
    expect(parseCliArgs(['--cameras', '8', '--scene', 'static', '--port-base', '20000'])).toMatchObject({ cameras: 8, scene: 'static', portBase: 20000, sharedEncoder: true });
    expect(parseCliArgs([])).toMatchObject({ cameras: 4, scene: 'street', sharedEncoder: false });
    expect(() => parseCliArgs(['--cameras', 'x'])).toThrow(/--cameras must be an integer[\s\S]*Usage/);
    expect(() => parseCliArgs(['--bogus'])).toThrow(/unknown option --bogus/);
    expect(() => parseCliArgs(['--main', '321x180'])).toThrow(/even/);
    expect(parseCliArgs(['--nvr', '4'])).toMatchObject({ nvrChannels: 4 });
    expect(parseCliArgs([]).nvrChannels).toBeUndefined();
    expect(() => parseCliArgs(['--nvr', '0'])).toThrow(/--nvr must be an integer 1-64/);
  });

  it('prints URLs and credentials, serves them, and stops every ffmpeg on Ctrl-C', async () => {
    const child = spawn(process.execPath, ['--import', tsxLoader, cli, '--cameras', '2', '--scene', 'static', '--main', '320x180', '--sub', '160x90', '--fps', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await waitFor(() => out.includes('ready'), 45_000);
      expect(out).toMatch(/credentials admin \/ admin123/);
      const rtsp = [...out.matchAll(/rtsp (rtsp:\/\/\S+)/g)].map((m) => m[1]!);
      expect(rtsp).toHaveLength(2);
      expect([...out.matchAll(/onvif (http:\/\/\S+)/g)]).toHaveLength(2);
      const probe = await run(BUNDLED_FFPROBE, ['-v', 'error', '-rtsp_transport', 'tcp', '-show_entries', 'stream=width', '-of', 'csv=p=0', withCredentials(rtsp[1]!, 'admin', 'admin123')]);
      expect(probe.stdout.toString().trim()).toBe('320');
      // The ffmpeg children of the CLI process (tsx also runs an esbuild child, which is not ours to check).
      const ps = await run('ps', ['-o', 'pid=,comm=', '--ppid', String(child.pid)]);
      const pids = ps.stdout
        .toString()
        .split('\n')
        .filter((line) => /ffmpeg/.test(line))
        .map((line) => Number(line.trim().split(/\s+/)[0]))
        .filter((n) => n > 0);
      expect(pids.length).toBeGreaterThanOrEqual(4);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(out).toMatch(/stopped/);
      expect(pids.filter(alive)).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
