import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';
import { WardwatchError, toWardwatchError } from '../errors/wardwatch-error.js';

/** One file to put in a ZIP: from disk (`path`) or from memory (`data`). */
export type ZipEntryInput = {
  /** Name inside the archive, `/`-separated. */
  name: string;
  /** Deflate the entry; stored (no compression) otherwise — right for video, which does not compress. @default false */
  deflate?: boolean;
  /** Compute the entry's SHA-256 while writing (skip it when the hash is already known). @default true */
  sha256?: boolean;
} & ({ path: string; data?: never } | { data: Uint8Array | string; path?: never });

/** What {@link writeZip} wrote for one entry. */
export interface ZipEntryWritten {
  name: string;
  /** Uncompressed size. */
  bytes: number;
  /** CRC-32 of the uncompressed bytes. */
  crc32: number;
  /** Hex SHA-256 of the uncompressed bytes, computed in the same pass (absent when the entry asked for none). */
  sha256?: string;
}

/** Options of {@link writeZip}. */
export interface WriteZipOptions {
  /** Stops writing; the promise rejects with `CANCELLED` (the caller removes the partial file). */
  signal?: AbortSignal;
  /** Called as input bytes are consumed (total over all entries). */
  onBytes?: (bytes: number) => void;
  /** Modification time stored for every entry. @default the current time */
  mtime?: Date;
  /** Writes Zip64 records even for small archives (they are used automatically past 4 GiB). @default false */
  zip64?: boolean;
  /** Flushes the file to the disk (fsync) before resolving. @default false */
  fsync?: boolean;
}

const U32 = 0xffffffff;
/** Read size for stored (uncompressed) file entries. */
const STORED_CHUNK = 4 * 1024 * 1024;

/**
 * Streams entries into a new ZIP file at `outPath` (PKZIP with data descriptors; Zip64 when sizes or
 * offsets pass 4 GiB), computing CRC-32 and SHA-256 on the way so big clips never load into memory.
 */
