import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Observable } from 'rxjs';
import { WardwatchError, type ClipEvent, type ClipRequest, type Recorder, type Segment, type StorageAdapter } from '@wardwatch/core';

/** A temporary folder removed by `cleanup()`. */
export async function tempDir(prefix = 'ww-evidence-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Writes `count` fake segment files of random bytes under `root` and indexes them. */
export async function seedSegments(
  storage: StorageAdapter,
  root: string,
  cameraId: string,
  start: number,
  count: number,
  options: { durationMs?: number; bytes?: number } = {},
): Promise<Segment[]> {
  const durationMs = options.durationMs ?? 10_000;
  const bytes = options.bytes ?? 64 * 1024;
  const segments: Segment[] = [];
  for (let i = 0; i < count; i++) {
    const s = start + i * durationMs;
    const path = `${cameraId}/${new Date(s).toISOString().slice(0, 10)}/${s}.mp4`;
    const data = randomBytes(bytes);
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), data);
    segments.push({ cameraId, start: s, end: s + durationMs, path, bytes, codec: 'h264', sha256: sha256(data) });
  }
  await storage.segments.addMany(segments);
  return segments;
}

/**
 * A stand-in recorder whose `exportClip` concatenates the overlapping segment files (a byte-exact "stream
 * copy"), emitting progress per segment; `delayMs` between segments lets tests cancel mid-way.
 */
export function fakeRecorder(storage: StorageAdapter, root: string, options: { delayMs?: number } = {}): Pick<Recorder, 'exportClip'> & { calls: ClipRequest[] } {
  const calls: ClipRequest[] = [];
  return {
    calls,
    exportClip(request) {
      calls.push(request);
      return new Observable<ClipEvent>((subscriber) => {
        let stopped = false;
        (async () => {
          const segments = await storage.segments.query(request.cameraId, { from: request.from, to: request.to });
          if (segments.length === 0) throw new WardwatchError('RECORDING_UNAVAILABLE', 'no footage');
          const out = request.outPath!;
          const hash = createHash('sha256');
          const stream = createWriteStream(out);
          let bytes = 0;
          for (const [i, segment] of segments.entries()) {
            if (stopped || request.signal?.aborted) throw new WardwatchError('CANCELLED', 'cancelled');
            const data = await readFile(join(root, segment.path));
            hash.update(data);
            bytes += data.length;
            await new Promise<void>((resolve, reject) => stream.write(data, (e) => (e ? reject(e) : resolve())));
            subscriber.next({ type: 'progress', ratio: (i + 1) / segments.length, bytes });
            if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
          }
          await new Promise<void>((resolve) => stream.end(resolve));
          subscriber.next({
            type: 'done',
            result: {
              path: out,
              bytes,
              sha256: hash.digest('hex'),
              requested: { from: request.from, to: request.to },
              actual: { from: segments[0]!.start, to: segments.at(-1)!.end },
              segments,
              gaps: [],
            },
          });
          subscriber.complete();
        })().catch(async (error: unknown) => {
          await rm(request.outPath!, { force: true });
          subscriber.error(error);
        });
        return () => {
          stopped = true;
        };
      });
    },
  };
}

/** Flips one bit of the byte at `offset` (negative: from the end) of a file. */
export async function flipByte(path: string, offset = 0): Promise<void> {
  const data = await readFile(path);
  const at = offset < 0 ? data.length + offset : offset;
  data[at] = data[at]! ^ 0x01;
  await writeFile(path, data);
}

/** Reads a whole file through a stream (for big files in assertions). */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
