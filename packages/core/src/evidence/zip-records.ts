/** Marks a 32-bit field whose value is in the Zip64 extra field. */
export const ZIP_U32 = 0xffffffff;
/** General purpose flags of every entry: a data descriptor follows the data; UTF-8 names. */
const FLAGS = 0x0008 | 0x0800;

/** MS-DOS time and date fields (2 s resolution, from 1980) of an instant, in UTC. */
export function dosDateTime(at: Date): { time: number; date: number } {
  const year = Math.max(1980, at.getUTCFullYear());
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}

/** A Zip64 extended information extra field holding `values`. */
export function zip64Extra(values: bigint[]): Buffer {
  const extra = Buffer.alloc(4 + values.length * 8);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(values.length * 8, 2);
  values.forEach((v, i) => extra.writeBigUInt64LE(v, 4 + i * 8));
  return extra;
}

/** The local file header of an entry (sizes and CRC follow in its data descriptor). */
export function localFileHeader(name: Buffer, entry: { method: number; zip64: boolean; time: number; date: number }): Buffer {
  const extra = entry.zip64 ? zip64Extra([0n, 0n]) : Buffer.alloc(0);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(entry.zip64 ? 45 : 20, 4);
  local.writeUInt16LE(FLAGS, 6);
  local.writeUInt16LE(entry.method, 8);
  local.writeUInt16LE(entry.time, 10);
  local.writeUInt16LE(entry.date, 12);
  local.writeUInt32LE(0, 14);
  local.writeUInt32LE(entry.zip64 ? ZIP_U32 : 0, 18);
  local.writeUInt32LE(entry.zip64 ? ZIP_U32 : 0, 22);
  local.writeUInt16LE(name.length, 26);
  local.writeUInt16LE(extra.length, 28);
  return Buffer.concat([local, name, extra]);
}

/** The data descriptor written after an entry's data. */
export function dataDescriptor(sizes: { crc: number; compressed: number; raw: number; zip64: boolean }): Buffer {
  const descriptor = Buffer.alloc(sizes.zip64 ? 24 : 16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(sizes.crc >>> 0, 4);
  if (sizes.zip64) {
    descriptor.writeBigUInt64LE(BigInt(sizes.compressed), 8);
    descriptor.writeBigUInt64LE(BigInt(sizes.raw), 16);
  } else {
    descriptor.writeUInt32LE(sizes.compressed, 8);
    descriptor.writeUInt32LE(sizes.raw, 12);
  }
  return descriptor;
}

/** The central directory header of an entry (Zip64 sizes and offset when any does not fit 32 bits). */
export function centralDirectoryHeader(
  name: Buffer,
  entry: { method: number; zip64: boolean; time: number; date: number; crc: number; compressed: number; raw: number; localOffset: number },
): Buffer {
  const { compressed, raw, localOffset } = entry;
  const big = entry.zip64 || raw >= ZIP_U32 || compressed >= ZIP_U32 || localOffset >= ZIP_U32;
  const extra = big ? zip64Extra([BigInt(raw), BigInt(compressed), BigInt(localOffset)]) : Buffer.alloc(0);
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE((3 << 8) | 45, 4); // made by: Unix, spec 4.5
  header.writeUInt16LE(big ? 45 : 20, 6);
  header.writeUInt16LE(FLAGS, 8);
  header.writeUInt16LE(entry.method, 10);
  header.writeUInt16LE(entry.time, 12);
  header.writeUInt16LE(entry.date, 14);
  header.writeUInt32LE(entry.crc >>> 0, 16);
  header.writeUInt32LE(big ? ZIP_U32 : compressed, 20);
  header.writeUInt32LE(big ? ZIP_U32 : raw, 24);
  header.writeUInt16LE(name.length, 28);
  header.writeUInt16LE(extra.length, 30);
  header.writeUInt16LE(0, 32);
  header.writeUInt16LE(0, 34);
  header.writeUInt16LE(0, 36);
  header.writeUInt32LE((0o100644 << 16) >>> 0, 38);
  header.writeUInt32LE(big ? ZIP_U32 : localOffset, 42);
  return Buffer.concat([header, name, extra]);
}

/** The end of the archive after its central directory: Zip64 end record and locator when needed, then the classic end record. */
export function endOfCentralDirectory(directory: { offset: number; bytes: number; entries: number; forceZip64: boolean }, endOffset: number): Buffer {
  const { offset: cdOffset, bytes, entries } = directory;
  const needs64 = directory.forceZip64 || cdOffset >= ZIP_U32 || bytes >= ZIP_U32 || entries >= 0xffff;
  const parts: Buffer[] = [];
  if (needs64) {
    const eocd64 = Buffer.alloc(56);
    eocd64.writeUInt32LE(0x06064b50, 0);
    eocd64.writeBigUInt64LE(44n, 4);
    eocd64.writeUInt16LE(45, 12);
    eocd64.writeUInt16LE(45, 14);
    eocd64.writeUInt32LE(0, 16);
    eocd64.writeUInt32LE(0, 20);
    eocd64.writeBigUInt64LE(BigInt(entries), 24);
    eocd64.writeBigUInt64LE(BigInt(entries), 32);
    eocd64.writeBigUInt64LE(BigInt(bytes), 40);
    eocd64.writeBigUInt64LE(BigInt(cdOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeUInt32LE(0, 4);
    locator.writeBigUInt64LE(BigInt(endOffset), 8);
    locator.writeUInt32LE(1, 16);
    parts.push(eocd64, locator);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(needs64 ? 0xffff : entries, 8);
  eocd.writeUInt16LE(needs64 ? 0xffff : entries, 10);
  eocd.writeUInt32LE(needs64 ? ZIP_U32 : bytes, 12);
  eocd.writeUInt32LE(needs64 ? ZIP_U32 : cdOffset, 16);
  parts.push(eocd);
  return Buffer.concat(parts);
}
