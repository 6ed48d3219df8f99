import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLevelStorage } from '@wardwatch/storage-level';
import { stationDataPaths } from '../../src/evidence/open-evidence-data.js';
import { cameraSpec, tempDataDir } from './evidence-test-kit.js';
import { synthSegments } from './synth-segments.js';

const T = Date.UTC(2026, 10, 20, 8, 0, 0);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const TSX = here('../../node_modules/.bin/tsx');
const BIN = here('../../src/evidence/wardwatch-evidence.ts');

/** The real `wardwatch-evidence` process: Ctrl-C during a 30-minute export exits 130 and leaves nothing partial. */
describe('wardwatch-evidence process', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;

  beforeAll(async () => {
    data = await tempDataDir();
    const paths = stationDataPaths(data.dir);
    const storage = await createLevelStorage({ path: paths.db });
    await storage.cameras.put(cameraSpec('cam-a'));
    await synthSegments({ storage, root: paths.recordings, cameraId: 'cam-a', start: T, count: 180, segmentSeconds: 10, kbps: 300 });
    await storage.close();
  }, 120_000);
  afterAll(() => data?.cleanup());

  it('cancels on SIGINT with exit 130, and a second run exports and verifies', async () => {
    const args = ['export', '--data', data.dir, '--camera', 'cam-a', '--from', new Date(T).toISOString(), '--to', new Date(T + 30 * 60_000).toISOString(), '--reason', 'r'];
    const child = spawn(TSX, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let signalled = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!signalled && /progress \d+%/.test(stderr)) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(signalled).toBe(true);
    expect(stderr).toMatch(/cancelled; no partial package was left/);
    expect(code).toBe(130);
    expect(await readdir(stationDataPaths(data.dir).evidence)).toEqual([]);

    const again = spawn(TSX, [BIN, ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    again.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exit = await new Promise<number | null>((resolve) => again.on('exit', (c) => resolve(c)));
    expect(exit).toBe(0);
    const { zipPath } = JSON.parse(stdout) as { zipPath: string };
    const verify = spawn(TSX, [BIN, 'verify', zipPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let verdict = '';
    verify.stdout.on('data', (chunk: Buffer) => (verdict += chunk.toString()));
    expect(await new Promise<number | null>((resolve) => verify.on('exit', (c) => resolve(c)))).toBe(0);
    expect(verdict).toMatch(/VERIFIED/);
  });
});
