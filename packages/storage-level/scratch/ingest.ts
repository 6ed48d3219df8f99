import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, readFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Segment } from '@wardwatch/core';
const { createLevelStorage } = (await import(process.env.IMPL === 'frozen' ? './frozen/index.ts' : '@wardwatch/storage-level')) as typeof import('@wardwatch/storage-level');

const CAMERAS = 77, DAYS = Number(process.env.DAYS ?? 30), MINUTE = 60_000, HOUR = 60 * MINUTE, T0 = Date.UTC(2026, 0, 1);
const cameraIds = Array.from({ length: CAMERAS }, (_, i) => `cam-${String(i + 1).padStart(3, '0')}`);
const hashes = Array.from({ length: 997 }, (_, i) => createHash('sha256').update(String(i)).digest('hex'));
function hourOfSegments(hour: number): Segment[] {
  const out: Segment[] = [];
  for (let m = 0; m < 60; m++) {
    const start = T0 + hour * HOUR + m * MINUTE;
    for (let c = 0; c < CAMERAS; c++) {
      const cameraId = cameraIds[c] as string;
      out.push({ cameraId, start, end: start + MINUTE, path: `${cameraId}/${new Date(start).toISOString().slice(0, 16)}.mp4`, bytes: 30_000_000 + ((start / MINUTE + c) % 1000) * 1000, codec: 'h264', sha256: hashes[(hour * 60 + m + c) % hashes.length] as string });
    }
  }
  return out;
}
function threads(): Map<string, number> {
  const m = new Map<string, number>();
  const tck = 100;
  for (const t of readdirSync('/proc/self/task')) {
    try {
      const st = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const name = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'));
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      m.set(`${t}:${name}`, (Number(f[11]) + Number(f[12])) / tck);
    } catch {}
  }
  return m;
}
async function dirBytes(dir: string): Promise<number> { let n = 0; for (const e of await readdir(dir, { withFileTypes: true })) n += e.isDirectory() ? await dirBytes(join(dir, e.name)) : (await stat(join(dir, e.name))).size; return n; }
const dir = await mkdtemp(join(tmpdir(), 'ww-scratch-'));
const storage = await createLevelStorage({ path: dir });
const INFLIGHT = Number(process.env.INFLIGHT ?? 2);
let records = 0, ms = 0, cpuUs = 0;
const th0 = threads();
for (let day = 0; day < DAYS; day++) {
  const batches = Array.from({ length: 24 }, (_, h) => hourOfSegments(day * 24 + h));
  const t = performance.now(); const cpu = process.cpuUsage();
  const inFlight = new Set<Promise<void>>();
  for (const b of batches) { const p: Promise<void> = storage.segments.addMany(b).then(() => void inFlight.delete(p)); inFlight.add(p); records += b.length; if (inFlight.size >= INFLIGHT) await Promise.race(inFlight); }
  await Promise.all(inFlight);
  ms += performance.now() - t; const u = process.cpuUsage(cpu); cpuUs += u.user + u.system;
}
const t = performance.now(); const cpu = process.cpuUsage();
await storage.flush();
ms += performance.now() - t; const u = process.cpuUsage(cpu); cpuUs += u.user + u.system;
const th1 = threads();
const bytes = await dirBytes(dir);
// settle: wait until no thread burns CPU for 1 s (compaction debt)
const cpuSettle = process.cpuUsage(); const tS = performance.now();
for (let i = 0; i < (process.env.NOSETTLE ? 0 : 120); i++) { const a = process.cpuUsage(); await new Promise((r) => setTimeout(r, 1000)); const b = process.cpuUsage(a); if (b.user + b.system < 20_000) break; }
const s = process.cpuUsage(cpuSettle);
const th2 = threads();
const stats = ((globalThis as any).__wwScratchDb).getProperty('leveldb.stats') as string;
const lines = stats.split('\n').filter((l) => /^\s+\d/.test(l)).map((l) => l.trim().split(/\s+/).map(Number));
const compactW = lines.reduce((a, r) => a + (r[5] ?? 0), 0), compactR = lines.reduce((a, r) => a + (r[4] ?? 0), 0);
const q0 = performance.now();
for (let i = 0; i < 500; i++) { const c = cameraIds[i % CAMERAS] as string; const from = T0 + ((i * 7919) % (DAYS * 24 - 1)) * HOUR + 17_000; const f = await storage.segments.query(c, { from, to: from + HOUR }); if (f.length !== 61) throw new Error('bad'); }
const qms = (performance.now() - q0) / 500;
await storage.close();
const diff = (a: Map<string, number>, b: Map<string, number>) => [...b].map(([k, v]) => [k, +(v - (a.get(k) ?? 0)).toFixed(2)]).filter(([, v]) => (v as number) > 0.05);
console.log(JSON.stringify({ impl: process.env.IMPL ?? 'src', tune: process.env.WW_LEVEL_TUNE ?? '', compactReadMB: compactR, compactWriteMB: compactW, files: lines.map((r) => r[1]).join('/'), records, perSec: Math.round(records / (ms / 1000)), perCpuSec: Math.round(records / (cpuUs / 1e6)), wallS: +(ms / 1000).toFixed(1), cpuS: +(cpuUs / 1e6).toFixed(1), bytesPerRec: +(bytes / records).toFixed(1), settleCpuS: +((s.user + s.system) / 1e6).toFixed(1), settleS: +((performance.now() - tS) / 1000).toFixed(1), perCpuSecInclSettle: Math.round(records / ((cpuUs + s.user + s.system) / 1e6)), queryMsAvg: +qms.toFixed(3), threadsIngest: diff(th0, th1), threadsSettle: diff(th1, th2), load: (await readFile('/proc/loadavg', 'utf8')).split(' ')[0] }));
await rm(dir, { recursive: true, force: true });
