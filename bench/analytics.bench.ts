import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { resolveFfmpegPath } from '@wardwatch/recorder';
import { MotionDetector, createFaceEngine, createPlateReader } from '@wardwatch/analytics-plugin';
import type { Frame } from '@wardwatch/core';
import type { BenchFigure } from './bench-types.js';

const run = promisify(execFile);
const pluginDir = fileURLToPath(new URL('../packages/analytics-plugin/', import.meta.url));
const require = createRequire(join(pluginDir, 'package.json'));
const FONT = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans-Bold.ttf').replace(/[\\':]/g, (c) => `\\${c}`);
const TICK = 100;

function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return 0;
  }
}

const percentile = (values: number[], p: number): number => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

/** A street scene with a car crossing: lavfi graph at `fps`. */
function streetGraph(width: number, height: number, fps: number, plate = '30A-123.45'): string {
  const fs = Math.round(height / 16);
  const x = `mod(t*120\\,${width + 300})-250`;
  return (
    `color=c=0x3c3c3c:s=${width}x${height}:r=${fps},drawbox=x=0:y=0:w=iw:h=ih*0.22:color=0x5f7f3a:t=fill,drawbox=x=0:y=ih*0.8:w=iw:h=ih*0.2:color=0x9a9a9a:t=fill,` +
    `drawtext=fontfile=${FONT}:text=${plate}:fontsize=${fs}:fontcolor=0x1e50a0:box=1:boxcolor=0x1e50a0:boxborderw=${Math.round(fs * 1.4)}:x=${x}:y=h*0.62,` +
    `drawtext=fontfile=${FONT}:text=${plate}:fontsize=${fs}:fontcolor=black:box=1:boxcolor=white:boxborderw=3:x=${x}:y=h*0.62,` +
    `noise=alls=4:allf=t`
  );
}

/** CPU of decoding a 640×360 H.264 sub stream to 320×180 gray at 5 fps in real time, with and without motion analysis. */
async function motionCpu(ffmpeg: string, clip: string, seconds: number, analyze: boolean): Promise<{ cpuPercent: number; frames: number; events: number }> {
  const child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-re', '-i', clip, '-an', '-vf', 'fps=5,scale=320:180', '-pix_fmt', 'gray', '-f', 'rawvideo', 'pipe:1'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const detector = new MotionDetector({ zones: [[[0, 0.5], [1, 0.5], [1, 0.8], [0, 0.8]]] });
  const size = 320 * 180;
  let pending = Buffer.alloc(0);
  let frames = 0;
  let events = 0;
  let nodeCpu = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= size) {
      const data = new Uint8Array(pending.subarray(0, size));
      pending = pending.subarray(size);
      frames += 1;
      if (!analyze) continue;
      const before = process.cpuUsage();
      const frame: Frame = { cameraId: 'bench', at: frames * 200, width: 320, height: 180, format: 'gray', data };
      if (detector.step(frame).changed) events += 1;
      const used = process.cpuUsage(before);
      nodeCpu += (used.user + used.system) / 1e6;
    }
  });
  await new Promise((r) => setTimeout(r, 1000)); // warm-up
  const startCpu = cpuSeconds(child.pid!);
  const startNode = nodeCpu;
  const startFrames = frames;
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const wall = (Date.now() - t0) / 1000;
  const used = cpuSeconds(child.pid!) - startCpu + (nodeCpu - startNode);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { cpuPercent: (100 * used) / wall, frames: frames - startFrames, events };
}

