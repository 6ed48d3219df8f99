import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { paths: {} } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  shims: true,
  tsconfig: '../../tsconfig.base.json',
});
