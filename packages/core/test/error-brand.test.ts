import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as source from '@wardwatch/core';

type Core = typeof source;

const coreDir = join(import.meta.dirname, '..');
let outDir = '';
let esm: Core;
let cjs: Core;

// Builds core as it is published (ESM + CJS, with tsup) into a folder under the package, so `zod` and `rxjs` resolve,
// and loads both copies: three classes named WardwatchError in one process, as when a CommonJS driver meets an ESM
// station, or two installs of core meet.
beforeAll(async () => {
  mkdirSync(join(coreDir, '.tmp'), { recursive: true });
  outDir = mkdtempSync(join(coreDir, '.tmp', 'brand-'));
  await build({
    config: false,
    entry: { index: join(coreDir, 'src/index.ts') },
    format: ['esm', 'cjs'],
    outDir,
    target: 'node20',
    external: ['rxjs', 'zod'],
    tsconfig: join(coreDir, '../../tsconfig.base.json'),
    silent: true,
  });
  esm = (await import(pathToFileURL(join(outDir, 'index.js')).href)) as Core;
  cjs = createRequire(import.meta.url)(join(outDir, 'index.cjs')) as Core;
}, 60_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('WardwatchError is recognised across copies of core (brand, not class identity)', () => {
  it('loads three distinct classes', () => {
    expect(esm.WardwatchError).not.toBe(cjs.WardwatchError);
    expect(esm.WardwatchError).not.toBe(source.WardwatchError);
  });

  it('an error thrown by the CommonJS build keeps its code in the ESM build', () => {
    const thrown = new cjs.WardwatchError('CAMERA_AUTH_FAILED', 'Camera cam-1 rejected the credentials', { details: { cameraId: 'cam-1' } });
    expect(esm.isWardwatchError(thrown)).toBe(true);
    expect(esm.isWardwatchError(thrown, 'CAMERA_AUTH_FAILED')).toBe(true);
    expect(esm.isWardwatchError(thrown, 'CAMERA_UNREACHABLE')).toBe(false);
    const normalised = esm.toWardwatchError(thrown, 'CAMERA_UNREACHABLE');
    expect(normalised).toBe(thrown); // passed through, not wrapped into a retryable CAMERA_UNREACHABLE
    expect(normalised.code).toBe('CAMERA_AUTH_FAILED');
    expect(normalised.retryable).toBe(false);
    expect(thrown instanceof esm.WardwatchError).toBe(true);
  });

  it('works the other way round and with the source copy', () => {
    const fromEsm = new esm.WardwatchError('STORAGE_LOCKED', 'held');
    const fromSource = new source.WardwatchError('NOT_FOUND', 'gone');
    expect(cjs.isWardwatchError(fromEsm, 'STORAGE_LOCKED')).toBe(true);
    expect(cjs.toWardwatchError(fromEsm)).toBe(fromEsm);
    expect(source.isWardwatchError(fromEsm)).toBe(true);
    expect(esm.isWardwatchError(fromSource, 'NOT_FOUND')).toBe(true);
    expect(fromSource instanceof cjs.WardwatchError).toBe(true);
  });

  it('does not take look-alikes for WardwatchErrors', () => {
    const lookalike = Object.assign(new Error('nope'), { code: 'CAMERA_AUTH_FAILED', retryable: false, details: {} });
    for (const core of [esm, cjs, source]) {
      expect(core.isWardwatchError(lookalike)).toBe(false);
      expect(lookalike instanceof core.WardwatchError).toBe(false);
      const normalised = core.toWardwatchError(lookalike, 'CAMERA_UNREACHABLE');
      expect(normalised).not.toBe(lookalike);
      expect(normalised.code).toBe('CAMERA_UNREACHABLE');
      expect(core.isWardwatchError(null)).toBe(false);
      expect(core.isWardwatchError('CAMERA_AUTH_FAILED')).toBe(false);
    }
  });

  it('keeps the brand off the error itself (JSON, keys and equality unchanged)', () => {
    const error = new esm.WardwatchError('INVALID_ARGUMENT', 'bad', { details: { field: 'x' } });
    expect(Object.getOwnPropertySymbols(error)).toEqual([]);
    expect(JSON.parse(JSON.stringify(error))).toEqual({ code: 'INVALID_ARGUMENT', message: 'bad', retryable: false, details: { field: 'x' } });
  });
});
