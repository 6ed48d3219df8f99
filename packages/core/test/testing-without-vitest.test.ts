import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cameraDriverChecks } from '@wardwatch/core/testing';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const fixture = join(import.meta.dirname, 'fixtures/testing-without-vitest.ts');

describe('@wardwatch/core/testing without vitest', () => {
  it('imports, and runs the camera driver kit, in a process where vitest cannot be imported', async () => {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', tsx, fixture], { timeout: 60_000 }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)));
    });
    const report = JSON.parse(stdout.trim()) as { blocked: boolean; results: Array<{ name: string; ok: boolean }> };
    expect(report.blocked).toBe(true); // the child really could not import vitest
    expect(report.results.map((r) => r.name)).toEqual(cameraDriverChecks.map((c) => c.name));
    expect(report.results.every((r) => r.ok)).toBe(true);
  });
});
