import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { hashFile } from '@wardwatch/core';
import type { Simulator } from '@wardwatch/simulator';
import { createLevelStorage } from '../../storage-level/src/index.js';
import { tempDir } from './helpers.js';
import { startLightSimulator } from './sim-cameras.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/crash-station-child.ts', import.meta.url));
const KILLS = Number(process.env.WW_CRASH_KILLS ?? 5);

/**
 * Starts the station child; resolves with a handle once it has indexed `segments` segments after its recovery (with 0:
 * once its recovery is done).
 */
function runUntil(root: string, db: string, uri: string, segments: number): Promise<{ pid: number; acked: number[][]; exited: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, root, db, uri], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TSX_TSCONFIG_PATH: join(repoRoot, 'tsconfig.json') } });
    const exited = new Promise<void>((r) => proc.on('exit', () => r()));
    const acked: number[][] = [];
    let stderr = '';
    let buffer = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`the station child did not index ${segments} segments in time: ${stderr}`));
    }, 60_000);
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      let ready = false;
      for (const line of lines) {
        if (line === 'ready') ready = true;
        if (line.startsWith('seg ')) acked.push(line.split(' ').slice(1).map(Number));
      }
      if ((segments === 0 && ready) || (segments > 0 && acked.length >= segments)) {
        clearTimeout(timer);
        resolve({ pid: proc.pid!, acked, exited });
      }
    });
    void exited.then(() => reject(new Error(`the station child exited: ${stderr}`)));
  });
}

describe('crash loop: the station SIGKILLed at random moments while recording', () => {
  const tmp = tempDir('ww-crashloop-');
  let sim: Simulator | undefined;
  afterAll(async () => {
    await sim?.stop();
    tmp.cleanup();
  }, 30_000);

  it(`recovers and indexes what was on disk after each of ${KILLS} kills; the index matches the files exactly`, async () => {
    sim = await startLightSimulator(['cam-c']);
    const uri = sim.camera('cam-c').rtspUrl.main;
    const root = join(tmp.dir, 'rec');
    const db = join(tmp.dir, 'db');
    const kills: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const run = await runUntil(root, db, uri, 2);
      // a random moment inside a segment, between 0 and 1.5 s after the second one was indexed
      await new Promise((r) => setTimeout(r, Math.random() * 1500));
      kills.push(Date.now());
      process.kill(run.pid, 'SIGKILL');
      await run.exited;
    }
    // a last start: its recovery indexes what the last kill left; killed as soon as that is done, before it records
    const last = await runUntil(root, db, uri, 0);
    process.kill(last.pid, 'SIGKILL');
    await last.exited;

    const storage = await createLevelStorage({ path: db });
    const indexed = await storage.segments.query('cam-c', { from: 0, to: Date.now() + 60_000 });
    await storage.close();
    const files = readdirSync(join(root, 'cam-c'), { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && d.name.endsWith('.mp4') && !d.parentPath.includes('.incoming'))
      .map((d) => relative(root, join(d.parentPath, d.name)))
      .sort();
    // exactly the files: none indexed that is not there (or not whole), none there that is not indexed
    expect(indexed.map((s) => s.path).sort()).toEqual(files);
    for (const s of indexed) expect(await hashFile(join(root, s.path))).toEqual({ sha256: s.sha256, bytes: s.bytes });
    // footage lost per kill: from the end of what was indexed (after recovery) before the kill, to the kill
    const lost = kills.map((at) => at - Math.max(...indexed.filter((s) => s.start < at).map((s) => s.end)));
    console.log(`crash loop: ${KILLS} kills, ${indexed.length} segments indexed, footage lost per kill (ms): ${lost.join(', ')}`);
    for (const ms of lost) expect(ms).toBeLessThanOrEqual(2_000);
  }, 60_000 + KILLS * 20_000);
});