export default async function analyticsBench(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const ffmpeg = resolveFfmpegPath();
  const dir = mkdtempSync(join(tmpdir(), 'ww-bench-analytics-'));
  try {
    // ── Motion: CPU per camera, decode included ──────────────────────────────
    const clip = join(dir, 'sub.mp4');
    await run(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', streetGraph(640, 360, 10), '-t', '20', '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '500k', '-g', '20', '-pix_fmt', 'yuv420p', clip]);
    const decodeOnly = await motionCpu(ffmpeg, clip, 10, false);
    const withMotion = await motionCpu(ffmpeg, clip, 10, true);
    figures.push({
      name: 'motion: CPU per camera incl. decode (320×180 gray, 5 fps)',
      value: withMotion.cpuPercent,
      unit: '% of one core',
      baseline: decodeOnly.cpuPercent,
      baselineName: 'decode only',
      target: '<= 5 % of one core',
      met: withMotion.cpuPercent <= 5,
    });
    figures.push({ name: 'motion: frames analysed per second', value: withMotion.frames / 10, unit: 'frames/s' });

    // ── Plates: OCR latency per 640×360 frame on 2 threads ───────────────────
    const reader = await createPlateReader({ threads: 2 });
    const { stdout } = await run(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', streetGraph(640, 360, 4, '51F-678.90'), '-frames:v', '24', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
      encoding: 'buffer',
      maxBuffer: 256 * 1024 * 1024,
    });
    const size = 640 * 360 * 3;
    const frames: Frame[] = [];
    for (let i = 0; i + size <= stdout.length; i += size) frames.push({ cameraId: 'bench', at: i, width: 640, height: 360, format: 'rgb', data: new Uint8Array(stdout.subarray(i, i + size)) });
    await reader.read(frames[0]!); // warm-up
    const latencies: number[] = [];
    let read = 0;
    const tPlates = performance.now();
    for (const frame of frames) {
      const t = performance.now();
      const reads = await reader.read(frame);
      latencies.push(performance.now() - t);
      if (reads.some((r) => r.plate === '51F-678.90')) read += 1;
    }
    const platesWall = (performance.now() - tPlates) / 1000;
    const p50 = percentile(latencies, 50);
    figures.push({ name: 'plates: recognition latency per 640×360 frame p50 (2 threads)', value: p50, unit: 'ms', target: 'p50 <= 250 ms', met: p50 <= 250 });
    figures.push({ name: 'plates: recognition latency per 640×360 frame p99 (2 threads)', value: percentile(latencies, 99), unit: 'ms' });
    figures.push({ name: 'plates: frames/s on 2 cores', value: frames.length / platesWall, unit: 'frames/s' });
    figures.push({ name: 'plates: frames where the plate was read', value: (100 * read) / frames.length, unit: '%' });

    // As the analyzer runs it: only the moving area (motion boxes + margin) is searched.
    const gate = new MotionDetector({ startAfterMs: 0, warmupFrames: 1 });
    const roiLatencies: number[] = [];
    for (const frame of frames) {
      const step = gate.step(frame);
      const boxes = step.boxes;
      if (boxes.length === 0) continue;
      const x0 = Math.max(0, Math.min(...boxes.map((b) => b.x)) - 0.08);
      const y0 = Math.max(0, Math.min(...boxes.map((b) => b.y)) - 0.08);
      const x1 = Math.min(1, Math.max(...boxes.map((b) => b.x + b.width)) + 0.08);
      const y1 = Math.min(1, Math.max(...boxes.map((b) => b.y + b.height)) + 0.08);
      const t = performance.now();
      await reader.read(frame, { roi: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } });
      roiLatencies.push(performance.now() - t);
    }
    if (roiLatencies.length > 0) {
      const roiP50 = percentile(roiLatencies, 50);
      figures.push({ name: 'plates: latency per frame, moving area only (as the analyzer runs) p50', value: roiP50, unit: 'ms', target: 'p50 <= 250 ms', met: roiP50 <= 250 });
    }

    // ── Faces: detection + embedding per frame ───────────────────────────────
    const engine = await createFaceEngine();
    const humanAssets = join(dirname(require.resolve('@vladmandic/human')), '..', 'assets');
    const { stdout: face } = await run(
      ffmpeg,
      ['-v', 'error', '-i', join(humanAssets, 'screenshot-facematch.jpg'), '-vf', 'crop=108:100:108:282', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
      { encoding: 'buffer' },
    );
    const faceFrames: Frame[] = [];
    for (let i = 0; i < 8; i += 1) {
      const data = new Uint8Array(640 * 360 * 3);
      for (let p = 0; p < data.length; p += 3) data.set([80, 88, 96], p);
      const left = 40 + i * 60;
      for (let y = 0; y < 100; y += 1) data.set(face.subarray(y * 108 * 3, (y + 1) * 108 * 3), ((120 + y) * 640 + left) * 3);
      faceFrames.push({ cameraId: 'bench', at: i, width: 640, height: 360, format: 'rgb', data });
    }
    await engine.detect(faceFrames[0]!); // warm-up (WASM compile)
    const faceLatencies: number[] = [];
    let found = 0;
    for (const frame of faceFrames) {
      const t = performance.now();
      const faces = await engine.detect(frame);
      faceLatencies.push(performance.now() - t);
      if (faces.length > 0) found += 1;
    }
    figures.push({ name: 'faces: detection + embedding per 640×360 frame p50 (WASM)', value: percentile(faceLatencies, 50), unit: 'ms' });
    figures.push({ name: 'faces: frames where the face was found', value: (100 * found) / faceFrames.length, unit: '%' });
    figures.push({ name: 'analytics: machine load average during the run (1 min)', value: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]), unit: 'runnable tasks' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
