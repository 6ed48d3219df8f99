import { createRequire } from 'node:module';
import sharp from 'sharp';
import path from 'node:path';
const require = createRequire(import.meta.url);
const t0 = Date.now();
const humanPkg = path.resolve(path.dirname(require.resolve('@vladmandic/human')), '..');
const H = require(path.join(humanPkg, 'dist/human.node-wasm.js'));
const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/';
console.log(Object.keys(H));
import fs from 'node:fs';
function fileRouter(url) {
  if (typeof url !== 'string' || !url.startsWith('file://')) return null;
  const file = url.slice(7);
  return { load: async () => {
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    return human.tf.io.getModelArtifactsForJSON(json, async (manifest) => {
      const specs = []; const bufs = [];
      for (const group of manifest) { for (const w of group.weights) specs.push(w); for (const p of group.paths) bufs.push(fs.readFileSync(path.join(path.dirname(file), p))); }
      const all = Buffer.concat(bufs);
      return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
    });
  } };
}
const human = new H.Human({
  backend: 'wasm', wasmPath: wasmDir, modelBasePath: 'file://' + humanPkg + '/models/', debug: false,
  face: { enabled: true, detector: { rotation: false, maxDetected: 5, minConfidence: 0.3 }, mesh: { enabled: true }, iris: { enabled: false }, description: { enabled: true }, emotion: { enabled: false }, antispoof: {enabled:false}, liveness:{enabled:false} },
  body: { enabled: false }, hand: { enabled: false }, object: { enabled: false }, gesture: { enabled: false }, segmentation: { enabled: false }, filter: { enabled: false },
});
human.tf.io.registerLoadRouter(fileRouter);
await human.load();
console.log('load', Date.now() - t0, human.tf.getBackend());
async function run(file, extract) {
  let img = sharp(file); if (extract) img = img.extract(extract);
  const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const t = human.tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], 'int32');
  const t1 = Date.now();
  const r = await human.detect(t);
  t.dispose();
  console.log(file, extract, Date.now() - t1, r.face.length, r.face.map(f => [f.box, f.score.toFixed(2), f.embedding?.length]));
  return r.face;
}
const a = await run('/tmp/aw/faceid.png', { left: 14, top: 140, width: 140, height: 142 });
const b = await run('/work/main/node_modules/.pnpm/@vladmandic+human@3.3.6/node_modules/@vladmandic/human/assets/screenshot-facematch.jpg', { left: 0, top: 0, width: 170, height: 170 });
console.log('sim', human.match.similarity(a[0].embedding, b[0].embedding));
