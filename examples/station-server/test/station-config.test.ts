import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isWardwatchError } from '@wardwatch/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStationConfig, parseStationConfig } from '../src/config/station-config.js';
import { parseArgs } from '../src/runtime/parse-args.js';

const camera = {
  id: 'cam-1',
  name: 'Cổng chợ',
  location: { lat: 21.03, lon: 105.85 },
  ownership: 'station',
  driver: 'onvif',
  connection: { host: '192.0.2.10', port: 80, username: 'admin', password: 'x' },
};
const dir = mkdtempSync(join(tmpdir(), 'ww-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(fn: () => unknown): Array<{ path: string; message: string }> {
  try {
    fn();
  } catch (error) {
    if (isWardwatchError(error, 'INVALID_CONFIG')) return error.details['problems'] as Array<{ path: string; message: string }>;
    throw error;
  }
  throw new Error('expected INVALID_CONFIG');
}

describe('parseStationConfig', () => {
  it('applies defaults, resolves paths against the config folder and fills the camera site', () => {
    const config = parseStationConfig({ station: { name: 'CA phường Hàng Đào', ward: 'Hàng Đào' }, cameras: [camera] }, '/srv/station');
    expect(config.dataDir).toBe('/srv/station/data');
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080, trustProxy: false, secureCookies: false, allowedOrigins: [] });
    expect(config.live).toMatchObject({ enabled: true, rtmpPort: 1935, httpPort: 8000, urlTtlSeconds: 60 });
    expect(config.security).toEqual({ denyCameraHosts: false });
    expect(config.recorder.segmentSeconds).toBe(60);
    expect(config.cameras[0]!.site).toEqual({ ward: 'Hàng Đào', station: 'CA phường Hàng Đào' });
    expect(config.cameras[0]!.recording.retentionDays).toBe(30);
  });

  it('takes live.tls (relay-served wss://) with its files resolved against the config folder', () => {
    const base = { station: { name: 'CA', ward: 'Hàng Đào' }, cameras: [camera] };
    const config = parseStationConfig({ ...base, live: { tls: { certFile: 'tls/live.crt', keyFile: '/etc/ww/live.key' } } }, '/srv/station');
    expect(config.live.tls).toEqual({ certFile: '/srv/station/tls/live.crt', keyFile: '/etc/ww/live.key' });
    expect(config.live.host).toBe('127.0.0.1');
    expect(parseStationConfig(base, '/srv/station').live.tls).toBeUndefined();
    const problems = problemsOf(() => parseStationConfig({ ...base, live: { tls: { certFile: 'a.crt', keyFile: '', port: 8443 } } }, '/srv'));
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['live.tls.keyFile', 'live.tls']));
  });

  it('names every bad field, including inside cameras', () => {
    const problems = problemsOf(() =>
      parseStationConfig({
        station: { name: '', ward: 'W' },
        http: { port: 70000, bogus: true },
        cameras: [camera, { ...camera, id: 'bad id!', location: { lat: 123, lon: 105 } }, camera],
      }),
    );
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['station.name', 'http.port', 'http']));
    // Camera problems are only checked once the top level is valid; fix it and look again.
    const cameraProblems = problemsOf(() =>
      parseStationConfig({ station: { name: 'S', ward: 'W' }, cameras: [camera, { ...camera, id: 'bad id!', location: { lat: 123, lon: 105 } }, camera] }),
    );
    expect(cameraProblems.map((p) => p.path)).toEqual(expect.arrayContaining(['cameras.1.id', 'cameras.1.location.lat', 'cameras.2.id']));
    expect(cameraProblems.find((p) => p.path === 'cameras.2.id')!.message).toMatch(/duplicate/);
    expect(cameraProblems.find((p) => p.path === 'cameras.1.location.lat')!.message).toMatch(/latitude/);
  });

  it('reports unreadable and non-JSON files as INVALID_CONFIG', async () => {
    await expect(loadStationConfig(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/Cannot read/) });
    writeFileSync(join(dir, 'broken.json'), '{ "station": ');
    await expect(loadStationConfig(join(dir, 'broken.json'))).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/not valid JSON/) });
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ station: { name: 'S', ward: 'W' }, dataDir: 'store' }));
    expect((await loadStationConfig(join(dir, 'ok.json'))).dataDir).toBe(join(dir, 'store'));
  });
});

describe('parseArgs', () => {
  it('parses known options and refuses unknown ones and bad numbers', () => {
    expect(parseArgs(['--port', '9000', '--data=/tmp/x', '--check'], { port: 'number', data: 'string', check: 'boolean' })).toEqual({ port: 9000, data: '/tmp/x', check: true });
    expect(() => parseArgs(['--prot', '1'], { port: 'number' })).toThrow(/Unknown option --prot/);
    expect(() => parseArgs(['--port', 'abc'], { port: 'number' })).toThrow(/must be a number/);
    expect(() => parseArgs(['--port'], { port: 'number' })).toThrow(/needs a value/);
  });
});
