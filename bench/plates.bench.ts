import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type PlateRead, createPlateReader, parseVietnamesePlate } from '@wardwatch/analytics-plugin';
import type { Box } from '@wardwatch/core';
import {
  DEGRADATIONS,
  PLATE_CLASSES,
  PLATE_HEIGHTS,
  type PlateSample,
  plateSample,
  plateSet,
  randomPlate,
  renderPlateFrame,
} from '../packages/analytics-plugin/test/plate-images.js';
import type { BenchFigure } from './bench-types.js';

/**
 * Plate reading on the rendered set of `packages/analytics-plugin/test/plate-images.ts`: every plate class
 * (one-row car, two-row motorbike, square two-row car) × plate height (60/40/25 px) × degradation (clean,
 * tilt ±12°, skew, blur, JPEG quality 30, night), `PLATES_PER_CELL` plates each (default 6), in 640×360 frames.
 * Read three ways: the whole frame (detector at its default 480 px), only the moving area as the plate
 * analyzer passes it (the vehicle and a margin), and — for the 25 px plates — the whole frame with the
 * detector at the frame's full 640 px. Plus near-plates (a plate with one character dropped), where
 * any read is a wrong plate, and read latency per frame at 640×360 and 1280×720.
 */
const perCell = Number(process.env.PLATES_PER_CELL ?? 6);
const here = fileURLToPath(new URL('.', import.meta.url));

/** How a frame is read: whole (detector at 480 px), only the moving area, or whole with the detector at 640 px (25 px plates only). */
type Mode = 'frame' | 'moving-area' | 'frame-640';
const MODES: readonly Mode[] = ['moving-area', 'frame', 'frame-640'];

interface Outcome {
  sample: PlateSample;
  mode: Mode;
  exact: boolean;
  wrong: boolean;
  ms: number;
}

const percentile = (values: number[], p: number): number => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};
const pct = (part: number, all: number): number => (all === 0 ? 0 : (100 * part) / all);

