import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { paths: {} } },
  clean: true,
  sourcemap: true,
  shims: true,
  target: 'node20',
  tsconfig: '../../tsconfig.base.json',
});
