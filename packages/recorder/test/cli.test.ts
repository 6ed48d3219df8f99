import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '@wardwatch/simulator';
import { tempDir } from './helpers.js';
import { startLightSimulator } from './sim-cameras.js';
import { parseDuration } from '../src/parse-duration.js';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const cwd = fileURLToPath(new URL('../', import.meta.url));

/**
 * Runs the CLI; `signalAfterMs` sends SIGINT to it, or with `toGroup` to its whole process group (a terminal's Ctrl-C),
 * that long after it reports the camera online (so a slow start on a loaded machine does not eat the recording time).
 */
function run(args: string[], signalAfterMs?: number, toGroup = false, env: Record<string, string> = {}): Promise<{ code: number | null; lines: Array<Record<string, unknown>>; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: toGroup, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (signalAfterMs && !armed && out.includes('"status":"online"')) {
        armed = true;
        setTimeout(() => (toGroup ? process.kill(-child.pid!, 'SIGINT') : child.kill('SIGINT')), signalAfterMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) =>
      resolve({ code, stderr: err, lines: out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) }),
    );
  });
}

describe('wardwatch-record CLI', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startLightSimulator(['cam-cli']);
  }, 60_000);
  afterAll(async () => {
    await sim?.stop();
  }, 60_000);

  it('parses durations', () => {
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('3')).toBe(3000);
    expect(() => parseDuration('ten')).toThrow(/not a duration/);
  });

  it('records for --duration and prints one JSON line per event', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const { code, lines } = await run([sim.camera('cam-cli').rtspUrl.main, '--out', dir, '--segment', '2s', '--duration', '7s']);
      expect(code).toBe(0);
      const statuses = lines.filter((l) => l.event === 'status').map((l) => l.status);
      expect(statuses[0]).toBe('starting');
      expect(statuses).toContain('online');
      expect(statuses.slice(-2)).toEqual(['stopping', 'stopped']);
      const segments = lines.filter((l) => l.event === 'segment.closed');
      expect(segments.length).toBeGreaterThanOrEqual(2);
      expect(segments[0]).toMatchObject({ cameraId: 'cli', codec: 'h264' });
      expect(String(segments[0]!.sha256)).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      cleanup();
    }
  }, 60_000);

  it('stops cleanly on Ctrl-C (SIGINT)', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const { code, lines } = await run([sim.camera('cam-cli').rtspUrl.main, '--out', dir, '--segment', '2s'], 3000);
      expect(code).toBe(0);
      expect(lines.at(-1)).toMatchObject({ event: 'status', status: 'stopped' });
      // the segment open at Ctrl-C is closed and reported
      expect(lines.filter((l) => l.event === 'segment.closed').length).toBeGreaterThanOrEqual(1);
    } finally {
      cleanup();
    }
  }, 60_000);

  it('stops cleanly when Ctrl-C reaches ffmpeg as well (SIGINT to the whole process group)', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const { code, lines, stderr } = await run([sim.camera('cam-cli').rtspUrl.main, '--out', dir, '--segment', '2s'], 3000, true);
      expect(code, stderr).toBe(0);
      expect(lines.filter((l) => l.event === 'status').map((l) => l.status).slice(-2)).toEqual(['stopping', 'stopped']);
      expect(lines.filter((l) => l.event === 'error' || l.event === 'recording.gap')).toEqual([]);
      expect(lines.filter((l) => l.event === 'segment.closed').length, JSON.stringify(lines)).toBeGreaterThanOrEqual(1);
    } finally {
      cleanup();
    }
  }, 60_000);

  it('takes the URL from an environment variable, so its password is on no command line (issue 24 #4)', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const url = sim.camera('cam-cli').rtspUrl.main.replace('rtsp://', 'rtsp://viewer:Cli-Secret-9@');
      const { code, lines, stderr } = await run(['--url-env', 'CAM_URL', '--out', dir, '--segment', '1s', '--duration', '5s'], undefined, false, { CAM_URL: url });
      expect(code, stderr).toBe(0);
      const starting = lines.find((l) => l.event === 'status' && l.status === 'starting')!;
      expect(starting.url).toBe(url.replace('Cli-Secret-9', '***'));
      expect(JSON.stringify(lines)).not.toContain('Cli-Secret-9');
      expect(lines.filter((l) => l.event === 'segment.closed').length).toBeGreaterThanOrEqual(1);
      expect((await run(['--url-env', 'NO_SUCH_VAR', '--out', dir])).code).toBe(2);
    } finally {
      cleanup();
    }
  }, 60_000);

  it('rejects bad usage with exit code 2', async () => {
    const { code, stderr } = await run(['--out', '/tmp/x']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/usage: wardwatch-record/);
    const bad = await run(['rtsp://127.0.0.1/x', '--out', '/tmp/x', '--transport', 'sctp']);
    expect(bad.code).toBe(2);
  }, 30_000);
});
