import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { sceneGraph } from '../simulator/src/scene-graph.js';
import { measurePicture, layoutCorrelation } from './src/picture-metrics.js';
const font = readFileSync('/dev/null') && execFileSync('bash', ['-c', 'ls /work/main/node_modules/.pnpm/dejavu-fonts-ttf@*/node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf']).toString().trim();
writeFileSync('/tmp/aw/calib/osd.txt', 'Cổng chợ\nPTZ 0 0 1');
let ref: any;
for (const scene of ['street', 'static'] as const) for (const picture of ['normal', 'black', 'covered', 'blurred', 'scene-changed', 'night'] as const) {
  const g = sceneGraph({ width: 640, height: 360, fps: 10, scene, picture, fontFile: font, osdFile: '/tmp/aw/calib/osd.txt', vehicles: [{ plate: '30A-123.45', startMs: Date.now() - 500, durationMs: 3000 }], driftMs: 0 }, Date.now());
  const out = `/tmp/aw/calib/${scene}-${picture}.mp4`;
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', g, '-t', '2', '-c:v', 'libx264', '-b:v', '500k', '-pix_fmt', 'yuv420p', out]);
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', out, '-vf', 'fps=5,scale=320:180', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 1e8 });
  const fsz = 320 * 180;
  const m = measurePicture({ cameraId: 'x', at: 0, width: 320, height: 180, format: 'gray', data: new Uint8Array(raw.subarray(fsz * 5, fsz * 6)) });
  if (picture === 'normal') ref = m;
  const e = Array.from(m.cellEnergy).sort((a, b) => a - b);
  console.log(scene, picture.padEnd(14), 'bright', m.brightness.toFixed(3), 'flat', m.flatRatio.toFixed(2), 'noise', m.noise.toFixed(2), 'E50', e[72]!.toFixed(2), 'E75', e[108]!.toFixed(2), 'E90', e[130]!.toFixed(2), 'ratio', ratio(m, ref).toFixed(2), 'ncc', layoutCorrelation(m.cellMean, ref.cellMean).toFixed(2));
}

function ratio(m: any, ref: any) {
  const idx = Array.from(ref.cellEnergy.keys()).sort((a: any, b: any) => ref.cellEnergy[b] - ref.cellEnergy[a]).slice(0, 36);
  const r = idx.map((i: any) => m.cellEnergy[i] / Math.max(1, ref.cellEnergy[i])).sort((a: number, b: number) => a - b);
  return r[Math.floor(r.length / 2)];
}
