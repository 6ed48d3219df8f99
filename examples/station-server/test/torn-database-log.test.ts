import { cp, mkdtemp, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@wardwatch/core';
import { storageFixtures } from '@wardwatch/core/testing';
import { createLevelStorage } from '@wardwatch/storage-level';
import { afterEach, describe, expect, it } from 'vitest';
import { parseStationConfig } from '../src/config/station-config.js';
import { dataPaths, startStationRuntime } from '../src/runtime/start-station-runtime.js';

const { makeSegment, MINUTE, T0 } = storageFixtures;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** The station's logger, every warning kept. */
function captureWarnings(): { logger: Logger; warnings: Array<{ obj: Record<string, unknown>; msg: string | undefined }> } {
  const warnings: Array<{ obj: Record<string, unknown>; msg: string | undefined }> = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (obj, msg) => void warnings.push({ obj: obj as Record<string, unknown>, msg }),
    error: () => undefined,
    child: () => logger,
  };
  return { logger, warnings };
}

describe('station runtime on a database a crash left behind', () => {
  it('opens a LevelDB whose last log record is torn and logs the warning with the station logger', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ww-station-torn-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    // A crash image: segments written into the live log, the directory copied while the database is open.
    const live = join(dataDir, 'live-db');
    const storage = await createLevelStorage({ path: live });
    for (let i = 0; i < 10; i++) await storage.segments.add(makeSegment('cam-a', T0 + i * MINUTE));
    const db = dataPaths(dataDir).db;
    await cp(live, db, { recursive: true });
    await storage.close();
    const logs = (await readdir(db)).filter((f) => /^\d+\.log$/.test(f)).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    const log = join(db, logs.at(-1) as string);
    await truncate(log, (await stat(log)).size - 5); // the last record cut short, as by a power cut

    const { logger, warnings } = captureWarnings();
    const config = parseStationConfig({
      station: { name: 'Test station', ward: 'Test ward' },
      dataDir,
      http: { host: '127.0.0.1', port: 0 },
      live: { enabled: false },
      cameras: [],
    });
    const runtime = await startStationRuntime({ config, evidence: false, plugins: [], logger });
    cleanups.push(() => runtime.stop());
    const torn = warnings.find((w) => /cut short/.test(w.msg ?? ''));
    expect(torn?.obj).toMatchObject({ path: db, file: logs.at(-1) });
    expect(torn?.obj.droppedBytes).toBeGreaterThan(0);
  }, 60_000);
});
