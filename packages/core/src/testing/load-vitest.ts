import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { WardwatchError } from '../errors/wardwatch-error.js';

/** The part of vitest the `describe*` kits use. */
export interface VitestSuiteApi {
  describe: typeof import('vitest').describe;
  it: typeof import('vitest').it;
}

let loaded: VitestSuiteApi | undefined;

/**
 * Loads vitest when a `describe*` kit is called, not when `@wardwatch/core/testing` is imported, so the `run*` kits
 * work without it. Synchronous (suites must be declared while the test file is collected): vitest's ESM entry is
 * loaded with `require` (Node ≥ 20.19), which shares the module instance the running vitest uses. Without vitest,
 * throws `OPTIONAL_DEPENDENCY_MISSING`.
 */
export function loadVitest(kit: string): VitestSuiteApi {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  let manifestPath: string;
  try {
    manifestPath = require.resolve('vitest/package.json');
  } catch (cause) {
    throw new WardwatchError(
      'OPTIONAL_DEPENDENCY_MISSING',
      `${kit} declares a vitest suite and needs vitest (npm install -D vitest); without vitest use the run* kits (e.g. runCameraDriverChecks)`,
      { cause, details: { packages: ['vitest'], feature: kit } },
    );
  }
  // vitest's CommonJS entry only throws "use import": take the file its `import` condition names.
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: { '.': { import: { default: string } } } };
  loaded = require(join(dirname(manifestPath), manifest.exports['.'].import.default)) as VitestSuiteApi;
  return loaded;
}
