import { buildBox } from './mp4-boxes.js';
import type { ParsedMoof } from './parse-moof.js';

/** Builds a `moof` keeping only the first `keep` samples of a fragment (sequence number and decode time zero). */
export function trimmedMoof(fragment: Pick<ParsedMoof, 'trunHeader' | 'samples' | 'tfdtVersion' | 'tfhd'>, keep: number): Buffer {
  const header = Buffer.from(fragment.trunHeader.subarray(8));
  header.writeUInt32BE(keep, 4);
  const trun = buildBox('trun', header, ...fragment.samples.slice(0, keep).map((s) => s.entry));
  const mfhd = buildBox('mfhd', Buffer.alloc(8));
  const tfdt = fragment.tfdtVersion === 1 ? buildBox('tfdt', Buffer.from([1, 0, 0, 0]), Buffer.alloc(8)) : buildBox('tfdt', Buffer.alloc(8));
  const moof = buildBox('moof', mfhd, buildBox('traf', fragment.tfhd, tfdt, trun));
  // data offset = right after this moof and the mdat header
  const trunAt = moof.length - trun.length;
  moof.writeInt32BE(moof.length + 8, trunAt + 16);
  return moof;
}
