import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'driver-kit/index': 'src/driver-kit/index.ts' },
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { paths: {} } },
  clean: true,
  sourcemap: true,
  // import.meta.url in the CommonJS build (the testing entry's vitest loader).
  shims: true,
  target: 'node20',
  external: ['vitest', 'rxjs', 'zod'],
  tsconfig: '../../tsconfig.base.json',
});
