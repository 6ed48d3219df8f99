import { describe, expect, it } from 'vitest';
import * as core from '@wardwatch/core';
import * as driverKit from '@wardwatch/core/driver-kit';
import * as testing from '@wardwatch/core/testing';

/** A module of core's package by file, loaded the way the test loads everything else. */
const coreFile = (path: string): Promise<Record<string, unknown>> => import(/* @vite-ignore */ new URL(`../../../packages/core/${path}`, import.meta.url).href);

describe('the example is tested as a vendor uses the SDK', () => {
  it("runs against @wardwatch/core's built package (dist), its testing and driver kits included, not its sources", async () => {
    expect(core.parseCameraSpec).toBe((await coreFile('dist/index.js')).parseCameraSpec);
    expect(driverKit.httpGet).toBe((await coreFile('dist/driver-kit/index.js')).httpGet);
    expect(testing.runCameraDriverChecks).toBe((await coreFile('dist/testing/index.js')).runCameraDriverChecks);
    expect(core.parseCameraSpec).not.toBe((await coreFile('src/index.ts')).parseCameraSpec);
  });
});
