import { spawnSync } from 'node:child_process';
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
