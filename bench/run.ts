import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench, BenchFigure } from './bench-types.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const results: Array<BenchFigure & { bench: string; ratio?: number }> = [];
for (const file of files) {
  process.stdout.write(`\n▶ ${file}\n`);
  const mod = (await import(pathToFileURL(`${here}${file}`).href)) as { default: Bench };
  try {
    for (const figure of await mod.default()) {
      const ratio = figure.baseline ? figure.value / figure.baseline : undefined;
      results.push({ bench: file, ...figure, ...(ratio === undefined ? {} : { ratio }) });
      process.stdout.write(`  ${figure.name}: ${fmt(figure.value)} ${figure.unit}${figure.baseline === undefined ? '' : ` (baseline ${figure.baselineName ?? ''} ${fmt(figure.baseline)}, ratio ${fmt(ratio ?? 0)})`}\n`);
    }
  } catch (error) {
    process.stdout.write(`  FAILED: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  }
}

function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(3);
}

console.log('\n' + '─'.repeat(100));
console.table(
  results.map((r) => ({
    figure: r.name,
    value: `${fmt(r.value)} ${r.unit}`,
    baseline: r.baseline === undefined ? '' : `${r.baselineName ?? ''} ${fmt(r.baseline)}`,
    ratio: r.ratio === undefined ? '' : fmt(r.ratio),
    target: r.target ?? '',
    met: r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  })),
);
mkdirSync(`${here}results`, { recursive: true });
writeFileSync(`${here}results/latest.json`, JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
console.log(`written bench/results/latest.json (${results.length} figures)`);
