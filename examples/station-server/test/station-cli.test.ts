import { spawn, spawnSync } from 'node:child_process';
import { startSimulator } from '@wardwatch/simulator';
import { Client, waitFor } from './http-client.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(exampleDir, 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'ww-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function station(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(tsx, ['src/main.ts', ...args], { cwd: exampleDir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, INIT_CWD: dir, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pnpm station', () => {
  it('validates the config and names every bad field', () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ station: { name: 'S', ward: 'W' }, http: { port: -1 }, cameras: [{ id: 'x' }] }));
    const r = station(['--config', 'bad.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('INVALID_CONFIG');
    expect(r.stderr).toContain('http.port');
  });

  it('refuses to start without users (no default password) and creates users on request', () => {
    writeFileSync(join(dir, 'station.json'), JSON.stringify({ station: { name: 'S', ward: 'W' }, dataDir: 'data', cameras: [] }));
    expect(station(['--config', 'station.json', '--check']).stdout).toContain('Config OK');
    const refused = station(['--config', 'station.json']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no default password/);
    expect(refused.stderr).toContain('--create-user');
    const created = station(['--config', 'station.json', '--create-user', '--username', 'admin', '--role', 'admin'], { WARDWATCH_PASSWORD: 'a-strong-password' });
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Created admin admin');
    expect(created.stdout).not.toContain('a-strong-password');
    const weak = station(['--config', 'station.json', '--create-user', '--username', 'duty', '--role', 'duty-officer'], { WARDWATCH_PASSWORD: 'short' });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/INVALID_ARGUMENT: password must be at least 10/);
  });
});

describe('pnpm station against cameras', () => {
  it('starts from a config, serves the API for its cameras, and stops cleanly on SIGINT', async () => {
    const sim = await startSimulator({ host: '127.0.0.1', cameras: [{ id: 'real-1', name: 'Real 1', main: { width: 320, height: 180, fps: 10, gop: 10, bitrateKbps: 200 }, sub: { width: 160, height: 90, fps: 5, gop: 10, bitrateKbps: 60 } }] });
    const cam = sim.camera('real-1');
    const runDir = mkdtempSync(join(dir, 'run-'));
    writeFileSync(
      join(runDir, 'station.json'),
      JSON.stringify({
        station: { name: 'CA phường thử', ward: 'Phường thử' },
        dataDir: 'data',
        http: { host: '127.0.0.1', port: 0 },
        live: { host: '127.0.0.1', rtmpPort: 0, httpPort: 0 },
        recorder: { segmentSeconds: 2 },
        cameras: [{ id: 'real-1', name: 'Real 1', location: { lat: 21.03, lon: 105.85 }, ownership: 'station', driver: 'onvif', connection: { host: cam.host, port: cam.onvifPort, username: cam.username, password: cam.password } }],
      }),
    );
    const env = { ...process.env, INIT_CWD: runDir };
    expect(spawnSync(tsx, ['src/main.ts', '--config', 'station.json', '--create-user', '--username', 'chief', '--role', 'admin'], { cwd: exampleDir, env: { ...env, WARDWATCH_PASSWORD: 'chief-password-1' }, encoding: 'utf8' }).status).toBe(0);
    const child = spawn(tsx, ['src/main.ts', '--config', 'station.json'], { cwd: exampleDir, env: { ...env, LOG_LEVEL: 'warn' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await waitFor('station URL', () => /on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1], 60_000);
      const api = new Client(url);
      await api.login('chief', 'chief-password-1');
      await waitFor('camera online', async () => ((await api.get('/api/cameras/real-1')).json.status?.state === 'online' ? true : undefined), 40_000);
      expect((await api.get('/api/info')).json).toMatchObject({ stationName: 'CA phường thử', demo: false, live: true });
      expect((await api.get('/api/cameras/real-1/live')).json.available).toBe(true);
    } finally {
      child.kill('SIGINT');
      const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 30_000))]);
      if (code === 'timeout') child.kill('SIGKILL');
      await sim.stop();
      expect(code).toBe(0);
      expect(out).toContain('Stopped cleanly');
    }
  }, 120_000);
});
