import { concatFragmentedMp4 } from './src/fmp4-concat.js';
const inputs = Array.from({ length: 60 }, (_, i) => ({ path: `/tmp/clipb/s${String(i + 1).padStart(2, '0')}.mp4`, start: i * 10_000 }));
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  const r = await concatFragmentedMp4(inputs, { from: 0, to: 600_000 }, '/tmp/clipb/fast.mp4');
  console.log('fast', Math.round(performance.now() - t), 'ms', r.bytes, r.durationMs);
}
