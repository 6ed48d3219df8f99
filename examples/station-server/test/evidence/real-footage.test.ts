import { cp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lastValueFrom, toArray, type Subscription } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRecorderContext,
  createEvidenceService,
  createFileKeyStore,
  parseCameraSpec,
  silentLogger,
  systemClock,
  verifyEvidencePackage,
  type CameraSession,
  type CameraSpec,
  type EvidenceExportEvent,
  type EvidenceService,
  type Segment,
  type StationEvent,
  type StorageAdapter,
} from '@wardwatch/core';
import { createOnvifDriver } from '@wardwatch/onvif-driver';
import { createRecorder, probeMedia, resolveFfprobePath, type WardwatchRecorder } from '@wardwatch/recorder';
import { startSimulator, type Simulator } from '@wardwatch/simulator';
import { createLevelStorage } from '@wardwatch/storage-level';
import { stationDataPaths } from '../../src/evidence/open-evidence-data.js';
import { tempDataDir } from './evidence-test-kit.js';

type Done = Extract<EvidenceExportEvent, { type: 'done' }>;
const DRIFT_MS = 90_000;

async function flip(path: string, at: number): Promise<void> {
  const data = await readFile(path);
  data[at] = data[at]! ^ 0x01;
  await writeFile(path, data);
}

/**
 * Real footage end to end: a simulated ONVIF/RTSP camera, the ONVIF driver (which measures the camera clock
 * offset), the ffmpeg recorder writing and hashing segments into LevelDB, then signed evidence export.
 */
