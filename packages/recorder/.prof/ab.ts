import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EMPTY } from 'rxjs';
import { createMemoryStorage, parseCameraSpec, silentLogger, systemClock } from '@wardwatch/core';
import * as neu from '../src/index.js';
import * as orig from './orig/src/index.js';
const N = 16, WINDOW = 12000, ROUNDS = Number(process.argv[2] ?? 3);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function cpu(pid: number) { let ns = 0; try { for (const t of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]); } catch {} return ns / 1e9; }
async function over(pids: () => number[], ms: number) { const b = new Map(pids().map((p) => [p, cpu(p)])); await sleep(ms); let t = 0; for (const p of pids()) t += cpu(p) - (b.get(p) ?? 0); return t; }
const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../test/fixtures/sim-child.ts'), String(N)], { cwd: join(import.meta.dirname, '..'), stdio: ['pipe', 'pipe', 'inherit'] });
const cams = await new Promise<any[]>((res) => createInterface({ input: child.stdout! }).on('line', (l) => { try { res(JSON.parse(l).cameras); } catch {} }));
const root = mkdtempSync(join(tmpdir(), 'ww-ab-'));
const spec = (id: string) => parseCameraSpec({ id, name: id, site: { ward: 'w', station: 's' }, location: { lat: 0, lon: 0 }, ownership: 'station', driver: 'b', connection: { host: '127.0.0.1' } });
const ffmpeg = neu.resolveFfmpegPath();
const tot: Record<string, { ff: number; node: number }> = { orig: { ff: 0, node: 0 }, new: { ff: 0, node: 0 }, bare: { ff: 0, node: 0 } };
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, mod] of [['orig', orig], ['new', neu]] as const) {
    const rec = (mod as typeof neu).createRecorder({ root: join(root, `${name}-${r}`), segmentSeconds: 10 });
    const storage = createMemoryStorage();
    await rec.start({ storage, clock: systemClock, logger: silentLogger, emit: () => undefined });
    const subs = cams.map((c) => rec.record(spec(c.id), { streams: { main: { uri: c.main }, sub: { uri: c.sub } }, events$: EMPTY, snapshot: () => Promise.reject(new Error()), probe: async () => ({ ok: true, latencyMs: 0 }), close: async () => undefined }).subscribe((s) => { if (s.type === 'segment') void storage.segments.add(s.segment); }));
    await sleep(6000);
    const b = process.cpuUsage();
    const ff = await over(() => rec.pids(), WINDOW);
    const u = process.cpuUsage(b);
    tot[name]!.ff += ff; tot[name]!.node += (u.user + u.system) / 1e6;
    for (const s of subs) s.unsubscribe();
    await rec.stop();
  }
  const dir = join(root, `bare-${r}`); mkdirSync(dir);
  const bare = cams.map((c) => spawn(ffmpeg, ['-hide_banner', '-nostats', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', c.main, '-map', '0:v:0', '-c', 'copy', '-f', 'segment', '-segment_time', '10', '-segment_format', 'mp4', '-reset_timestamps', '1', join(dir, `${c.id}-%05d.mp4`)], { stdio: ['pipe', 'ignore', 'ignore'] }));
  await sleep(6000);
  tot.bare!.ff += await over(() => bare.map((p) => p.pid!), WINDOW);
  await Promise.all(bare.map((p) => new Promise((res) => { p.once('exit', res); p.stdin?.end('q'); })));
  console.log(JSON.stringify({ round: r, tot }));
}
const per = (x: number) => ((x / (ROUNDS * WINDOW / 1000) / N) * 100).toFixed(4);
for (const k of ['orig', 'new']) console.log(k, 'ffmpeg', per(tot[k]!.ff), 'node', per(tot[k]!.node), 'ratio', ((tot[k]!.ff + tot[k]!.node) / tot.bare!.ff).toFixed(3));
console.log('bare', per(tot.bare!.ff));
child.stdin!.end(); await new Promise((r) => child.once('exit', r)); rmSync(root, { recursive: true, force: true });
