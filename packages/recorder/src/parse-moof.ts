import { boxesIn, notJoinable, requireBox } from './mp4-boxes.js';
import type { TrackInfo } from './parse-moov.js';

/** One sample of a fragment: its duration (track ticks), size and raw `trun` entry. */
export interface FragmentSample {
  duration: number;
  size: number;
  entry: Buffer;
}

/** A parsed `moof` with the offsets the clip writer rewrites. */
export interface ParsedMoof {
  moof: Buffer;
  /** Offsets inside `moof` to patch. */
  seqAt: number;
  tfdtAt: number;
  /** Offset inside `moof` of the `trun` data offset (rewritten: the output's `mdat` headers are 8 bytes). */
  dataOffsetAt: number;
  tfdtVersion: number;
  tfhd: Buffer;
  trunHeader: Buffer;
  samples: FragmentSample[];
  /** Decode time of the first sample, in track timescale (relative to the file's first fragment). */
  decodeTime: number;
}

/** `tfhd` flags. */
const TFHD_BASE_DATA_OFFSET = 0x01;
const TFHD_SAMPLE_DESCRIPTION = 0x02;
const TFHD_DEFAULT_DURATION = 0x08;
const TFHD_DEFAULT_SIZE = 0x10;
/** `trun` flags. */
const TRUN_DATA_OFFSET = 0x01;
const TRUN_FIRST_SAMPLE_FLAGS = 0x04;
const TRUN_SAMPLE_DURATION = 0x100;
const TRUN_SAMPLE_SIZE = 0x200;
const TRUN_ENTRY_FIELDS = [0x100, 0x200, 0x400, 0x800];

/**
 * Parses a `moof` as ffmpeg writes it for the recorder (`mfhd` + one `traf` of `tfhd`, `tfdt`, `trun`, data right
 * after the `moof`); any other layout is coded `notJoinable`.
 */
export function parseMoof(moof: Buffer, track: TrackInfo, mdatHeader: number): ParsedMoof {
  const kids = boxesIn(moof, 8, moof.length);
  const mfhd = requireBox(kids.find((b) => b.type === 'mfhd'), 'mfhd');
  const trafs = kids.filter((b) => b.type === 'traf');
  if (trafs.length !== 1 || kids.length !== 2) throw notJoinable('unexpected moof layout');
  const traf = trafs[0]!;
  const tkids = boxesIn(moof, traf.offset + 8, traf.offset + traf.size);
  if (tkids.length !== 3) throw notJoinable('unexpected traf layout');
  const tfhd = requireBox(tkids.find((b) => b.type === 'tfhd'), 'tfhd');
  const tfdt = requireBox(tkids.find((b) => b.type === 'tfdt'), 'tfdt');
  const trun = requireBox(tkids.find((b) => b.type === 'trun'), 'trun');
  const tfhdFlags = moof.readUInt32BE(tfhd.offset + 8) & 0xffffff;
  if (tfhdFlags & TFHD_BASE_DATA_OFFSET) throw notJoinable('explicit base data offset');
  let p = tfhd.offset + 16;
  if (tfhdFlags & TFHD_SAMPLE_DESCRIPTION) p += 4;
  const defaultDuration = tfhdFlags & TFHD_DEFAULT_DURATION ? moof.readUInt32BE(p) : track.defaultDuration;
  if (tfhdFlags & TFHD_DEFAULT_DURATION) p += 4;
  const defaultSize = tfhdFlags & TFHD_DEFAULT_SIZE ? moof.readUInt32BE(p) : track.defaultSize;
  const tfdtVersion = moof[tfdt.offset + 8]!;
  const decodeTime = tfdtVersion === 1 ? Number(moof.readBigUInt64BE(tfdt.offset + 12)) : moof.readUInt32BE(tfdt.offset + 12);
  const trunFlags = moof.readUInt32BE(trun.offset + 8) & 0xffffff;
  if (!(trunFlags & TRUN_DATA_OFFSET)) throw notJoinable('trun without data offset');
  const count = moof.readUInt32BE(trun.offset + 12);
  const dataOffset = moof.readInt32BE(trun.offset + 16);
  if (dataOffset !== moof.length + mdatHeader) throw notJoinable('data not right after moof');
  let q = trun.offset + 20 + (trunFlags & TRUN_FIRST_SAMPLE_FLAGS ? 4 : 0);
  const trunHeader = Buffer.from(moof.subarray(trun.offset, q));
  const entrySize = TRUN_ENTRY_FIELDS.filter((f) => trunFlags & f).length * 4;
  const samples: FragmentSample[] = [];
  for (let i = 0; i < count; i++) {
    let e = q;
    const duration = trunFlags & TRUN_SAMPLE_DURATION ? moof.readUInt32BE(e) : defaultDuration;
    if (trunFlags & TRUN_SAMPLE_DURATION) e += 4;
    const size = trunFlags & TRUN_SAMPLE_SIZE ? moof.readUInt32BE(e) : defaultSize;
    samples.push({ duration, size, entry: Buffer.from(moof.subarray(q, q + entrySize)) });
    q += entrySize;
  }
  return {
    moof,
    seqAt: mfhd.offset + 12,
    tfdtAt: tfdt.offset + 12,
    dataOffsetAt: trun.offset + 16,
    tfdtVersion,
    tfhd: Buffer.from(moof.subarray(tfhd.offset, tfhd.offset + tfhd.size)),
    trunHeader,
    samples,
    decodeTime,
  };
}
