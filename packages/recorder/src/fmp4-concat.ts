import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { findHoles } from './clip-holes.js';

/** One input of {@link concatFragmentedMp4}: a fragmented MP4 whose media time 0 is at `start` (UTC ms). */
export interface FragmentedInput {
  path: string;
  start: number;
  /** Indexed end (UTC ms), when known: media missing before it, at the end of the file, is reported as a hole. */
  end?: number;
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
  /**
   * Stretches of the range (UTC ms) that the segment files hold no media for though they should (see
   * {@link findHoles}): fragments lost to a crash or damage, stalls. The output plays straight across them, so they
   * are reported rather than hidden.
   */
  holes: Array<{ from: number; to: number }>;
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
  /** Index of the input it comes from. */
  input: number;
  moof: Buffer;
  mdatPayloadOffset: number;
  /** Offsets inside `moof` to patch. */
  seqAt: number;
  tfdtAt: number;
  /** Offset inside `moof` of the `trun` data offset (rewritten: the output's `mdat` headers are 8 bytes). */
  dataOffsetAt: number;
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

function parseMoof(moof: Buffer, track: TrackInfo, mdatHeader: number): Omit<Fragment, 'path' | 'input' | 'mdatPayloadOffset' | 'startMs' | 'durationMs'> {
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
  if (dataOffset !== moof.length + mdatHeader) throw new NotFragmentedError('data not right after moof');
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
    dataOffsetAt: trun.offset + 16,
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

interface IndexedInput {
  head: Buffer;
  ftypSize: number;
  /** Decode time of the file's media time 0 (its start in the index). */
  originDecodeTime: number | undefined;
  fragments: Array<Omit<Fragment, 'input' | 'startMs' | 'durationMs'>>;
}

/** Reads the box layout of one input: its `ftyp`+`moov` bytes and every complete fragment's `moof`. */
/** Bytes read at once while walking the boxes of an input: a `moof` and the next `mdat` header fit in one read. */
const INDEX_WINDOW = 16 * 1024;

/** Reads the box layout of one input: its `ftyp`+`moov` bytes and every complete fragment's `moof`. */
async function indexInput(path: string): Promise<IndexedInput> {
  const handle = await open(path, 'r');
  try {
    const { size: fileSize } = await handle.stat();
    // one window of the file at a time; most boxes are read with the read that found their header
    let windowAt = 0;
    let window = Buffer.alloc(0);
    const bytesAt = async (at: number, length: number): Promise<Buffer> => {
      if (at < windowAt || at + length > windowAt + window.length) {
        const want = Math.min(Math.max(length, INDEX_WINDOW), fileSize - at);
        const buf = Buffer.allocUnsafe(want);
        let got = 0;
        while (got < want) {
          const { bytesRead } = await handle.read(buf, got, want - got, at + got);
          if (bytesRead <= 0) break;
          got += bytesRead;
        }
        windowAt = at;
        window = buf.subarray(0, got);
        if (got < length) throw new NotFragmentedError('file shorter than its boxes');
      }
      return window.subarray(at - windowAt, at - windowAt + length);
    };
    const boxes: Box[] = [];
    let ftypBox: Box | undefined;
    let ftypBytes: Buffer | undefined;
    let moovBytes: Buffer | undefined;
    const moofs = new Map<number, Buffer>();
    for (let at = 0; at + 8 <= fileSize; ) {
      const h = await bytesAt(at, Math.min(16, fileSize - at));
      let size = h.readUInt32BE(0);
      const type = h.toString('latin1', 4, 8);
      let header = 8;
      if (size === 1) {
        if (h.length < 16) break;
        size = Number(h.readBigUInt64BE(8));
        header = 16;
      } else if (size === 0) size = fileSize - at;
      if (size < header || at + size > fileSize) break; // truncated tail: ignore it
      const box: Box = { type, offset: at, size, header };
      boxes.push(box);
      if (type === 'ftyp') ftypBox = box;
      // small boxes are copied out of the window (which is reused), media data is not read here
      if (type === 'ftyp') ftypBytes ??= Buffer.from(await bytesAt(at, size));
      else if (type === 'moov') moovBytes ??= Buffer.from(await bytesAt(at, size));
      else if (type === 'moof') moofs.set(at, Buffer.from(await bytesAt(at, size)));
      at += size;
    }
    const ftyp = need(ftypBox, 'ftyp');
    const head = Buffer.concat([need(ftypBytes, 'ftyp'), need(moovBytes, 'moov')]);
    const track = parseMoov(head.subarray(ftyp.size));
    const fragments: IndexedInput['fragments'] = [];
    let firstDecodeTime: number | undefined;
    let totalTicks = 0;
    let firstError: unknown;
    for (let i = 0; i < boxes.length; i++) {
      if (boxes[i]!.type !== 'moof') continue;
      const mdat = boxes[i + 1]?.type === 'mdat' ? boxes[i + 1] : undefined;
      let parsed: ReturnType<typeof parseMoof>;
      try {
        parsed = parseMoof(moofs.get(boxes[i]!.offset)!, track, mdat?.header ?? 8);
      } catch (error) {
        // a damaged moof is a lost fragment (its time becomes a hole); a file none of whose moofs parse is not
        // one of ours at all (see below)
        firstError ??= error;
        continue;
      }
      firstDecodeTime ??= parsed.decodeTime;
      totalTicks += parsed.samples.reduce((sum, x) => sum + x.duration, 0);
      // a fragment without all of its media (cut short by a crash) is left out; the time it covered becomes a hole
      if (!mdat) continue;
      if (parsed.samples.reduce((sum, x) => sum + x.size, 0) > mdat.size - mdat.header) continue;
      fragments.push({ ...parsed, path, mdatPayloadOffset: mdat.offset + mdat.header });
    }
    if (firstDecodeTime === undefined && firstError !== undefined) {
      throw firstError instanceof NotFragmentedError ? firstError : new NotFragmentedError(`unreadable moof: ${String(firstError)}`);
    }
    // ffmpeg starts every file's decode times at 0 (the segment muxer resets them): a first readable fragment that
    // starts later, within the file's own length, means the fragments before it were lost, not that the file starts
    // there. A decode time beyond the file's length is a timeline carried on from other files: it is the origin.
    const originDecodeTime = firstDecodeTime !== undefined && firstDecodeTime <= totalTicks ? 0 : firstDecodeTime;
    return { head, ftypSize: ftyp.size, originDecodeTime, fragments };
  } finally {
    await handle.close();
  }
}

/**
 * Largest single read of media data (bytes); consecutive fragments of one file are read together up to this.
 * 1 MiB rather than 4: the buffers in flight (reads ahead, writes behind) then stay within the CPU's last-level
 * cache, so the hasher finds the bytes a read has just copied still cached (measured about 20 % faster).
 */
const READ_SPAN = 1024 * 1024;
/** Output bytes gathered before one write (`writev`). */
const WRITE_BATCH = 1024 * 1024;
/** Reads kept in flight ahead of the writer. */
const READ_AHEAD = 3;
/** Writes kept in flight behind the hasher. */
const WRITES_IN_FLIGHT = 3;
/** Inputs indexed at the same time. */
const INDEX_CONCURRENCY = 8;

/** I/O sizes of {@link concatFragmentedMp4} (the defaults suit disks and page cache; small values are for tests). */
export interface ConcatIoOptions {
  /** Largest single read, bytes. @default 1 MiB */
  readSpan?: number;
  /** Output bytes gathered per write, bytes. @default 1 MiB */
  writeBatch?: number;
}

/** A byte range of one input, read with a single `read`. */
interface ReadUnit {
  path: string;
  offset: number;
  length: number;
}

/** One piece of the output: bytes built in memory, or a slice of a read unit. */
type Piece = { data: Buffer } | { unit: number; at: number; length: number };

/**
 * Concatenates fragmented MP4 segments (as the recorder writes them) into one fragmented MP4 without ffmpeg:
 * box headers are parsed, media data is copied byte for byte, only `mfhd` sequence numbers and `tfdt` decode
 * times are rewritten, and the last fragment is trimmed to `to`. The first fragment kept starts at the keyframe
 * at or before `from`. The SHA-256 is computed over exactly the bytes written, in the same pass (large reads
 * ahead of the hasher, large writes behind it, so reading, hashing and writing overlap). Fragments without all
 * of their media are left out and the time they covered is reported in `holes`. Throws
 * {@link NotFragmentedError} when an input does not fit (then use ffmpeg).
 */
export async function concatFragmentedMp4(
  inputs: readonly FragmentedInput[],
  range: { from: number; to: number },
  outPath: string,
  onProgress?: (ratio: number, bytes: number) => void,
  signal?: AbortSignal,
  io: ConcatIoOptions = {},
): Promise<FragmentedConcatResult> {
  const readSpan = io.readSpan ?? READ_SPAN;
  const writeBatch = io.writeBatch ?? WRITE_BATCH;
  // index the inputs a few at a time (small reads; their latency overlaps), then select in order
  const indexed: IndexedInput[] = new Array(inputs.length);
  let nextInput = 0;
  const indexer = async (): Promise<void> => {
    while (nextInput < inputs.length) {
      if (signal?.aborted) throw new Error('aborted');
      const i = nextInput++;
      indexed[i] = await indexInput(inputs[i]!.path);
    }
  };
  await Promise.all(Array.from({ length: Math.min(INDEX_CONCURRENCY, inputs.length) }, indexer));
  const head = indexed[0]?.head;
  const track = head ? parseMoov(head.subarray(indexed[0]!.ftypSize)) : undefined;
  const selected: Fragment[] = [];
  // segments that overlap (a recovered one placed by its file time, say) must not show the same moments twice:
  // a fragment mostly inside what is already kept is left out
  let keptEnd = Number.NEGATIVE_INFINITY;
  inputs.forEach((input, i) => {
    const { head: fileHead, fragments, originDecodeTime: origin } = indexed[i]!;
    if (!head!.equals(fileHead)) throw new NotFragmentedError('segments differ in codec setup');
    for (const parsed of fragments) {
      const durationTicks = parsed.samples.reduce((s, x) => s + x.duration, 0);
      const startMs = input.start + ((parsed.decodeTime - origin!) * 1000) / track!.timescale;
      const durationMs = (durationTicks * 1000) / track!.timescale;
      if (startMs >= range.to || startMs + durationMs <= range.from) continue;
      if (startMs < keptEnd - durationMs / 2) continue;
      selected.push({ ...parsed, input: i, startMs, durationMs });
      keptEnd = Math.max(keptEnd, startMs + durationMs);
    }
  });
  if (!head || !track || selected.length === 0) throw new NotFragmentedError('no fragments in range');
  const timescale = track.timescale;
  // the first fragment kept is the one holding `from` (it starts with a keyframe)
  const firstAt = selected.findLastIndex((f) => f.startMs <= range.from);
  const fragments = selected.slice(Math.max(0, firstAt));

  // plan the output: rewritten boxes in memory, media data as slices of large reads
  const units: ReadUnit[] = [];
  const pieces: Piece[] = [{ data: head }];
  let decode = 0;
  let durationTicks = 0;
  let lastEndMs = fragments[0]!.startMs;
  let totalBytes = head.length;
  const holes = findHoles(fragments, inputs, range, timescale);
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
      t += (f.samples[i]!.duration * 1000) / timescale;
    }
    const moof = keep === f.samples.length ? Buffer.from(f.moof) : trimmedMoof(f, keep);
    // the source's mdat header may have been a 16-byte (64-bit size) one; the output's is always 8 bytes
    if (keep === f.samples.length) moof.writeInt32BE(moof.length + 8, f.dataOffsetAt);
    const seqAt = keep === f.samples.length ? f.seqAt : 20;
    moof.writeUInt32BE(n + 1, seqAt);
    const tfdtAt = keep === f.samples.length ? f.tfdtAt : moof.indexOf('tfdt', 0, 'latin1') + 8;
    if (f.tfdtVersion === 1) moof.writeBigUInt64BE(BigInt(decode), tfdtAt);
    else if (decode > 0xffffffff) throw new NotFragmentedError('decode time overflows a version 0 tfdt');
    else moof.writeUInt32BE(decode, tfdtAt);
    const payload = f.samples.slice(0, keep).reduce((s, x) => s + x.size, 0);
    const mdatHead = Buffer.alloc(8);
    mdatHead.writeUInt32BE(payload + 8, 0);
    mdatHead.write('mdat', 4, 'latin1');
    pieces.push({ data: Buffer.concat([moof, mdatHead]) });
    totalBytes += moof.length + 8 + payload;
    // media data: extend the current read when it is the same file, further on, and the span stays small
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
    durationTicks += ticks;
    lastEndMs = f.startMs + (ticks * 1000) / timescale;
  }

