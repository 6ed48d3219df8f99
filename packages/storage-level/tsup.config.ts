import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  sourcemap: true,
  target: 'node20',
  tsconfig: '../../tsconfig.base.json',
};

export default defineConfig([
  // The library, ESM + CJS. Both builds run at once: cleaning spares the CLI the second one writes.
  { ...shared, entry: ['src/index.ts'], format: ['esm', 'cjs'], dts: { compilerOptions: { paths: {} } }, clean: ['!cli.js', '!cli.js.map'] },
  // The CLI that bin/wardwatch-storage.js runs: ESM only.
  { ...shared, entry: ['src/cli.ts'], format: ['esm'] },
]);
