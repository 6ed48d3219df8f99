import { describe, expect, it } from 'vitest';
import { checkLevelLog } from '../src/check-level-log.js';
import { crc32c, unmaskCrc } from '../src/crc32c.js';

/** Masks a CRC as LevelDB stores it (the inverse of `unmaskCrc`). */
function mask(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One physical log record: header (masked CRC of type + payload, length, type) and payload. */
function record(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(7 + payload.length);
  out[4] = payload.length & 0xff;
  out[5] = payload.length >> 8;
  out[6] = type;
  out.set(payload, 7);
  new DataView(out.buffer).setUint32(0, mask(crc32c(out, 6, out.length)), true);
  return out;
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const batch = (n: number) => new Uint8Array(n).fill(7);

/** The plain bit-by-bit CRC-32C, as the oracle for the table-driven one. */
function slowCrc32c(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) {
    crc ^= bytes[i] as number;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0x82f63b78 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the CRC-32C check value and undoes LevelDB masking', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(unmaskCrc(mask(0xe3069283))).toBe(0xe3069283);
  });

  it('agrees with the bit-by-bit CRC at every alignment and length around its 8-byte steps', () => {
    const bytes = new Uint8Array(4099).map((_, i) => Math.imul(i + 1, 2654435761) >>> 23);
    for (let start = 0; start < 9; start++) {
      for (const length of [0, 1, 7, 8, 9, 15, 16, 17, 100, 4090 - start]) {
        expect({ start, length, crc: crc32c(bytes, start, start + length) }).toEqual({ start, length, crc: slowCrc32c(bytes, start, start + length) });
      }
    }
  });
});

describe('checkLevelLog', () => {
  it('reads whole and fragmented records', () => {
    expect(checkLevelLog(concat(record(1, batch(20)), record(2, batch(10)), record(3, batch(5)), record(4, batch(5))))).toEqual({ status: 'ok', records: 2 });
    expect(checkLevelLog(new Uint8Array(0))).toEqual({ status: 'ok', records: 0 });
  });

  it('reports a record cut short at the end of the file, or a fragment chain without its last part, as torn', () => {
    const full = concat(record(1, batch(20)), record(1, batch(30)));
    expect(checkLevelLog(full.subarray(0, full.length - 4))).toEqual({ status: 'torn', records: 1, offset: 27, droppedBytes: full.length - 4 - 27 });
    expect(checkLevelLog(full.subarray(0, 27 + 3))).toMatchObject({ status: 'torn', records: 1, offset: 27 });
    expect(checkLevelLog(concat(record(1, batch(20)), record(2, batch(10))))).toMatchObject({ status: 'torn', records: 1, offset: 27 });
  });

  it('reports a checksum mismatch, an unknown type and a broken fragment chain as corrupt', () => {
    const good = concat(record(1, batch(20)), record(1, batch(30)), record(1, batch(12)));
    const flipped = good.slice();
    flipped[37] = (flipped[37] as number) ^ 1;
    expect(checkLevelLog(flipped)).toEqual({ status: 'corrupt', records: 1, offset: 27, reason: 'checksum mismatch' });
    expect(checkLevelLog(concat(record(1, batch(20)), record(9, batch(20)), record(1, batch(12))))).toMatchObject({ status: 'corrupt', offset: 27, reason: 'unknown record type 9' });
    expect(checkLevelLog(concat(record(4, batch(20)), record(1, batch(12))))).toMatchObject({ status: 'corrupt', offset: 0, reason: expect.stringMatching(/missing start/) });
    expect(checkLevelLog(concat(record(2, batch(20)), record(1, batch(12))))).toMatchObject({ status: 'corrupt', offset: 0, reason: 'partial record without end' });
    expect(checkLevelLog(concat(record(1, batch(5)), record(1, batch(12))))).toMatchObject({ status: 'corrupt', reason: 'log record too small' });
  });

  it('reads a record that ends a full block and a block trailer of zeros, as LevelDB writes them', () => {
    // First block: one record filling all but 3 bytes (a trailer LevelDB pads with zeros), then a record in the next block.
    const first = record(1, batch(32768 - 7 - 3));
    const log = concat(first, new Uint8Array(3), record(1, batch(40)));
    expect(checkLevelLog(log)).toEqual({ status: 'ok', records: 2 });
    // The same second record with its last bytes missing: torn, not corrupt.
    expect(checkLevelLog(log.subarray(0, log.length - 1))).toMatchObject({ status: 'torn', records: 1, offset: 32768 });
  });
});
