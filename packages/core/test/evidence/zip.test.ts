import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWardwatchError, readZip, writeZip } from '@wardwatch/core';
import { sha256, tempDir } from './evidence-fixtures.js';

async function readEntry(path: string, name: string): Promise<Buffer> {
  const zip = await readZip(path);
  const entry = zip.entries.find((e) => e.name === name)!;
  const chunks: Buffer[] = [];
  for await (const chunk of await zip.open(entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('writeZip / readZip', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('round-trips stored and deflated entries with correct CRC-32 and SHA-256', async () => {
    const big = randomBytes(3 * 1024 * 1024 + 17);
    await writeFile(join(tmp.dir, 'clip.mp4'), big);
    const text = 'hello evidence\n'.repeat(1000);
    const out = join(tmp.dir, 'p.zip');
    const progress: number[] = [];
    const written = await writeZip(
      out,
      [
        { name: 'manifest.json', data: text, deflate: true },
        { name: 'clip.mp4', path: join(tmp.dir, 'clip.mp4') },
        { name: 'stills/a.jpg', data: new Uint8Array([1, 2, 3]) },
        { name: 'empty.txt', data: '' },
      ],
      { onBytes: (b) => progress.push(b), mtime: new Date(Date.UTC(2026, 10, 23, 4, 5, 6)) },
    );
    expect(written.map((w) => w.name)).toEqual(['manifest.json', 'clip.mp4', 'stills/a.jpg', 'empty.txt']);
    expect(written[1]).toMatchObject({ bytes: big.length, crc32: crc32(big), sha256: sha256(big) });
    expect(progress.at(-1)).toBe(text.length + big.length + 3);
    const zip = await readZip(out);
    expect(zip.entries.map((e) => [e.name, e.method, e.bytes])).toEqual([
      ['manifest.json', 8, text.length],
      ['clip.mp4', 0, big.length],
      ['stills/a.jpg', 0, 3],
      ['empty.txt', 0, 0],
    ]);
    expect(zip.entries[0]!.compressedBytes).toBeLessThan(text.length / 10);
    expect((await readEntry(out, 'manifest.json')).toString()).toBe(text);
    expect(sha256(await readEntry(out, 'clip.mp4'))).toBe(sha256(big));
    expect((await readEntry(out, 'empty.txt')).length).toBe(0);
  });

  it('is readable by the system unzip (when installed) with every CRC checked', async () => {
    await writeFile(join(tmp.dir, 'clip.mp4'), randomBytes(100_000));
    const out = join(tmp.dir, 'p.zip');
    await writeZip(out, [
      { name: 'clip.mp4', path: join(tmp.dir, 'clip.mp4') },
      { name: 'SHA256SUMS', data: 'x'.repeat(500), deflate: true },
    ]);
    const unzip = ['/usr/bin/unzip', '/bin/unzip'].find((p) => existsSync(p));
    // Without unzip the archive is still checked by our own reader, CRC included.
    if (unzip) {
      const report = execFileSync(unzip, ['-t', out], { encoding: 'utf8' });
      expect(report).toMatch(/No errors detected/);
    } else {
      const zip = await readZip(out);
      expect(zip.entries[0]!.crc32).toBe(crc32(await readFile(join(tmp.dir, 'clip.mp4'))));
    }
  });

  it('writes Zip64 records that both readers accept', async () => {
    const data = randomBytes(200_000);
    await writeFile(join(tmp.dir, 'clip.mp4'), data);
    const out = join(tmp.dir, 'z64.zip');
    await writeZip(out, [{ name: 'clip.mp4', path: join(tmp.dir, 'clip.mp4') }, { name: 'm.json', data: '{}', deflate: true }], { zip64: true });
    const zip = await readZip(out);
    expect(zip.entries.map((e) => [e.name, e.bytes])).toEqual([['clip.mp4', 200_000], ['m.json', 2]]);
    expect(sha256(await readEntry(out, 'clip.mp4'))).toBe(sha256(data));
    const unzip = ['/usr/bin/unzip', '/bin/unzip'].find((p) => existsSync(p));
    if (unzip) expect(execFileSync(unzip, ['-t', out], { encoding: 'utf8' })).toMatch(/No errors detected/);
  });

  it('rejects bad entry names and stops with CANCELLED when aborted', async () => {
    await expect(writeZip(join(tmp.dir, 'a.zip'), [{ name: '../x', data: 'a' }])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await writeFile(join(tmp.dir, 'clip.mp4'), randomBytes(4 * 1024 * 1024));
    const controller = new AbortController();
    const error = await writeZip(join(tmp.dir, 'b.zip'), [{ name: 'clip.mp4', path: join(tmp.dir, 'clip.mp4') }], {
      signal: controller.signal,
      onBytes: (b) => {
        if (b > 1024 * 1024) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(isWardwatchError(error, 'CANCELLED')).toBe(true);
  });

  it('reports a file that is not a zip as MEDIA_INVALID', async () => {
    await writeFile(join(tmp.dir, 'x.zip'), 'not a zip at all');
    await expect(readZip(join(tmp.dir, 'x.zip'))).rejects.toMatchObject({ code: 'MEDIA_INVALID' });
  });
});
