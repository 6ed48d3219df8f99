import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  sourcemap: true,
  shims: true,
  target: 'node20',
  tsconfig: '../../tsconfig.base.json',
};

export default defineConfig([
  // The library, ESM + CJS. Both builds run at once: cleaning spares the CLI the second one writes.
  { ...shared, entry: ['src/index.ts'], format: ['esm', 'cjs'], dts: { compilerOptions: { paths: {} } }, clean: ['!cli.js', '!cli.js.map'] },
  // The CLI that bin/wardwatch-sim.js runs: ESM only (no CommonJS copy nobody loads).
  { ...shared, entry: ['src/cli.ts'], format: ['esm'] },
]);
