/**
 * Attack test of issue 24 item 5 (data at rest): someone who can read the station's files — another account on the
 * machine, a copied disk or backup — must find no camera password in the LevelDB files, and nothing under the data
 * directory readable by other users. A real station: simulator cameras recording with ffmpeg, LevelDB on disk.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../src/runtime/start-station-runtime.js';
import { Client, waitFor } from './http-client.js';
import { LOGINS, startFixture, type StationFixture } from './station-fixture.js';

const PASSWORD = 'S3cret-pass';
let fx: StationFixture;

/** Every file and folder under `dir` (the folder itself first). */
function walk(dir: string): string[] {
  return [dir, ...readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))];
}
const modeOf = (path: string): number => statSync(path).mode & 0o777;

beforeAll(async () => {
  fx = await startFixture({ segmentSeconds: 2 });
  const admin = new Client(fx.url);
  await admin.login('admin', LOGINS['admin']!.password);
  // an admin adds a camera with a password through the API (the camera itself need not answer)
  const added = await admin.post('/api/cameras', { id: 'cam-z', name: 'Cam Z', onvifUrl: 'http://127.0.0.1:9/onvif/device_service', username: 'admin', password: PASSWORD, ownership: 'station', lat: 21, lon: 105 });
  expect(added.status).toBe(201);
  expect(JSON.stringify(added.json)).not.toContain(PASSWORD);
  expect(JSON.stringify((await admin.get('/api/cameras/cam-z')).json)).not.toContain(PASSWORD);
  expect(JSON.stringify((await admin.get('/api/cameras')).json)).not.toContain(PASSWORD);
  // footage on disk: a finished segment of cam-a
  await waitFor('a finished segment', () => walk(dataPaths(fx.dataDir).recordings).find((p) => p.endsWith('.mp4') && p.includes('cam-a') && !p.includes('incoming')), 40_000, 200);
  await fx.runtime.stop();
}, 90_000);

afterAll(async () => {
  await fx?.stop();
});

describe('5. data at rest', () => {
  it('keeps no camera password in the raw bytes of any LevelDB file', () => {
    const files = walk(dataPaths(fx.dataDir).db).filter((p) => statSync(p).isFile());
    expect(files.length).toBeGreaterThan(2);
    const secrets = [PASSWORD, ...fx.sim.cameras.map((c) => c.password)];
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of secrets) expect(bytes.includes(secret), `${secret} found in ${file}`).toBe(false);
    }
    // the records are there, sealed
    const raw = Buffer.concat(files.map((f) => readFileSync(f))).toString('latin1');
    expect(raw).toContain('cam-z');
    expect(raw).toContain('enc:v1:');
  });

  it('leaves nothing under the data directory to other users: data dir 0700, no group/other bits on keys, db, users', () => {
    const paths = dataPaths(fx.dataDir);
    expect(modeOf(fx.dataDir)).toBe(0o700);
    for (const dir of [paths.db, paths.keys, paths.recordings, paths.evidence, paths.exports]) expect(modeOf(dir), dir).toBe(0o700);
    const open = walk(fx.dataDir).filter((p) => (modeOf(p) & 0o007) !== 0);
    expect(open.map((p) => `${p.slice(fx.dataDir.length)} ${modeOf(p).toString(8)}`)).toEqual([]);
    for (const file of walk(paths.db).filter((p) => statSync(p).isFile())) expect(modeOf(file) & 0o077, file).toBe(0);
    for (const file of walk(paths.keys).filter((p) => statSync(p).isFile() && !p.endsWith('.pub.pem'))) expect(modeOf(file), file).toBe(0o600);
    expect(modeOf(paths.users)).toBe(0o600);
  });

  it('writes recording folders and segment files for this user (group read at most)', () => {
    const recordings = walk(dataPaths(fx.dataDir).recordings);
    const segments = recordings.filter((p) => p.endsWith('.mp4') && !p.includes('incoming'));
    expect(segments.length).toBeGreaterThan(0);
    for (const segment of segments) expect(modeOf(segment) & ~0o640, segment).toBe(0);
    for (const dir of recordings.filter((p) => statSync(p).isDirectory())) expect(modeOf(dir) & ~0o750, dir).toBe(0);
  });
});
