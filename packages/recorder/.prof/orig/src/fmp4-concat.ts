import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** One input of {@link concatFragmentedMp4}: a fragmented MP4 whose media time 0 is at `start` (UTC ms). */
export interface FragmentedInput {
  path: string;
  start: number;
}

/** Result of {@link concatFragmentedMp4}. */
export interface FragmentedConcatResult {
  bytes: number;
  sha256: string;
  /** UTC ms of the first frame written (a keyframe at or before `from`). */
  actualFrom: number;
  /** UTC ms just after the last frame written. */
  actualTo: number;
  /** Media duration of the output, ms. */
  durationMs: number;
}

interface Box {
  type: string;
  offset: number;
  size: number;
  header: number;
}

interface Sample {
  duration: number;
  size: number;
  entry: Buffer;
}

interface Fragment {
  path: string;
  moof: Buffer;
  mdatPayloadOffset: number;
  /** Offsets inside `moof` to patch. */
  seqAt: number;
  tfdtAt: number;
  tfdtVersion: number;
  tfhd: Buffer;
  trunHeader: Buffer;
  samples: Sample[];
  /** Decode time of the first sample, in track timescale (relative to the file's first fragment). */
  decodeTime: number;
  startMs: number;
  durationMs: number;
}

/** Signals that the inputs are not plain single-track fragmented MP4s; the caller falls back to ffmpeg. */
export class NotFragmentedError extends Error {}

function boxesIn(buf: Buffer, from: number, to: number): Box[] {
  const out: Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    }
    if (size < header || at + size > to) throw new NotFragmentedError(`bad box ${type}`);
    out.push({ type, offset: at, size, header });
    at += size;
  }
  return out;
}

function child(buf: Buffer, parent: Box, type: string): Box | undefined {
  return boxesIn(buf, parent.offset + parent.header, parent.offset + parent.size).find((b) => b.type === type);
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new NotFragmentedError(`missing ${what}`);
  return value;
}

async function topLevel(handle: FileHandle, fileSize: number): Promise<Box[]> {
  const out: Box[] = [];
  const head = Buffer.alloc(16);
  let at = 0;
  while (at + 8 <= fileSize) {
    await handle.read(head, 0, 16, at);
    let size = head.readUInt32BE(0);
    const type = head.toString('latin1', 4, 8);
    let header = 8;
    if (size === 1) {
      size = Number(head.readBigUInt64BE(8));
      header = 16;
    } else if (size === 0) size = fileSize - at;
    if (size < header || at + size > fileSize) break; // truncated tail: ignore it
    out.push({ type, offset: at, size, header });
    at += size;
  }
  return out;
}

async function readBox(handle: FileHandle, box: Box): Promise<Buffer> {
  const buf = Buffer.alloc(box.size);
  await handle.read(buf, 0, box.size, box.offset);
  return buf;
}

interface TrackInfo {
  timescale: number;
  defaultDuration: number;
  defaultSize: number;
}

function parseMoov(moov: Buffer): TrackInfo {
  const root: Box = { type: 'moov', offset: 0, size: moov.length, header: 8 };
  const traks = boxesIn(moov, 8, moov.length).filter((b) => b.type === 'trak');
  if (traks.length !== 1) throw new NotFragmentedError('not exactly one track');
  const mdia = need(child(moov, traks[0]!, 'mdia'), 'mdia');
  const mdhd = need(child(moov, mdia, 'mdhd'), 'mdhd');
  const v = moov[mdhd.offset + 8]!;
  const timescale = moov.readUInt32BE(mdhd.offset + 8 + (v === 1 ? 20 : 12));
  const mvex = need(child(moov, root, 'mvex'), 'mvex');
  const trex = need(child(moov, mvex, 'trex'), 'trex');
  return { timescale, defaultDuration: moov.readUInt32BE(trex.offset + 20), defaultSize: moov.readUInt32BE(trex.offset + 24) };
}