  // reader: units read in order, a few ahead; one open handle per file, closed after its last unit
  const lastUnitOf = new Map<string, number>();
  units.forEach((u, i) => lastUnitOf.set(u.path, i));
  const handles = new Map<string, Promise<FileHandle>>();
  const reads = new Map<number, Promise<Buffer>>();
  // read buffers are reused once their bytes are written and hashed (fresh memory would page-fault on every byte)
  const pool: Buffer[] = [];
  const releaseAfter = new Map<number, number>(); // unit -> index of the last piece using it
  pieces.forEach((p, i) => {
    if (!('data' in p)) releaseAfter.set(p.unit, i);
  });
  const unitBuffers = new Map<number, Buffer>();
  const readUnit = async (i: number): Promise<Buffer> => {
    const unit = units[i]!;
    let opening = handles.get(unit.path);
    if (!opening) {
      opening = open(unit.path, 'r');
      handles.set(unit.path, opening);
    }
    const handle = await opening;
    const backing = pool.pop() ?? Buffer.allocUnsafeSlow(readSpan);
    unitBuffers.set(i, backing);
    const buf = backing.subarray(0, unit.length);
    for (let done = 0; done < unit.length; ) {
      const { bytesRead } = await handle.read(buf, done, unit.length - done, unit.offset + done);
      if (bytesRead <= 0) throw new NotFragmentedError('segment shorter than its index');
      done += bytesRead;
    }
    return buf;
  };
  let nextRead = 0;
  const startReads = (upTo: number): void => {
    for (; nextRead < units.length && nextRead <= upTo; nextRead++) {
      const read = readUnit(nextRead);
      read.catch(() => undefined); // awaited (and thrown) in order below
      reads.set(nextRead, read);
    }
  };

