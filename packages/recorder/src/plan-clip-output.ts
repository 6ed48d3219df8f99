import { notJoinable } from './mp4-boxes.js';
import type { ClipSelection } from './select-clip-fragments.js';
import { trimmedMoof } from './trimmed-moof.js';

/** A byte range of one input, read with a single `read`. */
export interface ReadUnit {
  path: string;
  offset: number;
  length: number;
}

/** One piece of the output: bytes built in memory, or a slice of a read unit. */
export type ClipPiece = { data: Buffer } | { unit: number; at: number; length: number };

/** The output of a clip, planned before a byte of media is read. */
export interface ClipPlan {
  pieces: ClipPiece[];
  units: ReadUnit[];
  totalBytes: number;
  /** UTC ms just after the last frame written. */
  lastEndMs: number;
  /** Media duration of the output, track ticks. */
  durationTicks: number;
}

/** How many samples of a fragment starting at `startMs` start before `to` (always at least the first one). */
function samplesBefore(samples: ReadonlyArray<{ duration: number }>, startMs: number, to: number, timescale: number): number {
  let t = startMs;
  for (let i = 0; i < samples.length; i++) {
    if (i > 0 && t >= to) return i;
    t += (samples[i]!.duration * 1000) / timescale;
  }
  return samples.length;
}

/**
 * Plans the clip: the head, then per fragment its rewritten `moof` (sequence number, decode time, data offset; the
 * last one trimmed to `to`) and `mdat` header built in memory, and its media data as slices of large reads (a read
 * is extended while it stays in the same file, goes forward and stays within `readSpan`).
 */
export function planClipOutput(selection: ClipSelection, to: number, readSpan: number): ClipPlan {
  const { head, timescale, fragments } = selection;
  const units: ReadUnit[] = [];
  const pieces: ClipPiece[] = [{ data: head }];
  let decode = 0;
  let lastEndMs = fragments[0]!.startMs;
  let totalBytes = head.length;
  for (let n = 0; n < fragments.length; n++) {
    const f = fragments[n]!;
    const keep = samplesBefore(f.samples, f.startMs, to, timescale);
    const whole = keep === f.samples.length;
    const moof = whole ? Buffer.from(f.moof) : trimmedMoof(f, keep);
    // the source's mdat header may have been a 16-byte (64-bit size) one; the output's is always 8 bytes
    if (whole) moof.writeInt32BE(moof.length + 8, f.dataOffsetAt);
    moof.writeUInt32BE(n + 1, whole ? f.seqAt : 20);
    const tfdtAt = whole ? f.tfdtAt : moof.indexOf('tfdt', 0, 'latin1') + 8;
    if (f.tfdtVersion === 1) moof.writeBigUInt64BE(BigInt(decode), tfdtAt);
    else if (decode > 0xffffffff) throw notJoinable('decode time overflows a version 0 tfdt');
    else moof.writeUInt32BE(decode, tfdtAt);
    const payload = f.samples.slice(0, keep).reduce((s, x) => s + x.size, 0);
    const mdatHead = Buffer.alloc(8);
    mdatHead.writeUInt32BE(payload + 8, 0);
    mdatHead.write('mdat', 4, 'latin1');
    pieces.push({ data: Buffer.concat([moof, mdatHead]) });
    totalBytes += moof.length + 8 + payload;
    let offset = f.mdatPayloadOffset;
    let left = payload;
    while (left > 0) {
      const last = units[units.length - 1];
      const lastEnd = last ? last.offset + last.length : 0;
      if (last && last.path === f.path && offset >= lastEnd && offset + left - last.offset <= readSpan) {
        last.length = offset + left - last.offset;
        pieces.push({ unit: units.length - 1, at: offset - last.offset, length: left });
        left = 0;
      } else {
        const length = Math.min(left, readSpan);
        units.push({ path: f.path, offset, length });
        pieces.push({ unit: units.length - 1, at: 0, length });
        offset += length;
        left -= length;
      }
    }
    const ticks = f.samples.slice(0, keep).reduce((s, x) => s + x.duration, 0);
    decode += ticks;
    lastEndMs = f.startMs + (ticks * 1000) / timescale;
  }
  return { pieces, units, totalBytes, lastEndMs, durationTicks: decode };
}
