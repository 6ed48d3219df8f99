import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';
import { WardwatchError } from '../errors/wardwatch-error.js';
import type { ZipEntryInput } from './write-zip.js';

/** Read size for stored (uncompressed) file entries. */
const STORED_CHUNK = 4 * 1024 * 1024;

/** The checksums and sizes of one entry's data as written. */
export interface ZipEntryData {
  crc: number;
  /** Uncompressed bytes. */
  raw: number;
  /** Bytes written to the archive. */
  compressed: number;
  sha256: string | undefined;
}

const cancelled = (): WardwatchError => new WardwatchError('CANCELLED', 'ZIP writing was cancelled');

/** Counts, checksums and reports the input bytes of an entry. */
interface Tally {
  crc: number;
  raw: number;
  hash: Hash | undefined;
  take(chunk: Uint8Array): void;
}

function createTally(withHash: boolean, onInput: (bytes: number) => void): Tally {
  const tally: Tally = {
    crc: 0,
    raw: 0,
    hash: withHash ? createHash('sha256') : undefined,
    take(chunk) {
      tally.crc = crc32(chunk, tally.crc);
      tally.hash?.update(chunk);
      tally.raw += chunk.length;
      onInput(chunk.length);
    },
  };
  return tally;
}

/**
 * A stored file (the clip): large reads into reused buffers, one read ahead and one write behind the CRC-32 and
 * SHA-256, so reading, checksumming and writing overlap.
 */
async function writeStoredFile(path: string, tally: Tally, write: (chunk: Uint8Array) => Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  const file = await open(path, 'r');
  const buffers = [0, 1, 2].map(() => Buffer.allocUnsafeSlow(STORED_CHUNK));
  let reading = file.read(buffers[0]!, 0, STORED_CHUNK, 0);
  let writing: Promise<void> = Promise.resolve();
  try {
    for (let k = 0; ; k++) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) break;
      const chunk = buffers[k % 3]!.subarray(0, bytesRead);
      reading = file.read(buffers[(k + 1) % 3]!, 0, STORED_CHUNK, tally.raw + bytesRead);
      reading.catch(() => undefined); // awaited on the next turn
      if (signal?.aborted) throw cancelled();
      tally.take(chunk);
      await writing;
      writing = write(chunk);
      writing.catch(() => undefined); // awaited on the next turn or below
    }
    await writing;
    if (signal?.aborted) throw cancelled();
  } finally {
    await Promise.allSettled([reading, writing]);
    await file.close();
  }
}

/** Streams an in-memory entry, or a file to deflate, through the tally (and the deflater). Returns the bytes written. */
async function writeStreamed(entry: ZipEntryInput, tally: Tally, write: (chunk: Uint8Array) => Promise<void>, signal: AbortSignal | undefined): Promise<number> {
  const source: AsyncIterable<Buffer> =
    entry.path !== undefined ? createReadStream(entry.path, { highWaterMark: 1 << 20 }) : Readable.from([Buffer.from(entry.data as Uint8Array | string)]);
  const counted = (async function* () {
    for await (const chunk of source) {
      if (signal?.aborted) throw cancelled();
      tally.take(chunk);
      yield chunk;
    }
  })();
  const output: AsyncIterable<Buffer> = entry.deflate ? Readable.from(counted).pipe(createDeflateRaw()) : counted;
  let compressed = 0;
  for await (const chunk of output) {
    await write(chunk);
    compressed += chunk.length;
  }
  return compressed;
}

/** Writes one entry's data (stored or deflated), computing its CRC-32 and, unless turned off, its SHA-256 on the way. */
export async function writeZipEntryData(
  entry: ZipEntryInput,
  write: (chunk: Uint8Array) => Promise<void>,
  options: { signal: AbortSignal | undefined; onInput: (bytes: number) => void },
): Promise<ZipEntryData> {
  const tally = createTally(entry.sha256 !== false, options.onInput);
  let compressed: number;
  if (!entry.deflate && entry.path !== undefined) {
    await writeStoredFile(entry.path, tally, write, options.signal);
    compressed = tally.raw;
  } else {
    compressed = await writeStreamed(entry, tally, write, options.signal);
  }
  return { crc: tally.crc >>> 0, raw: tally.raw, compressed, sha256: tally.hash?.digest('hex') };
}