function parseMoof(moof: Buffer, track: TrackInfo): Omit<Fragment, 'path' | 'mdatPayloadOffset' | 'startMs' | 'durationMs'> {
  const root: Box = { type: 'moof', offset: 0, size: moof.length, header: 8 };
  const kids = boxesIn(moof, 8, moof.length);
  const mfhd = need(kids.find((b) => b.type === 'mfhd'), 'mfhd');
  const trafs = kids.filter((b) => b.type === 'traf');
  if (trafs.length !== 1 || kids.length !== 2) throw new NotFragmentedError('unexpected moof layout');
  const traf = trafs[0]!;
  const tkids = boxesIn(moof, traf.offset + 8, traf.offset + traf.size);
  if (tkids.length !== 3) throw new NotFragmentedError('unexpected traf layout');
  const tfhd = need(tkids.find((b) => b.type === 'tfhd'), 'tfhd');
  const tfdt = need(tkids.find((b) => b.type === 'tfdt'), 'tfdt');
  const trun = need(tkids.find((b) => b.type === 'trun'), 'trun');
  const tfhdFlags = moof.readUInt32BE(tfhd.offset + 8) & 0xffffff;
  if (tfhdFlags & 0x01) throw new NotFragmentedError('explicit base data offset');
  let p = tfhd.offset + 16;
  if (tfhdFlags & 0x02) p += 4;
  const defaultDuration = tfhdFlags & 0x08 ? moof.readUInt32BE(p) : track.defaultDuration;
  if (tfhdFlags & 0x08) p += 4;
  const defaultSize = tfhdFlags & 0x10 ? moof.readUInt32BE(p) : track.defaultSize;
  const tfdtVersion = moof[tfdt.offset + 8]!;
  const decodeTime = tfdtVersion === 1 ? Number(moof.readBigUInt64BE(tfdt.offset + 12)) : moof.readUInt32BE(tfdt.offset + 12);
  const trunFlags = moof.readUInt32BE(trun.offset + 8) & 0xffffff;
  if (!(trunFlags & 0x01)) throw new NotFragmentedError('trun without data offset');
  const count = moof.readUInt32BE(trun.offset + 12);
  const dataOffset = moof.readInt32BE(trun.offset + 16);
  if (dataOffset !== moof.length + 8) throw new NotFragmentedError('data not right after moof');
  let q = trun.offset + 20 + (trunFlags & 0x04 ? 4 : 0);
  const trunHeader = Buffer.from(moof.subarray(trun.offset, q));
  const entrySize = [0x100, 0x200, 0x400, 0x800].filter((f) => trunFlags & f).length * 4;
  const samples: Sample[] = [];
  for (let i = 0; i < count; i++) {
    let e = q;
    const duration = trunFlags & 0x100 ? moof.readUInt32BE(e) : defaultDuration;
    if (trunFlags & 0x100) e += 4;
    const size = trunFlags & 0x200 ? moof.readUInt32BE(e) : defaultSize;
    samples.push({ duration, size, entry: Buffer.from(moof.subarray(q, q + entrySize)) });
    q += entrySize;
  }
  void root;
  return {
    moof,
    seqAt: mfhd.offset + 12,
    tfdtAt: tfdt.offset + 12,
    tfdtVersion,
    tfhd: Buffer.from(moof.subarray(tfhd.offset, tfhd.offset + tfhd.size)),
    trunHeader,
    samples,
    decodeTime,
  };
}

function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length + 8, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

/** Builds a moof keeping only the first `keep` samples of a fragment. */
function trimmedMoof(fragment: Fragment, keep: number): Buffer {
  const header = Buffer.from(fragment.trunHeader.subarray(8));
  header.writeUInt32BE(keep, 4);
  const trun = box('trun', header, ...fragment.samples.slice(0, keep).map((s) => s.entry));
  const mfhd = box('mfhd', Buffer.alloc(8));
  const tfdt = fragment.tfdtVersion === 1 ? box('tfdt', Buffer.from([1, 0, 0, 0]), Buffer.alloc(8)) : box('tfdt', Buffer.alloc(8));
  const moof = box('moof', mfhd, box('traf', fragment.tfhd, tfdt, trun));
  // data offset = right after this moof and the mdat header
  const trunAt = moof.length - trun.length;
  moof.writeInt32BE(moof.length + 8, trunAt + 16);
  return moof;
}

/**
 * Concatenates fragmented MP4 segments (as the recorder writes them) into one fragmented MP4 without ffmpeg:
 * box headers are parsed, media data is copied byte for byte, only `mfhd` sequence numbers and `tfdt` decode
 * times are rewritten, and the last fragment is trimmed to `to`. The first fragment kept starts at the keyframe
 * at or before `from`. Throws {@link NotFragmentedError} when an input does not fit (then use ffmpeg).
 */
