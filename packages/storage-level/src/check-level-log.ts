import { crc32c, unmaskCrc } from './crc32c.js';

/** LevelDB log block size. */
const BLOCK = 32768;
/** Log record header: masked CRC-32C (4), length (2), type (1). */
const HEADER = 7;
const FULL = 1;
const FIRST = 2;
const MIDDLE = 3;
const LAST = 4;
/** A write batch record holds at least its sequence number (8) and count (4). */
const MIN_BATCH = 12;

/**
 * What {@link checkLevelLog} found in one LevelDB write-ahead log: `ok`; `torn` — the file ends inside
 * its last record (a writer stopped mid-write: a crash or power cut while a batch was being written,
 * never acknowledged), which LevelDB drops without a word; or `corrupt` — a record LevelDB would drop
 * with the rest of its 32 KiB block although records follow it (flipped bytes, a bad length, a broken
 * fragment chain), losing writes that may have been acknowledged.
 */
export type LevelLogCheck =
  | { status: 'ok'; records: number }
  | { status: 'torn'; records: number; offset: number; droppedBytes: number }
  | { status: 'corrupt'; records: number; offset: number; reason: string };

function torn(records: number, offset: number, size: number): LevelLogCheck {
  return { status: 'torn', records, offset, droppedBytes: size - offset };
}

/**
 * Checks a LevelDB log file the way LevelDB's recovery reads it (`db/log_reader.cc`, without paranoid
 * checks, which `classic-level` does not expose): every physical record's checksum, length and type,
 * and the FIRST/MIDDLE/LAST fragment chain. Returns the first problem, or how many records were read.
 */
export function checkLevelLog(bytes: Uint8Array): LevelLogCheck {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let records = 0;
  /** Offset of the FIRST fragment of the record being assembled, or -1. */
  let fragmentStart = -1;
  let fragmentBytes = 0;
  for (let blockStart = 0; blockStart < bytes.length; blockStart += BLOCK) {
    const blockEnd = Math.min(blockStart + BLOCK, bytes.length);
    /** Only the file's last block can be shorter than a block: LevelDB reads it as the end of the log. */
    const partial = blockEnd - blockStart < BLOCK;
    let p = blockStart;
    while (blockEnd - p >= HEADER) {
      const length = (bytes[p + 4] as number) | ((bytes[p + 5] as number) << 8);
      const type = bytes[p + 6] as number;
      if (p + HEADER + length > blockEnd) {
        // Past the end of a partial last block: the writer died mid-record. Inside a full block: corruption.
        if (partial) return torn(records, fragmentStart >= 0 ? fragmentStart : p, bytes.length);
        return { status: 'corrupt', records, offset: p, reason: 'bad record length' };
      }
      if (type === 0 && length === 0) break; // preallocated zeros: LevelDB skips the rest of the block silently
      if (unmaskCrc(view.getUint32(p, true)) !== crc32c(bytes, p + 6, p + HEADER + length)) return { status: 'corrupt', records, offset: p, reason: 'checksum mismatch' };
      if (type === FULL || type === FIRST) {
        if (fragmentStart >= 0) return { status: 'corrupt', records, offset: fragmentStart, reason: 'partial record without end' };
        if (type === FULL) {
          if (length < MIN_BATCH) return { status: 'corrupt', records, offset: p, reason: 'log record too small' };
          records++;
        } else {
          fragmentStart = p;
          fragmentBytes = length;
        }
      } else if (type === MIDDLE || type === LAST) {
        if (fragmentStart < 0) return { status: 'corrupt', records, offset: p, reason: `missing start of fragmented record (${type === MIDDLE ? 'middle' : 'last'})` };
        fragmentBytes += length;
        if (type === LAST) {
          if (fragmentBytes < MIN_BATCH) return { status: 'corrupt', records, offset: fragmentStart, reason: 'log record too small' };
          records++;
          fragmentStart = -1;
        }
      } else {
        return { status: 'corrupt', records, offset: p, reason: `unknown record type ${type}` };
      }
      p += HEADER + length;
    }
    // Fewer than HEADER bytes left: a block trailer (zeros), or at the end of the file a torn header.
    if (partial && blockEnd > p) return torn(records, fragmentStart >= 0 ? fragmentStart : p, bytes.length);
  }
  if (fragmentStart >= 0) return torn(records, fragmentStart, bytes.length);
  return { status: 'ok', records };
}
