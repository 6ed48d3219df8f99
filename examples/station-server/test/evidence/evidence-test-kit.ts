import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createRecorderContext,
  createEvidenceService,
  createFileKeyStore,
  parseCameraSpec,
  silentLogger,
  systemClock,
  type CameraSpec,
  type EvidenceService,
  type EvidenceServiceOptions,
  type StorageAdapter,
} from '@wardwatch/core';
import { createRecorder, type WardwatchRecorder } from '@wardwatch/recorder';

/** A temporary station data directory removed by `cleanup()`. */
export async function tempDataDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ww-evidence-data-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A camera spec for tests. */
export function cameraSpec(id: string): CameraSpec {
  return parseCameraSpec({
    id,
    name: 'Cổng chợ Bến Thành',
    site: { ward: 'Phường Bến Thành', station: 'CA-BT' },
    location: { lat: 10.772, lon: 106.698, address: 'Lê Lợi, Quận 1' },
    ownership: 'business',
    owner: 'shop-17',
    driver: 'onvif',
    connection: { host: '127.0.0.1' },
  });
}

/** Collects what the CLI writes. */
export function captureIo(): { stdout: { write(t: string): boolean; text: string }; stderr: { write(t: string): boolean; text: string } } {
  const make = () => {
    const sink = { text: '', write: (t: string) => ((sink.text += t), true) };
    return sink;
  };
  return { stdout: make(), stderr: make() };
}

/**
 * Overwrites one audit entry in a closed LevelDB station database behind the storage's back (what an
 * attacker with disk access would do), through the `level` package the storage adapter uses.
 */
export async function tamperAuditEntry(dbPath: string, seq: number, edit: (entry: Record<string, unknown>) => void): Promise<void> {
  const storageLevel = fileURLToPath(new URL('../../../../packages/storage-level/package.json', import.meta.url));
  const { Level } = createRequire(storageLevel)('level') as { Level: new (path: string) => any };
  const db = new Level(dbPath);
  await db.open();
  try {
    const audit = db.sublevel('audit', { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    const key = String(seq).padStart(12, '0');
    const entry = JSON.parse(await audit.get(key)) as Record<string, unknown>;
    edit(entry);
    await audit.put(key, JSON.stringify(entry));
  } finally {
    await db.close();
  }
}

/** The police station the evidence tests export as. */
export const TEST_STATION = { id: 'CA-BT', name: 'Công an phường Bến Thành', ward: 'Phường Bến Thành' } as const;

/** A started recorder over `paths.recordings` whose retention never runs during a test. */
export async function startTestRecorder(storage: StorageAdapter, recordings: string): Promise<WardwatchRecorder> {
  const recorder = createRecorder({ root: recordings, retention: { intervalMs: 2_000_000_000 } });
  await recorder.start(createRecorderContext({ storage, clock: systemClock, logger: silentLogger, emit: () => undefined }));
  return recorder;
}

/** An evidence service over a test data directory, signing as {@link TEST_STATION}; `overrides` win. */
export function testEvidenceService(
  parts: { storage: StorageAdapter; recorder: WardwatchRecorder; paths: { keys: string; evidence: string; recordings: string } },
  overrides: Partial<EvidenceServiceOptions> = {},
): EvidenceService {
  return createEvidenceService({
    storage: parts.storage,
    recorder: parts.recorder,
    keyStore: createFileKeyStore({ dir: parts.paths.keys }),
    evidenceRoot: parts.paths.evidence,
    recordingsRoot: parts.paths.recordings,
    station: TEST_STATION,
    ...overrides,
  });
}
