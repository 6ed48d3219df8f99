import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts', compilerOptions: { paths: {} } },
  clean: true,
  sourcemap: true,
  shims: true,
  target: 'node20',
  tsconfig: '../../tsconfig.base.json',
});
