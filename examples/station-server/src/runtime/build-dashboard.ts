import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The dashboard sources and the directory `vite build` writes to. */
export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));
/** The built dashboard served by the station server. */
export const WEB_DIST = join(WEB_DIR, 'dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds the dashboard with Vite when `web/dist` is missing or older than its sources (a few seconds);
 * returns the dist directory. Vite is a dev dependency: it is there after `pnpm install` in the repo.
 */
export async function buildDashboard(options: { force?: boolean; log?: (line: string) => void } = {}): Promise<string> {
  const index = join(WEB_DIST, 'index.html');
  if (!options.force && existsSync(index) && statSync(index).mtimeMs >= newestMtime(WEB_DIR)) return WEB_DIST;
  options.log?.('Building the dashboard (vite build)…');
  const { build } = await import('vite');
  await build({ root: WEB_DIR, configFile: join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn' });
  return WEB_DIST;
}