/** The moving area the analyzer would search: the plate's surroundings (a vehicle) with its 8 % margin. */
function movingArea(plate: Box): Box {
  const x0 = Math.max(0, plate.x - plate.width * 1.2 - 0.08);
  const y0 = Math.max(0, plate.y - plate.height * 1.2 - 0.08);
  const x1 = Math.min(1, plate.x + plate.width * 2.2 + 0.08);
  const y1 = Math.min(1, plate.y + plate.height * 2.2 + 0.08);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * Plates with one character dropped (`37-220.36` from `37Z-220.36`): no read is the right read. Drops that leave
 * another valid plate as printed (`61D` from `61LD`) are skipped — reading those is right.
 */
function nearPlates(count: number): PlateSample[] {
  const out: PlateSample[] = [];
  for (let i = 0; out.length < count; i += 1) {
    const plateClass = PLATE_CLASSES[i % PLATE_CLASSES.length]!;
    const { rows } = randomPlate(plateClass, 10_000 + i);
    // Even: drop a letter of the series; odd: drop a digit of the number.
    const r = i % 2 === 0 ? 0 : rows.length - 1;
    const row = rows[r]!;
    const letters = [...row].map((c, j) => (/[A-ZĐ]/.test(c) ? j : -1)).filter((j) => j >= 0);
    const digits = [...row].map((c, j) => (/[0-9]/.test(c) && j > (rows.length === 1 ? 3 : -1) ? j : -1)).filter((j) => j >= 0);
    const at = i % 2 === 0 ? letters[i % letters.length]! : digits[digits.length - 1 - (i % 3)]!;
    const damaged = rows.map((text, j) => (j === r ? text.slice(0, at) + text.slice(at + 1) : text));
    if (parseVietnamesePlate(damaged.join('\n'))) continue;
    out.push(plateSample(plateClass, damaged, '', PLATE_HEIGHTS[i % 2]!, DEGRADATIONS[i % DEGRADATIONS.length]!, 20_000 + i));
  }
  return out;
}

export default async function platesBench(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const reader = await createPlateReader({ threads: 2, crops: false });
  const fullResolution = await createPlateReader({ threads: 2, crops: false, maxSide: 640 });
  const outcomes: Outcome[] = [];
  const judge = (sample: PlateSample, reads: PlateRead[]): { exact: boolean; wrong: boolean } => ({
    exact: sample.expected !== '' && reads.some((r) => r.plate === sample.expected),
    wrong: reads.some((r) => r.plate !== sample.expected),
  });
  const set = plateSet(perCell);
  await reader.read((await renderPlateFrame(set[0]!)).frame); // warm-up
  for (const sample of [...set, ...nearPlates(3 * perCell * 2)]) {
    const { frame, plateBox } = await renderPlateFrame(sample);
    for (const mode of MODES) {
      if (mode === 'frame-640' && sample.height !== 25) continue;
      const t = performance.now();
      const reads = mode === 'frame-640' ? await fullResolution.read(frame) : await reader.read(frame, mode === 'frame' ? {} : { roi: movingArea(plateBox) });
      outcomes.push({ sample, mode, ms: performance.now() - t, ...judge(sample, reads) });
    }
  }

  // ── Accuracy per class and level ─────────────────────────────────────────
  const plates = outcomes.filter((o) => o.sample.expected !== '');
  const rate = (list: Outcome[]): number => pct(list.filter((o) => o.exact).length, list.length);
  const table: Array<Record<string, string | number>> = [];
  for (const mode of MODES) {
    for (const plateClass of PLATE_CLASSES) {
      for (const height of PLATE_HEIGHTS) {
        const cell = plates.filter((o) => o.mode === mode && o.sample.plateClass === plateClass && o.sample.height === height);
        if (cell.length === 0) continue;
        const row: Record<string, string | number> = { mode, class: plateClass, height: `${height} px`, exact: `${rate(cell).toFixed(1)} %`, wrong: cell.filter((o) => o.wrong).length, n: cell.length };
        for (const d of DEGRADATIONS) row[d] = `${cell.filter((o) => o.sample.degradation === d && o.exact).length}/${cell.filter((o) => o.sample.degradation === d).length}`;
        table.push(row);
        figures.push({ name: `plates (${mode}): ${plateClass} at ${height} px exact`, value: rate(cell), unit: '%' });
      }
    }
  }
  console.table(table);

  // ── Targets: two-row motorbike plates ─────────────────────────────────────
  for (const mode of MODES) {
    const bikes = plates.filter((o) => o.mode === mode && o.sample.plateClass === 'bike-2row');
    const small = rate(bikes.filter((o) => o.sample.height === 25));
    if (mode !== 'frame-640') {
      const big = rate(bikes.filter((o) => o.sample.height >= 40));
      figures.push({ name: `plates (${mode}): two-row motorbike ≥ 40 px, tilt included, exact`, value: big, unit: '%', target: '>= 95 %', met: big >= 95 });
    }
    figures.push({ name: `plates (${mode}): two-row motorbike 25 px exact`, value: small, unit: '%', target: '>= 80 %', met: small >= 80 });
    const modeAll = outcomes.filter((o) => o.mode === mode);
    const wrong = pct(modeAll.filter((o) => o.wrong).length, modeAll.length);
    const over = mode === 'frame-640' ? '25 px plates of every class' : 'every plate and near-plate';
    figures.push({ name: `plates (${mode}): wrong-plate rate (frames with a read that is not the plate; ${over})`, value: wrong, unit: '%', target: '<= 1 %', met: wrong <= 1 });
    if (mode === 'frame-640') continue;
    const near = modeAll.filter((o) => o.sample.expected === '');
    figures.push({ name: `plates (${mode}): near-plates (one character dropped) read as a plate`, value: pct(near.filter((o) => o.wrong).length, near.length), unit: '%' });
    for (const d of DEGRADATIONS) {
      figures.push({ name: `plates (${mode}): ${d}, all classes and heights, exact`, value: rate(plates.filter((o) => o.mode === mode && o.sample.degradation === d)), unit: '%' });
    }
  }

  // ── Read latency per frame ───────────────────────────────────────────────
  for (const [width, height] of [
    [640, 360],
    [1280, 720],
  ] as const) {
    const samples = plateSet(1, PLATE_CLASSES, [40], ['clean', 'tilt+12', 'night', 'jpeg30']).slice(0, 12);
    const frames = await Promise.all(samples.map(async (s) => (await renderPlateFrame(s, width, height)).frame));
    await reader.read(frames[0]!);
    const ms: number[] = [];
    let exact = 0;
    for (let round = 0; round < 2; round += 1) {
      for (const [i, frame] of frames.entries()) {
        const t = performance.now();
        const reads = await reader.read(frame);
        ms.push(performance.now() - t);
        if (reads.some((r) => r.plate === samples[i]!.expected)) exact += 1;
      }
    }
    figures.push({ name: `plates: 40 px plates read exactly in whole ${width}×${height} frames (latency set)`, value: pct(exact, ms.length), unit: '%' });
    figures.push({ name: `plates: read latency per ${width}×${height} frame p50 (2 threads, whole frame)`, value: percentile(ms, 50), unit: 'ms' });
    figures.push({ name: `plates: read latency per ${width}×${height} frame p99 (2 threads, whole frame)`, value: percentile(ms, 99), unit: 'ms' });
  }
  const areaMs = outcomes.filter((o) => o.mode === 'moving-area').map((o) => o.ms);
  figures.push({ name: 'plates: read latency, moving area of a 640×360 frame, p50', value: percentile(areaMs, 50), unit: 'ms' });
  figures.push({ name: 'plates: read latency, moving area of a 640×360 frame, p99', value: percentile(areaMs, 99), unit: 'ms' });
  figures.push({ name: 'plates: machine load average during the run (1 min)', value: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]), unit: 'runnable tasks' });
  await reader.close();
  await fullResolution.close();

  mkdirSync(`${here}results`, { recursive: true });
  writeFileSync(`${here}results/plates.json`, JSON.stringify({ at: new Date().toISOString(), perCell, table, figures }, null, 2));
  console.log(`plates: per-cell table written to bench/results/plates.json (${outcomes.length} reads)`);
  return figures;
}