export async function writeZip(outPath: string, entries: readonly ZipEntryInput[], options: WriteZipOptions = {}): Promise<ZipEntryWritten[]> {
  const { signal, onBytes } = options;
  const { time, date } = dosDateTime(options.mtime ?? new Date());
  const names = new Set<string>();
  for (const entry of entries) {
    if (!entry.name || entry.name.startsWith('/') || entry.name.split('/').includes('..') || names.has(entry.name)) {
      throw new WardwatchError('INVALID_ARGUMENT', `Bad or duplicate ZIP entry name "${entry.name}"`);
    }
    names.add(entry.name);
  }
  const handle = await open(outPath, 'wx');
  let offset = 0;
  let consumed = 0;
  const write = async (buffer: Uint8Array): Promise<void> => {
    let done = 0;
    while (done < buffer.length) {
      const { bytesWritten } = await handle.write(buffer, done, buffer.length - done, offset + done);
      done += bytesWritten;
    }
    offset += buffer.length;
  };
  const central: Buffer[] = [];
  const written: ZipEntryWritten[] = [];
  try {
    for (const entry of entries) {
      if (signal?.aborted) throw new WardwatchError('CANCELLED', 'ZIP writing was cancelled');
      const name = Buffer.from(entry.name, 'utf8');
      const method = entry.deflate ? 8 : 0;
      const declared = entry.path !== undefined ? (await stat(entry.path)).size : Buffer.byteLength(entry.data);
      const localOffset = offset;
      // Zip64 when the entry or its offset may not fit 32 bits (deflate can grow incompressible data slightly).
      const zip64 = options.zip64 === true || declared + 1024 >= U32 || localOffset >= U32;
      const flags = 0x0008 | 0x0800; // data descriptor follows; UTF-8 names
      const localExtra = zip64 ? zip64Extra([0n, 0n]) : Buffer.alloc(0);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(zip64 ? 45 : 20, 4);
      local.writeUInt16LE(flags, 6);
      local.writeUInt16LE(method, 8);
      local.writeUInt16LE(time, 10);
      local.writeUInt16LE(date, 12);
      local.writeUInt32LE(0, 14);
      local.writeUInt32LE(zip64 ? U32 : 0, 18);
      local.writeUInt32LE(zip64 ? U32 : 0, 22);
      local.writeUInt16LE(name.length, 26);
      local.writeUInt16LE(localExtra.length, 28);
      await write(Buffer.concat([local, name, localExtra]));

      const hash = entry.sha256 === false ? undefined : createHash('sha256');
      let crc = 0;
      let raw = 0;
      let compressed = 0;
      if (method === 0 && entry.path !== undefined) {
        // Stored file (the clip): large reads into reused buffers, one read ahead and one write behind the
        // CRC-32/SHA-256, so reading, checksumming and writing overlap.
        const file = await open(entry.path, 'r');
        const buffers = [0, 1, 2].map(() => Buffer.allocUnsafeSlow(STORED_CHUNK));
        let reading = file.read(buffers[0]!, 0, STORED_CHUNK, 0);
        let writing: Promise<void> = Promise.resolve();
        try {
          for (let k = 0; ; k++) {
            const { bytesRead } = await reading;
            if (bytesRead === 0) break;
            const chunk = buffers[k % 3]!.subarray(0, bytesRead);
            reading = file.read(buffers[(k + 1) % 3]!, 0, STORED_CHUNK, raw + bytesRead);
            reading.catch(() => undefined); // awaited on the next turn
            if (signal?.aborted) throw new WardwatchError('CANCELLED', 'ZIP writing was cancelled');
            crc = crc32(chunk, crc);
            hash?.update(chunk);
            raw += bytesRead;
            consumed += bytesRead;
            onBytes?.(consumed);
            await writing;
            writing = write(chunk);
            writing.catch(() => undefined); // awaited on the next turn or below
          }
          await writing;
          if (signal?.aborted) throw new WardwatchError('CANCELLED', 'ZIP writing was cancelled');
        } finally {
          await Promise.allSettled([reading, writing]);
          await file.close();
        }
        compressed = raw;
      }
      const source: AsyncIterable<Buffer> =
        method === 0 && entry.path !== undefined
          ? Readable.from([] as Buffer[])
          : entry.path !== undefined
            ? createReadStream(entry.path, { highWaterMark: 1 << 20 })
            : Readable.from([Buffer.from(entry.data as Uint8Array | string)]);
      const counted = (async function* () {
        for await (const chunk of source) {
          if (signal?.aborted) throw new WardwatchError('CANCELLED', 'ZIP writing was cancelled');
          crc = crc32(chunk, crc);
          hash?.update(chunk);
          raw += chunk.length;
          consumed += chunk.length;
          onBytes?.(consumed);
          yield chunk;
        }
      })();
      const output: AsyncIterable<Buffer> = method === 8 ? Readable.from(counted).pipe(createDeflateRaw()) : counted;
      for await (const chunk of output) {
        await write(chunk);
        compressed += chunk.length;
      }
      if (raw !== declared) {
        throw new WardwatchError('STORAGE_IO', `ZIP entry ${entry.name} changed size while being written (${declared} → ${raw} bytes)`);
      }
      const descriptor = Buffer.alloc(zip64 ? 24 : 16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc >>> 0, 4);
      if (zip64) {
        descriptor.writeBigUInt64LE(BigInt(compressed), 8);
        descriptor.writeBigUInt64LE(BigInt(raw), 16);
      } else {
        descriptor.writeUInt32LE(compressed, 8);
        descriptor.writeUInt32LE(raw, 12);
      }
      await write(descriptor);

      const bigSizes = zip64 || raw >= U32 || compressed >= U32 || localOffset >= U32;
      const centralExtra = bigSizes ? zip64Extra([BigInt(raw), BigInt(compressed), BigInt(localOffset)]) : Buffer.alloc(0);
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE((3 << 8) | 45, 4); // made by: Unix, spec 4.5
      header.writeUInt16LE(bigSizes ? 45 : 20, 6);
      header.writeUInt16LE(flags, 8);
      header.writeUInt16LE(method, 10);
      header.writeUInt16LE(time, 12);
      header.writeUInt16LE(date, 14);
      header.writeUInt32LE(crc >>> 0, 16);
      header.writeUInt32LE(bigSizes ? U32 : compressed, 20);
      header.writeUInt32LE(bigSizes ? U32 : raw, 24);
      header.writeUInt16LE(name.length, 28);
      header.writeUInt16LE(centralExtra.length, 30);
      header.writeUInt16LE(0, 32);
      header.writeUInt16LE(0, 34);
      header.writeUInt16LE(0, 36);
      header.writeUInt32LE((0o100644 << 16) >>> 0, 38);
      header.writeUInt32LE(bigSizes ? U32 : localOffset, 42);
      central.push(Buffer.concat([header, name, centralExtra]));
      written.push({ name: entry.name, bytes: raw, crc32: crc >>> 0, ...(hash ? { sha256: hash.digest('hex') } : {}) });
    }

    const cdOffset = offset;
    const cd = Buffer.concat(central);
    await write(cd);
    const needs64 = options.zip64 === true || cdOffset >= U32 || cd.length >= U32 || entries.length >= 0xffff;
    if (needs64) {
      const eocd64Offset = offset;
      const eocd64 = Buffer.alloc(56);
      eocd64.writeUInt32LE(0x06064b50, 0);
      eocd64.writeBigUInt64LE(44n, 4);
      eocd64.writeUInt16LE(45, 12);
      eocd64.writeUInt16LE(45, 14);
      eocd64.writeUInt32LE(0, 16);
      eocd64.writeUInt32LE(0, 20);
      eocd64.writeBigUInt64LE(BigInt(entries.length), 24);
      eocd64.writeBigUInt64LE(BigInt(entries.length), 32);
      eocd64.writeBigUInt64LE(BigInt(cd.length), 40);
      eocd64.writeBigUInt64LE(BigInt(cdOffset), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeUInt32LE(0, 4);
      locator.writeBigUInt64LE(BigInt(eocd64Offset), 8);
      locator.writeUInt32LE(1, 16);
      await write(Buffer.concat([eocd64, locator]));
    }
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(needs64 ? 0xffff : entries.length, 8);
    eocd.writeUInt16LE(needs64 ? 0xffff : entries.length, 10);
    eocd.writeUInt32LE(needs64 ? U32 : cd.length, 12);
    eocd.writeUInt32LE(needs64 ? U32 : cdOffset, 16);
    await write(eocd);
    if (options.fsync) await handle.sync();
  } catch (error) {
    throw toWardwatchError(error, 'STORAGE_IO', { path: outPath });
  } finally {
    await handle.close();
  }
  return written;
}

function zip64Extra(values: bigint[]): Buffer {
  const extra = Buffer.alloc(4 + values.length * 8);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(values.length * 8, 2);
  values.forEach((v, i) => extra.writeBigUInt64LE(v, 4 + i * 8));
  return extra;
}

function dosDateTime(at: Date): { time: number; date: number } {
  const year = Math.max(1980, at.getUTCFullYear());
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}