export async function concatFragmentedMp4(
  inputs: readonly FragmentedInput[],
  range: { from: number; to: number },
  outPath: string,
  onProgress?: (ratio: number, bytes: number) => void,
  signal?: AbortSignal,
): Promise<FragmentedConcatResult> {
  let head: Buffer | undefined;
  let track: TrackInfo | undefined;
  const selected: Fragment[] = [];
  for (const input of inputs) {
    const handle = await open(input.path, 'r');
    try {
      const { size } = await handle.stat();
      const boxes = await topLevel(handle, size);
      const ftyp = need(boxes.find((b) => b.type === 'ftyp'), 'ftyp');
      const moovBox = need(boxes.find((b) => b.type === 'moov'), 'moov');
      const fileHead = Buffer.concat([await readBox(handle, ftyp), await readBox(handle, moovBox)]);
      if (!head) {
        head = fileHead;
        track = parseMoov(fileHead.subarray(ftyp.size));
      } else if (!head.equals(fileHead)) throw new NotFragmentedError('segments differ in codec setup');
      let firstDecode: number | undefined;
      for (let i = 0; i < boxes.length; i++) {
        if (boxes[i]!.type !== 'moof') continue;
        const mdat = boxes[i + 1];
        if (!mdat || mdat.type !== 'mdat' || mdat.header !== 8) continue; // truncated last fragment
        const parsed = parseMoof(await readBox(handle, boxes[i]!), track!);
        if (parsed.samples.reduce((s, x) => s + x.size, 0) > mdat.size - 8) continue;
        firstDecode ??= parsed.decodeTime;
        const durationTicks = parsed.samples.reduce((s, x) => s + x.duration, 0);
        const startMs = input.start + ((parsed.decodeTime - firstDecode) * 1000) / track!.timescale;
        const durationMs = (durationTicks * 1000) / track!.timescale;
        if (startMs >= range.to || startMs + durationMs <= range.from) continue;
        selected.push({ ...parsed, path: input.path, mdatPayloadOffset: mdat.offset + 8, startMs, durationMs });
      }
    } finally {
      await handle.close();
    }
  }
  if (!head || !track || selected.length === 0) throw new NotFragmentedError('no fragments in range');
  // the first fragment kept is the one holding `from` (it starts with a keyframe)
  const firstAt = selected.findLastIndex((f) => f.startMs <= range.from);
  const fragments = selected.slice(Math.max(0, firstAt));

  const hash = createHash('sha256');
  const out = createWriteStream(outPath, { highWaterMark: 8 * 1024 * 1024 });
  const outError = new Promise<never>((_, reject) => out.once('error', reject));
  let bytes = 0;
  const write = async (chunk: Buffer): Promise<void> => {
    if (signal?.aborted) throw new Error('aborted');
    hash.update(chunk);
    bytes += chunk.length;
    if (!out.write(chunk)) await Promise.race([new Promise<void>((r) => out.once('drain', () => r())), outError]);
  };
  const totalPayload = fragments.reduce((s, f) => s + f.samples.reduce((a, x) => a + x.size, 0), 0);
  let decode = 0;
  let durationTicks = 0;
  let lastEndMs = fragments[0]!.startMs;
  await write(head);
  const handles = new Map<string, FileHandle>();
  try {
    for (let n = 0; n < fragments.length; n++) {
      const f = fragments[n]!;
      // keep samples that start before `to` (always at least the first one)
      let keep = f.samples.length;
      let t = f.startMs;
      for (let i = 0; i < f.samples.length; i++) {
        if (i > 0 && t >= range.to) {
          keep = i;
          break;
        }
        t += (f.samples[i]!.duration * 1000) / track.timescale;
      }
      const moof = keep === f.samples.length ? Buffer.from(f.moof) : trimmedMoof(f, keep);
      const seqAt = keep === f.samples.length ? f.seqAt : 20;
      moof.writeUInt32BE(n + 1, seqAt);
      const tfdtAt = keep === f.samples.length ? f.tfdtAt : moof.indexOf('tfdt', 0, 'latin1') + 8;
      if (f.tfdtVersion === 1) moof.writeBigUInt64BE(BigInt(decode), tfdtAt);
      else moof.writeUInt32BE(decode, tfdtAt);
      const payload = f.samples.slice(0, keep).reduce((s, x) => s + x.size, 0);
      const mdatHead = Buffer.alloc(8);
      mdatHead.writeUInt32BE(payload + 8, 0);
      mdatHead.write('mdat', 4, 'latin1');
      await write(moof);
      await write(mdatHead);
      let handle = handles.get(f.path);
      if (!handle) {
        for (const h of handles.values()) await h.close();
        handles.clear();
        handle = await open(f.path, 'r');
        handles.set(f.path, handle);
      }
      for (let done = 0; done < payload; ) {
        const len = Math.min(4 * 1024 * 1024, payload - done);
        const buf = Buffer.allocUnsafe(len);
        const { bytesRead } = await handle.read(buf, 0, len, f.mdatPayloadOffset + done);
        if (bytesRead <= 0) throw new NotFragmentedError('segment shorter than its index');
        await write(bytesRead === len ? buf : buf.subarray(0, bytesRead));
        done += bytesRead;
      }
      const ticks = f.samples.slice(0, keep).reduce((s, x) => s + x.duration, 0);
      decode += ticks;
      durationTicks += ticks;
      lastEndMs = f.startMs + (ticks * 1000) / track.timescale;
      onProgress?.(Math.min(0.99, bytes / Math.max(1, totalPayload)), bytes);
    }
  } finally {
    for (const h of handles.values()) await h.close();
  }
  await Promise.race([new Promise<void>((resolve) => out.end(() => resolve())), outError]);
  return {
    bytes,
    sha256: hash.digest('hex'),
    actualFrom: Math.round(fragments[0]!.startMs),
    actualTo: Math.round(lastEndMs),
    durationMs: Math.round((durationTicks * 1000) / track.timescale),
  };
}
