import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The example is tested against core's BUILT package, as a vendor's driver uses it: this builds it when needed. */
const core = fileURLToPath(new URL('../../packages/core/', import.meta.url));
const builtEntries = ['dist/index.js', 'dist/testing/index.js', 'dist/driver-kit/index.js'].map((entry) => join(core, entry));

/** Newest modification time of the files under `dir`, ms. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Vitest global setup: builds `@wardwatch/core` when its dist is missing or older than its sources. */
export default function buildCoreIfStale(): void {
  const missing = builtEntries.some((entry) => !existsSync(entry));
  const stale = !missing && newest(join(core, 'src')) > Math.min(...builtEntries.map((entry) => statSync(entry).mtimeMs));
  if (!missing && !stale) return;
  process.stdout.write(`examples/custom-driver: building @wardwatch/core (${missing ? 'no dist yet' : 'dist older than src'}) to test against the built package\n`);
  execFileSync('pnpm', ['--filter', '@wardwatch/core', 'run', 'build'], { cwd: core, stdio: ['ignore', 'ignore', 'inherit'] });
}