  const hash = createHash('sha256');
  const out = await open(outPath, 'w');
  let position = 0;
  const writes: Array<Promise<void>> = [];
  let lastWrite: Promise<unknown> = Promise.resolve();
  const writeAll = async (buffers: Buffer[], at: number): Promise<void> => {
    let { bytesWritten } = await out.writev(buffers, at);
    const total = buffers.reduce((s, b) => s + b.length, 0);
    if (bytesWritten === total) return;
    // short write: finish it piece by piece
    const rest = Buffer.concat(buffers).subarray(bytesWritten);
    for (let done = 0; done < rest.length; ) {
      const r = await out.write(rest, done, rest.length - done, at + bytesWritten + done);
      done += r.bytesWritten;
    }
  };
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let batchUnits: number[] = [];
  const flush = async (): Promise<void> => {
    if (batchBytes === 0) return;
    const buffers = batch;
    const done = batchUnits;
    const at = position;
    position += batchBytes;
    batch = [];
    batchBytes = 0;
    batchUnits = [];
    // the write runs on libuv's pool while the same bytes are hashed here. A read buffer can feed two batches
    // whose writes run at once: it is reused only when this write and every earlier one are done, never while
    // an earlier write may still copy from it
    const earlier = lastWrite;
    const writing = Promise.all([writeAll(buffers, at), earlier]).then(() => {
      for (const unit of done) {
        const backing = unitBuffers.get(unit);
        unitBuffers.delete(unit);
        if (backing) pool.push(backing);
      }
    });
    writing.catch(() => undefined); // awaited below
    writes.push(writing);
    lastWrite = writing;
    for (const b of buffers) hash.update(b);
    while (writes.length > WRITES_IN_FLIGHT) await writes.shift();
    onProgress?.(Math.min(0.99, position / Math.max(1, totalBytes)), position);
  };
  const closeDone = async (): Promise<void> => {
    for (const [path, opening] of handles) {
      handles.delete(path);
      await (await opening.catch(() => undefined))?.close();
    }
  };
  try {
    let current = -1;
    let currentBuf: Buffer | undefined;
    for (let p = 0; p < pieces.length; p++) {
      const piece = pieces[p]!;
      if (signal?.aborted) throw new Error('aborted');
      let chunk: Buffer;
      if ('data' in piece) chunk = piece.data;
      else {
        if (piece.unit !== current) {
          startReads(piece.unit + READ_AHEAD);
          currentBuf = await reads.get(piece.unit)!;
          reads.delete(piece.unit);
          current = piece.unit;
          const path = units[current]!.path;
          if (lastUnitOf.get(path) === current) {
            const opening = handles.get(path);
            handles.delete(path);
            void opening?.then((h) => h.close()).catch(() => undefined);
          }
        }
        chunk = currentBuf!.subarray(piece.at, piece.at + piece.length);
        if (releaseAfter.get(piece.unit) === p) batchUnits.push(piece.unit);
      }
      batch.push(chunk);
      batchBytes += chunk.length;
      if (batchBytes >= writeBatch) await flush();
    }
    await flush();
    while (writes.length > 0) await writes.shift();
  } finally {
    await Promise.allSettled(writes);
    await Promise.allSettled(reads.values());
    await closeDone();
    await out.close();
  }
  if (position !== totalBytes) throw new Error(`clip writer wrote ${position} bytes, planned ${totalBytes}`);
  return {
    bytes: position,
    sha256: hash.digest('hex'),
    actualFrom: Math.round(fragments[0]!.startMs),
    actualTo: Math.round(lastEndMs),
    durationMs: Math.round((durationTicks * 1000) / timescale),
    holes,
  };
}
