import { createLevelStorage } from '../src/index.js';
import { createMemoryStorage } from '@wardwatch/core';
import { mkdtempSync } from 'node:fs';
const T0 = Date.UTC(2026,0,1);
const sha = 'a'.repeat(64);
for (const kind of ['memory', 'level', 'memory', 'level']) {
  const s = kind === 'level' ? await createLevelStorage({ path: mkdtempSync('/tmp/lvtest/p-') }) : createMemoryStorage();
  let n = 0;
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let h = 0; h < 48; h++) {
    const batch = [];
    for (let m = 0; m < 60; m++) for (let c = 0; c < 77; c++) { const start = T0 + h*3600000 + m*60000; batch.push({ cameraId: `cam-${c}`, start, end: start+60000, path: `cam-${c}/${start}.mp4`, bytes: 3000000, codec: 'h264', sha256: sha }); }
    await s.segments.addMany(batch); n += batch.length;
  }
  await s.flush();
  const cpu = process.cpuUsage(c0); const wall = performance.now() - t0;
  console.log(kind, 'wall rec/s', Math.round(n/(wall/1000)), 'cpu rec/s', Math.round(n/((cpu.user+cpu.system)/1e6)), 'incl generation');
  await s.close();
}
