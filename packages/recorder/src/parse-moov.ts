import { boxesIn, childBox, notJoinable, requireBox, type Mp4Box } from './mp4-boxes.js';

/** What the fragments of a single-track fragmented MP4 inherit from its `moov`. */
export interface TrackInfo {
  timescale: number;
  defaultDuration: number;
  defaultSize: number;
}

/** Reads the track's timescale and the `trex` defaults of a single-track `moov` (coded `notJoinable` otherwise). */
export function parseMoov(moov: Buffer): TrackInfo {
  const root: Mp4Box = { type: 'moov', offset: 0, size: moov.length, header: 8 };
  const traks = boxesIn(moov, 8, moov.length).filter((b) => b.type === 'trak');
  if (traks.length !== 1) throw notJoinable('not exactly one track');
  const mdia = requireBox(childBox(moov, traks[0]!, 'mdia'), 'mdia');
  const mdhd = requireBox(childBox(moov, mdia, 'mdhd'), 'mdhd');
  const v = moov[mdhd.offset + 8]!;
  const timescale = moov.readUInt32BE(mdhd.offset + 8 + (v === 1 ? 20 : 12));
  const mvex = requireBox(childBox(moov, root, 'mvex'), 'mvex');
  const trex = requireBox(childBox(moov, mvex, 'trex'), 'trex');
  return { timescale, defaultDuration: moov.readUInt32BE(trex.offset + 20), defaultSize: moov.readUInt32BE(trex.offset + 24) };
}
