import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench, BenchFigure } from './bench-types.js';

/**
 * `pnpm bench [substring...]`: runs every `bench/*.bench.ts` (or those whose name contains a given
 * substring), each in its own Node process so one bench's memory and CPU never count in another's,
 * prints the figures and a table, and writes `bench/results/latest.json` (a partial run replaces only
 * the figures of the benches it ran).
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--child') {
  // Child mode: run one bench module and write its figures as JSON.
  const [file, out] = process.argv.slice(3) as [string, string];
  const mod = (await import(pathToFileURL(`${here}${file}`).href)) as { default: Bench };
  const figures = await mod.default();
  writeFileSync(out, JSON.stringify(figures));
  process.exit(0);
}

const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const results: Array<BenchFigure & { bench: string; ratio?: number }> = [];
const scratch = mkdtempSync(join(tmpdir(), 'wardwatch-bench-'));
for (const file of files) {
  process.stdout.write(`\n▶ ${file}\n`);
  const out = join(scratch, `${file}.json`);
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, self, '--child', file, out], { stdio: 'inherit', env: process.env });
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  if (code !== 0) {
    process.stdout.write(`  FAILED: ${file} exited with code ${code}\n`);
    process.exitCode = 1;
    continue;
  }
  for (const figure of JSON.parse(readFileSync(out, 'utf8')) as BenchFigure[]) {
    const ratio = figure.baseline ? figure.value / figure.baseline : undefined;
    results.push({ bench: file, ...figure, ...(ratio === undefined ? {} : { ratio }) });
    process.stdout.write(
      `  ${figure.name}: ${fmt(figure.value)} ${figure.unit}${figure.baseline === undefined ? '' : ` (baseline ${figure.baselineName ?? ''} ${fmt(figure.baseline)}, ratio ${fmt(ratio ?? 0)})`}\n`,
    );
  }
}
rmSync(scratch, { recursive: true, force: true });

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
// A partial run (`pnpm bench recorder`) replaces only its own benches' figures in latest.json.
const latestPath = `${here}results/latest.json`;
const kept = only.length === 0 ? [] : previousResults().filter((r) => !files.includes(r.bench));
mkdirSync(`${here}results`, { recursive: true });
writeFileSync(latestPath, JSON.stringify({ at: new Date().toISOString(), node: process.version, results: [...kept, ...results] }, null, 2));
console.log(`written bench/results/latest.json (${results.length} new figures, ${kept.length} kept from earlier runs)`);

function previousResults(): Array<{ bench: string }> {
  try {
    return (JSON.parse(readFileSync(latestPath, 'utf8')) as { results: Array<{ bench: string }> }).results;
  } catch {
    return []; // no earlier run
  }
}
