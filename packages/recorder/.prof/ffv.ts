import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { resolveFfmpegPath } from '../src/index.js';
const N = 16, WINDOW = 12000, ROUNDS = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function cpu(pid: number) { let ns = 0; try { for (const t of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]); } catch {} return ns / 1e9; }
async function over(pids: () => number[], ms: number) { const b = new Map(pids().map((p) => [p, cpu(p)])); await sleep(ms); let t = 0; for (const p of pids()) t += cpu(p) - (b.get(p) ?? 0); return t; }
const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../test/fixtures/sim-child.ts'), String(N)], { cwd: join(import.meta.dirname, '..'), stdio: ['pipe', 'pipe', 'inherit'] });
const cams = await new Promise<any[]>((res) => createInterface({ input: child.stdout! }).on('line', (l) => { try { res(JSON.parse(l).cameras); } catch {} }));
const root = mkdtempSync(join(tmpdir(), 'ww-ffv-'));
const ffmpeg = resolveFfmpegPath();
const seg = (extra: string[]) => ['-f', 'segment', '-segment_time', '10', '-segment_format', 'mp4', '-reset_timestamps', '1', ...extra];
const variants: Record<string, (url: string, out: string) => string[]> = {
  bare: (u, o) => ['-hide_banner', '-nostats', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', u, '-map', '0:v:0', '-c', 'copy', ...seg([]), o],
  frag: (u, o) => ['-hide_banner', '-nostats', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', u, '-map', '0:v:0', '-c', 'copy', ...seg(['-segment_format_options', 'movflags=+frag_keyframe+empty_moov+default_base_moof:flush_packets=1']), o],
  fragnoflush: (u, o) => ['-hide_banner', '-nostats', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', u, '-map', '0:v:0', '-c', 'copy', ...seg(['-segment_format_options', 'movflags=+frag_keyframe+empty_moov+default_base_moof']), o],
  progress: (u, o) => ['-hide_banner', '-nostats', '-loglevel', 'error', '-progress', 'pipe:1', '-stats_period', '1', '-rtsp_transport', 'tcp', '-i', u, '-map', '0:v:0', '-c', 'copy', ...seg([]), o],
};
const tot: Record<string, number> = {};
for (let r = 0; r < ROUNDS; r++) for (const [name, args] of Object.entries(variants)) {
  const dir = join(root, `${name}-${r}`); mkdirSync(dir);
  const ps = cams.map((c) => spawn(ffmpeg, args(c.main, join(dir, `${c.id}-%05d.mp4`)), { stdio: ['pipe', 'ignore', 'ignore'] }));
  await sleep(6000);
  tot[name] = (tot[name] ?? 0) + await over(() => ps.map((p) => p.pid!), WINDOW);
  await Promise.all(ps.map((p) => new Promise((res) => { p.once('exit', res); p.stdin?.end('q'); })));
  console.log(JSON.stringify(tot));
}
child.stdin!.end(); await new Promise((r) => child.once('exit', r)); rmSync(root, { recursive: true, force: true });
