import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Source aliases so tests run against `src/` without a build. */
const alias = [
  { find: /^@wardwatch\/core\/testing$/, replacement: `${root}packages/core/src/testing/index.ts` },
  { find: /^@wardwatch\/core\/driver-kit$/, replacement: `${root}packages/core/src/driver-kit/index.ts` },
  ...['core', 'simulator', 'onvif-driver', 'recorder', 'storage-level', 'analytics-plugin'].map((name) => ({
    find: new RegExp(`^@wardwatch/${name}$`),
    replacement: `${root}packages/${name}/src/index.ts`,
  })),
];

/**
 * Projects tested against core's BUILT package (dist, through its `exports`), as an out-of-tree vendor uses it; their
 * `vitest.build-core.ts` builds core first when its dist is missing or stale, so `pnpm test` needs no prior build.
 * Only the simulator (test infrastructure, not the code under test) still comes from source.
 */
const againstBuiltCore = new Set(['examples/custom-driver']);
const builtCoreAlias = alias.filter((entry) => String(entry.find).includes('simulator'));

/** Projects whose tests need a system Chromium (checked once, before their tests, with a one-line message). */
const needsChromium = new Set(['examples/station-server']);

/** One vitest project per package or example that has a `test/` folder. */
const projects = ['packages', 'examples'].flatMap((group) =>
  readdirSync(`${root}${group}`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(`${root}${group}/${entry.name}/test`))
    .map((entry) => ({
      resolve: { alias: againstBuiltCore.has(`${group}/${entry.name}`) ? builtCoreAlias : alias },
      test: {
        name: `${group}/${entry.name}`,
        root: `${root}${group}/${entry.name}`,
        include: ['test/**/*.test.ts'],
        ...(needsChromium.has(`${group}/${entry.name}`) ? { globalSetup: [`${root}vitest.require-chromium.ts`] } : {}),
        ...(againstBuiltCore.has(`${group}/${entry.name}`) ? { globalSetup: [`${root}${group}/${entry.name}/vitest.build-core.ts`] } : {}),
        typecheck: {
          enabled: true,
          include: ['test/**/*.test-d.ts'],
          tsconfig: existsSync(`${root}${group}/${entry.name}/tsconfig.json`)
            ? `${root}${group}/${entry.name}/tsconfig.json`
            : `${root}tsconfig.json`,
          // Source errors are `pnpm typecheck`'s job; here only the type tests themselves count.
          ignoreSourceErrors: true,
        },
        testTimeout: 60_000,
        hookTimeout: 60_000,
      },
    })),
);

export default defineConfig({
  test: {
    projects,
    pool: 'forks',
    fileParallelism: true,
  },
});
