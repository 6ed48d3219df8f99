import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { WardwatchError } from '../errors/wardwatch-error.js';

/** One entry of a ZIP's central directory. */
export interface ZipEntryInfo {
  name: string;
  /** 0 stored, 8 deflate. */
  method: number;
  crc32: number;
  compressedBytes: number;
  bytes: number;
  /** Offset of the local header. */
  localOffset: number;
}

/** A ZIP opened for reading: its entries and a stream of each entry's uncompressed bytes. */
export interface ZipReader {
  readonly entries: readonly ZipEntryInfo[];
  /** Streams the uncompressed bytes of one entry. */
  open(entry: ZipEntryInfo): Promise<Readable>;
}

const U32 = 0xffffffff;

function corrupt(path: string, why: string): WardwatchError {
  return new WardwatchError('MEDIA_INVALID', `${path} is not a readable ZIP: ${why}`, { details: { path } });
}

/** Reads the central directory of a ZIP file (Zip64 aware, stored and deflate entries). */
export async function readZip(path: string): Promise<ZipReader> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw corrupt(path, 'no end-of-central-directory record');
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === U32 || cdOffset === U32) {
      const locatorAt = eocd - 20;
      if (locatorAt < 0 || tail.readUInt32LE(locatorAt) !== 0x07064b50) throw corrupt(path, 'missing Zip64 locator');
      const eocd64Offset = Number(tail.readBigUInt64LE(locatorAt + 8));
      const eocd64 = Buffer.alloc(56);
      await handle.read(eocd64, 0, 56, eocd64Offset);
      if (eocd64.readUInt32LE(0) !== 0x06064b50) throw corrupt(path, 'bad Zip64 end record');
      count = Number(eocd64.readBigUInt64LE(32));
      cdSize = Number(eocd64.readBigUInt64LE(40));
      cdOffset = Number(eocd64.readBigUInt64LE(48));
    }
    if (cdOffset + cdSize > size) throw corrupt(path, 'central directory outside the file');
    const cd = Buffer.alloc(cdSize);
    await handle.read(cd, 0, cdSize, cdOffset);
    const entries: ZipEntryInfo[] = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (at + 46 > cd.length || cd.readUInt32LE(at) !== 0x02014b50) throw corrupt(path, `bad central directory entry ${i}`);
      const method = cd.readUInt16LE(at + 10);
      const crc32 = cd.readUInt32LE(at + 16);
      let compressedBytes = cd.readUInt32LE(at + 20);
      let bytes = cd.readUInt32LE(at + 24);
      const nameLength = cd.readUInt16LE(at + 28);
      const extraLength = cd.readUInt16LE(at + 30);
      const commentLength = cd.readUInt16LE(at + 32);
      let localOffset = cd.readUInt32LE(at + 42);
      const name = cd.toString('utf8', at + 46, at + 46 + nameLength);
      let extraAt = at + 46 + nameLength;
      const extraEnd = extraAt + extraLength;
      while (extraAt + 4 <= extraEnd) {
        const id = cd.readUInt16LE(extraAt);
        const length = cd.readUInt16LE(extraAt + 2);
        if (id === 0x0001) {
          let p = extraAt + 4;
          if (bytes === U32) (bytes = Number(cd.readBigUInt64LE(p)), (p += 8));
          if (compressedBytes === U32) (compressedBytes = Number(cd.readBigUInt64LE(p)), (p += 8));
          if (localOffset === U32) localOffset = Number(cd.readBigUInt64LE(p));
        }
        extraAt += 4 + length;
      }
      if (method !== 0 && method !== 8) throw corrupt(path, `entry ${name} uses unsupported method ${method}`);
      entries.push({ name, method, crc32, compressedBytes, bytes, localOffset });
      at = extraEnd + commentLength;
    }
    return {
      entries,
      async open(entry) {
        const reader = await open(path, 'r');
        let dataStart: number;
        try {
          const local = Buffer.alloc(30);
          await reader.read(local, 0, 30, entry.localOffset);
          if (local.readUInt32LE(0) !== 0x04034b50) throw corrupt(path, `bad local header of ${entry.name}`);
          dataStart = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
        } finally {
          await reader.close();
        }
        const raw =
          entry.compressedBytes === 0
            ? Readable.from([])
            : createReadStream(path, { start: dataStart, end: dataStart + entry.compressedBytes - 1, highWaterMark: 1 << 20 });
        return entry.method === 8 ? raw.pipe(createInflateRaw()) : raw;
      },
    };
  } finally {
    await handle.close();
  }
}
