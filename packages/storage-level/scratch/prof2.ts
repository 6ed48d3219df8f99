import { SegmentSchema } from '@wardwatch/core';
import { Level } from 'level';
import { mkdtempSync } from 'node:fs';
const T0 = Date.UTC(2026,0,1);
const sha = 'a'.repeat(64);
const batch: any[] = [];
for (let m = 0; m < 600; m++) for (let c = 0; c < 77; c++) { const start = T0 + m*60000; batch.push({ cameraId: `cam-${c}`, start, end: start+60000, path: `cam-${c}/${start}.mp4`, bytes: 3000000, codec: 'h264', sha256: sha }); }
const db = new Level<string,string>(mkdtempSync('/tmp/lvtest/q-'));
await db.open();
const CAM = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/; const SHA = /^[0-9a-f]{64}$/;
for (let round = 0; round < 3; round++) {
  let t = performance.now();
  for (const s of batch) SegmentSchema.safeParse(s);
  const zod = (performance.now()-t)*1000/batch.length;
  t = performance.now();
  let ok = 0;
  for (const s of batch) { if (typeof s.cameraId === 'string' && CAM.test(s.cameraId) && !s.cameraId.includes('..') && Number.isSafeInteger(s.start) && s.start >= 0 && Number.isSafeInteger(s.end) && s.end >= s.start && typeof s.path === 'string' && s.path.length > 0 && s.path.length <= 1024 && Number.isSafeInteger(s.bytes) && s.bytes >= 0 && typeof s.codec === 'string' && s.codec.length > 0 && s.codec.length <= 64 && typeof s.sha256 === 'string' && SHA.test(s.sha256)) ok++; }
  const fast = (performance.now()-t)*1000/batch.length;
  t = performance.now();
  const b = db.batch();
  for (const s of batch) b.put(`!segments!${s.cameraId}!${String(s.start + round).padStart(15,'0')}`, JSON.stringify([s.end-s.start,s.bytes,s.codec,s.path,s.sha256]));
  const t2 = performance.now();
  await b.write();
  const build = (t2-t)*1000/batch.length, write = (performance.now()-t2)*1000/batch.length;
  t = performance.now();
  await db.batch(batch.map(s => ({ type: 'put' as const, key: `!segments!${s.cameraId}!${String(s.start + round + 10).padStart(15,'0')}`, value: JSON.stringify([s.end-s.start,s.bytes,s.codec,s.path,s.sha256]) })));
  const arr = (performance.now()-t)*1000/batch.length;
  console.log({ zod: zod.toFixed(2), fast: fast.toFixed(2), build: build.toFixed(2), write: write.toFixed(2), arr: arr.toFixed(2) });
}
await db.close();
