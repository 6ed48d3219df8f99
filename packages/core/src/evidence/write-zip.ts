import { open, stat } from 'node:fs/promises';
import { WardwatchError, toWardwatchError } from '../errors/wardwatch-error.js';
import { writeZipEntryData } from './write-zip-entry-data.js';
import { centralDirectoryHeader, dataDescriptor, dosDateTime, endOfCentralDirectory, localFileHeader, ZIP_U32 } from './zip-records.js';

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

/** Refuses empty, absolute, `..` and duplicate entry names (`INVALID_ARGUMENT`). */
function checkEntryNames(entries: readonly ZipEntryInput[]): void {
  const names = new Set<string>();
  for (const entry of entries) {
    if (!entry.name || entry.name.startsWith('/') || entry.name.split('/').includes('..') || names.has(entry.name)) {
      throw new WardwatchError('INVALID_ARGUMENT', `Bad or duplicate ZIP entry name "${entry.name}"`);
    }
    names.add(entry.name);
  }
}

/**
 * Streams entries into a new ZIP file at `outPath` (PKZIP with data descriptors; Zip64 when sizes or
 * offsets pass 4 GiB), computing CRC-32 and SHA-256 on the way so big clips never load into memory.
 */
export async function writeZip(outPath: string, entries: readonly ZipEntryInput[], options: WriteZipOptions = {}): Promise<ZipEntryWritten[]> {
  const { signal, onBytes } = options;
  const { time, date } = dosDateTime(options.mtime ?? new Date());
  checkEntryNames(entries);
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
      const zip64 = options.zip64 === true || declared + 1024 >= ZIP_U32 || localOffset >= ZIP_U32;
      await write(localFileHeader(name, { method, zip64, time, date }));
      const data = await writeZipEntryData(entry, write, {
        signal,
        onInput: (bytes) => {
          consumed += bytes;
          onBytes?.(consumed);
        },
      });
      if (data.raw !== declared) {
        throw new WardwatchError('STORAGE_IO', `ZIP entry ${entry.name} changed size while being written (${declared} → ${data.raw} bytes)`);
      }
      await write(dataDescriptor({ ...data, zip64 }));
      central.push(centralDirectoryHeader(name, { method, zip64, time, date, ...data, localOffset }));
      written.push({ name: entry.name, bytes: data.raw, crc32: data.crc, ...(data.sha256 ? { sha256: data.sha256 } : {}) });
    }
    const cdOffset = offset;
    const cd = Buffer.concat(central);
    await write(cd);
    await write(endOfCentralDirectory({ offset: cdOffset, bytes: cd.length, entries: entries.length, forceZip64: options.zip64 === true }, offset));
    if (options.fsync) await handle.sync();
  } catch (error) {
    throw toWardwatchError(error, 'STORAGE_IO', { path: outPath });
  } finally {
    await handle.close();
  }
  return written;
}
