import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncScheduler, lastValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEvidenceService, createFileKeyStore, createMemoryStorage, parseCameraSpec, type Clock, type EvidenceExportEvent, type StorageAdapter } from '@wardwatch/core';
import { makeCamera } from '@wardwatch/core/testing';
import { indexOfCall, traceSyscalls } from '../helpers/trace-syscalls.js';
import { fakeRecorder, seedSegments, tempDir } from './evidence-fixtures.js';

const T = Date.UTC(2026, 10, 20, 8, 0, 0);
const NOW = Date.UTC(2026, 10, 22, 9, 30, 0);

// Power loss: an export is indexed and audited only once its files and their names are on the disk. The index and
// audit writes are marked in the kernel's trace by a rename of a marker file, so their order against the fsyncs shows.
describe('evidence durability (fsync before the index and the audit)', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let storage: StorageAdapter;

  beforeEach(async () => {
    tmp = await tempDir();
    storage = createMemoryStorage();
    await storage.cameras.put(parseCameraSpec(makeCamera('cam-a')));
  });
  afterEach(async () => {
    await storage.close();
    await tmp.cleanup();
  });

  /** Makes `storage.<store>.<method>` leave a rename `<name>` → `<name>.done` in the trace when it is called. */
  function mark(target: object, method: string, name: string): void {
    const record = target as Record<string, (...args: unknown[]) => unknown>;
    const original = record[method]!.bind(target);
    const marker = join(tmp.dir, name);
    record[method] = (...args: unknown[]) => {
      writeFileSync(marker, '');
      renameSync(marker, `${marker}.done`);
      return original(...args);
    };
  }

  it('flushes the key, every package file, the zip and the evidence folder before the index entry, and those before the audit', async () => {
    const recordings = join(tmp.dir, 'recordings');
    const evidenceRoot = join(tmp.dir, 'evidence');
    const keys = join(tmp.dir, 'keys');
    await seedSegments(storage, recordings, 'cam-a', T, 3);
    mark(storage.evidence, 'put', 'index-put');
    mark(storage.audit, 'append', 'audit-append');
    const service = createEvidenceService({
      storage,
      recorder: fakeRecorder(storage, recordings),
      keyStore: createFileKeyStore({ dir: keys }),
      evidenceRoot,
      recordingsRoot: recordings,
      station: { id: 'CA-BN', name: 'Bến Nghé', ward: 'Phường Bến Nghé' },
      softwareVersions: { '@wardwatch/core': '0.1.0' },
      clock: Object.assign(Object.create(asyncScheduler) as Clock, { now: () => NOW }),
      emit: () => undefined,
      zip: 'eager',
    });
    const { result, calls } = await traceSyscalls(tmp.dir, () =>
      lastValueFrom(service.exportEvidence({ cameraId: 'cam-a', from: T, to: T + 20_000, operator: 'officer.lan', reason: 'r' })),
    );
    const done = result as Extract<EvidenceExportEvent, { type: 'done' }>;
    expect(done.type).toBe('done');
    const id = done.record.id;
    const indexPut = indexOfCall(calls, 'rename', join(tmp.dir, 'index-put'), join(tmp.dir, 'index-put.done'));
    const auditAppends = calls.flatMap((c, i) => (c.call === 'rename' && c.paths[0] === join(tmp.dir, 'audit-append') ? [i] : []));
    expect(indexPut).toBeGreaterThan(0);

    // the key: flushed under its temporary name before it is linked into place, then its folder
    const keyLink = calls.findIndex((c) => c.call === 'link' && c.paths[1] === join(keys, 'station-ed25519.key'));
    expect(keyLink, JSON.stringify(calls)).toBeGreaterThan(0);
    expect(indexOfCall(calls, 'fsync', calls[keyLink]!.paths[0]!)).toBeLessThan(keyLink);
    expect(calls.findLastIndex((c) => c.call === 'fsync' && c.paths[0] === keys)).toBeGreaterThan(keyLink);

    // every file of the package and the staging folder, before the folder is renamed into place
    const staging = join(evidenceRoot, `.partial-${id}`);
    const publish = indexOfCall(calls, 'rename', staging, join(evidenceRoot, id));
    expect(publish).toBeGreaterThan(0);
    for (const f of ['clip.mp4', 'manifest.json', 'manifest.sig', 'SHA256SUMS']) {
      const at = indexOfCall(calls, 'fsync', join(staging, f));
      expect(at, f).toBeGreaterThanOrEqual(0);
      expect(at, f).toBeLessThan(publish);
    }
    expect(indexOfCall(calls, 'fsync', staging)).toBeLessThan(publish);
    const zipSync = indexOfCall(calls, 'fsync', join(evidenceRoot, `.partial-${id}.zip`));
    const zipMove = indexOfCall(calls, 'rename', join(evidenceRoot, `.partial-${id}.zip`), join(evidenceRoot, `${id}.zip`));
    expect(zipSync).toBeGreaterThanOrEqual(0);
    expect(zipMove).toBeGreaterThan(zipSync);
    // the renames reach the disk (the evidence folder's fsync) before the index records the export
    const rootSync = calls.findLastIndex((c, i) => i < indexPut && c.call === 'fsync' && c.paths[0] === evidenceRoot);
    expect(rootSync).toBeGreaterThan(Math.max(publish, zipMove));
    expect(auditAppends.at(-1)).toBeGreaterThan(indexPut);
  });
});
