import { WardwatchError } from '@wardwatch/core';

/** One ISO-BMFF box: its type and where it lies. */
export interface Mp4Box {
  type: string;
  offset: number;
  size: number;
  /** Header length: 8, or 16 with a 64-bit size. */
  header: number;
}

/**
 * The coded error of a file the direct clip path cannot join (not a plain single-track fragmented MP4, damaged,
 * shorter than its boxes): `MEDIA_INVALID` with `details.joinable === false`, so the caller cuts with ffmpeg instead.
 */
export function notJoinable(reason: string): WardwatchError {
  return new WardwatchError('MEDIA_INVALID', `not joinable directly: ${reason}`, { details: { joinable: false, reason } });
}

/** Whether an error is {@link notJoinable}'s. */
export function isNotJoinable(error: unknown): error is WardwatchError {
  return error instanceof WardwatchError && error.code === 'MEDIA_INVALID' && (error.details as { joinable?: unknown } | undefined)?.joinable === false;
}

/** The boxes laid end to end in `buf` between `from` and `to`. */
export function boxesIn(buf: Buffer, from: number, to: number): Mp4Box[] {
  const out: Mp4Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    }
    if (size < header || at + size > to) throw notJoinable(`bad box ${type}`);
    out.push({ type, offset: at, size, header });
    at += size;
  }
  return out;
}

/** The first child of `parent` of a type. */
export function childBox(buf: Buffer, parent: Mp4Box, type: string): Mp4Box | undefined {
  return boxesIn(buf, parent.offset + parent.header, parent.offset + parent.size).find((b) => b.type === type);
}

/** A box that must be there. */
export function requireBox<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw notJoinable(`missing ${what}`);
  return value;
}

/** Builds a box of `type` around `parts`. */
export function buildBox(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length + 8, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}