describe('evidence from real recorded simulator footage', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sim: Simulator;
  let storage: StorageAdapter;
  let recorder: WardwatchRecorder;
  let session: CameraSession;
  let spec: CameraSpec;
  let service: EvidenceService;
  let segments: Segment[];
  let diskFull = false;
  const events: StationEvent[] = [];

  beforeAll(async () => {
    data = await tempDataDir();
    const paths = stationDataPaths(data.dir);
    sim = await startSimulator({
      cameras: [{ id: 'cam-a', name: 'Cong cho', main: { width: 320, height: 180, fps: 10, gop: 10, bitrateKbps: 300 }, sub: { width: 160, height: 90, fps: 5, gop: 10, bitrateKbps: 100 } }],
    });
    const cam = sim.camera('cam-a');
    cam.setClockDrift(DRIFT_MS);
    spec = parseCameraSpec({
      id: 'cam-a',
      name: 'Cổng chợ Bến Thành',
      site: { ward: 'Phường Bến Thành', station: 'CA-BT' },
      location: { lat: 10.772, lon: 106.698, address: 'Lê Lợi' },
      ownership: 'station',
      driver: 'onvif',
      connection: { host: cam.host, port: cam.onvifPort, username: cam.username, password: cam.password, options: {} },
    });
    storage = await createLevelStorage({ path: paths.db });
    await storage.cameras.put(spec);
    session = await createOnvifDriver({ events: { enabled: false } }).connect(spec);
    recorder = createRecorder({
      root: paths.recordings,
      segmentSeconds: 2,
      retention: { intervalMs: 2_000_000_000, diskUsage: async () => ({ totalBytes: 1_000_000_000, freeBytes: diskFull ? 0 : 1_000_000_000 }) },
    });
    await recorder.start(createRecorderContext({ storage, clock: systemClock, logger: silentLogger, emit: (e) => events.push(e) }));
    segments = [];
    let subscription: Subscription | undefined;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${segments.length} segments recorded in 90 s`)), 90_000);
      subscription = recorder.record(spec, session).subscribe({
        next: (signal) => {
          if (signal.type !== 'segment') return;
          void storage.segments.add(signal.segment).then(() => {
            segments.push(signal.segment);
            if (segments.length >= 6) {
              clearTimeout(timer);
              resolve();
            }
          }, reject);
        },
        error: reject,
      });
    });
    subscription?.unsubscribe();
    await new Promise((r) => setTimeout(r, 500));
    segments.sort((a, b) => a.start - b.start);
    service = createEvidenceService({
      storage,
      recorder,
      keyStore: createFileKeyStore({ dir: paths.keys }),
      evidenceRoot: paths.evidence,
      recordingsRoot: paths.recordings,
      station: { id: 'CA-BT', name: 'Công an phường Bến Thành', ward: 'Phường Bến Thành' },
      softwareVersions: { '@wardwatch/core': '0.1.0' },
      clockOffsetOf: () => session.clockOffsetMs,
      emit: (e) => events.push(e),
      zip: 'eager', // the .zip is checked right after the export
    });
  }, 150_000);

  afterAll(async () => {
    await recorder?.stop();
    await session?.close();
    await storage?.close();
    await sim?.stop();
    await data?.cleanup();
  });

  const exportRange = (from: number, to: number, extra: Partial<Parameters<EvidenceService['exportEvidence']>[0]> = {}) =>
    lastValueFrom(service.exportEvidence({ cameraId: 'cam-a', from, to, operator: 'officer.lan', reason: 'Trích xuất theo yêu cầu', ...extra }).pipe(toArray()));

  it('exports a stream-copied clip of the recorded footage into a package that verifies', async () => {
    const from = segments[1]!.start + 300;
    const to = segments[3]!.end - 300;
    const out = await exportRange(from, to, { caseId: 'VV-2026-31' });
    const done = out.at(-1) as Done;
    expect(out.filter((e) => e.type === 'progress').length).toBeGreaterThan(2);
    const { manifest } = done;
    expect(manifest.sourceSegments.map((s) => s.sha256)).toEqual(segments.slice(1, 4).map((s) => s.sha256));
    expect(manifest.actual.from).toBeLessThanOrEqual(from);
    expect(manifest.clockOffsetMs).not.toBeNull();
    expect(Math.abs(manifest.clockOffsetMs! - DRIFT_MS)).toBeLessThan(5_000);
    expect(manifest.camera).toMatchObject({ id: 'cam-a', name: 'Cổng chợ Bến Thành', location: { address: 'Lê Lợi' } });
    const probe = await probeMedia(resolveFfprobePath(), join(done.packageDir, 'clip.mp4'));
    expect(probe).toMatchObject({ codec: 'h264', width: 320, height: 180 });
    expect(probe.duration).toBeGreaterThan(3);
    const key = await service.publicKeyPem();
    expect((await verifyEvidencePackage(done.packageDir, { publicKey: key })).ok).toBe(true);
    expect((await verifyEvidencePackage(done.zipPath, { publicKey: key })).ok).toBe(true);
    expect(events.some((e) => e.type === 'evidence.exported' && e.evidenceId === done.record.id)).toBe(true);

    // one flipped byte of the clip, then of the manifest: each fails, naming the file
    const clipCopy = join(data.dir, 'copy-clip');
    await cp(done.packageDir, clipCopy, { recursive: true });
    await flip(join(clipCopy, 'clip.mp4'), Math.floor((await stat(join(clipCopy, 'clip.mp4'))).size / 2));
    const clipResult = await verifyEvidencePackage(clipCopy, { publicKey: key });
    expect(clipResult.ok).toBe(false);
    expect(clipResult.verdict).toMatch(/^FAILED: clip\.mp4 has been changed/);

    const manifestCopy = join(data.dir, 'copy-manifest');
    await cp(done.packageDir, manifestCopy, { recursive: true });
    await flip(join(manifestCopy, 'manifest.json'), 100);
    const manifestResult = await verifyEvidencePackage(manifestCopy, { publicKey: key });
    expect(manifestResult.ok).toBe(false);
    expect(manifestResult.verdict).toMatch(/^FAILED: manifest\.json has been changed/);
    expect(manifestResult.signature.status).toBe('invalid');
  });

  it('refuses to export when a source segment changed after it was recorded, naming the segment', async () => {
    const victim = join(stationDataPaths(data.dir).recordings, segments[4]!.path);
    await flip(victim, 1000);
    try {
      const error = await exportRange(segments[3]!.start, segments[5]!.end).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'EVIDENCE_INTEGRITY_MISMATCH', details: { segment: segments[4]!.path } });
      expect((error as Error).message).toMatch(new RegExp(`Source segment ${segments[4]!.path.replace(/[./]/g, '\\$&')}`));
      expect((await readdir(stationDataPaths(data.dir).evidence)).filter((n) => n.startsWith('.partial'))).toEqual([]);
    } finally {
      await flip(victim, 1000);
    }
  });

  it('keeps a held range through a retention purge while unheld footage goes', async () => {
    const held = segments[2]!;
    const hold = await service.createHold({ cameraId: 'cam-a', from: held.start, to: held.end, reason: 'vụ cướp giật', actor: 'officer.lan' });
    const root = stationDataPaths(data.dir).recordings;
    diskFull = true;
    try {
      await recorder.enforceRetention();
    } finally {
      diskFull = false;
    }
    const remaining = await storage.segments.query('cam-a', { from: 0, to: Date.now() + 86_400_000 });
    const active = await storage.holds.list({ active: true });
    const isHeld = (s: Segment) => active.some((h) => h.cameraId === s.cameraId && h.from < Math.max(s.end, s.start + 1) && h.to > s.start);
    expect(remaining.length).toBeGreaterThan(0);
    expect(remaining.every(isHeld)).toBe(true);
    expect(remaining.map((s) => s.start)).toContain(held.start);
    await expect(stat(join(root, held.path))).resolves.toBeTruthy();
    const unheld = segments.filter((s) => !isHeld(s));
    expect(unheld.length).toBeGreaterThan(0);
    for (const s of unheld) await expect(stat(join(root, s.path))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(events.some((e) => e.type === 'storage.purged')).toBe(true);
    // the held range still exports and verifies after the purge
    const done = (await exportRange(held.start, held.end)).at(-1) as Done;
    expect((await verifyEvidencePackage(done.packageDir)).ok).toBe(true);
    expect(hold.owner.kind).toBe('manual');
    expect((await service.verifyAudit()).ok).toBe(true);
  });
});
