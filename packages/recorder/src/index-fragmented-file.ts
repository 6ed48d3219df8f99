import { open, type FileHandle } from 'node:fs/promises';
import { isNotJoinable, notJoinable, requireBox, type Mp4Box } from './mp4-boxes.js';
import { parseMoof, type ParsedMoof } from './parse-moof.js';
import { parseMoov } from './parse-moov.js';

/** A complete fragment of a file: its parsed `moof` and where its media data starts. */
export interface FileFragment extends ParsedMoof {
  path: string;
  mdatPayloadOffset: number;
}

/** The box layout of one fragmented MP4. */
export interface IndexedFile {
  /** Its `ftyp` + `moov` bytes. */
  head: Buffer;
  ftypSize: number;
  /** Decode time of the file's media time 0 (its start in the index). */
  originDecodeTime: number | undefined;
  fragments: FileFragment[];
}

/** Bytes read at once while walking the boxes of an input: a `moof` and the next `mdat` header fit in one read. */
const INDEX_WINDOW = 16 * 1024;

/** Reads byte ranges of a file through one reused window: most boxes are read with the read that found their header. */
function windowedReader(handle: FileHandle, fileSize: number): (at: number, length: number) => Promise<Buffer> {
  let windowAt = 0;
  let window = Buffer.alloc(0);
  return async (at, length) => {
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
      if (got < length) throw notJoinable('file shorter than its boxes');
    }
    return window.subarray(at - windowAt, at - windowAt + length);
  };
}

/** The top-level boxes of a file, with copies of its `ftyp`, `moov` and every `moof` (media data is not read). */
async function readTopBoxes(handle: FileHandle): Promise<{ boxes: Mp4Box[]; ftyp?: Buffer; moov?: Buffer; moofs: Map<number, Buffer> }> {
  const { size: fileSize } = await handle.stat();
  const bytesAt = windowedReader(handle, fileSize);
  const boxes: Mp4Box[] = [];
  let ftyp: Buffer | undefined;
  let moov: Buffer | undefined;
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
    boxes.push({ type, offset: at, size, header });
    // small boxes are copied out of the window (which is reused)
    if (type === 'ftyp') ftyp ??= Buffer.from(await bytesAt(at, size));
    else if (type === 'moov') moov ??= Buffer.from(await bytesAt(at, size));
    else if (type === 'moof') moofs.set(at, Buffer.from(await bytesAt(at, size)));
    at += size;
  }
  return { boxes, ...(ftyp ? { ftyp } : {}), ...(moov ? { moov } : {}), moofs };
}

/**
 * Reads the box layout of one fragmented MP4: its `ftyp`+`moov` bytes and every complete fragment. A fragment
 * without all of its media (cut short by a crash) or with a damaged `moof` is left out (its time becomes a hole);
 * a file none of whose `moof`s parse is not one of ours (coded `notJoinable`).
 */
export async function indexFragmentedFile(path: string): Promise<IndexedFile> {
  const handle = await open(path, 'r');
  try {
    const { boxes, ftyp, moov, moofs } = await readTopBoxes(handle);
    const head = Buffer.concat([requireBox(ftyp, 'ftyp'), requireBox(moov, 'moov')]);
    const track = parseMoov(head.subarray(ftyp!.length));
    const fragments: FileFragment[] = [];
    let firstDecodeTime: number | undefined;
    let totalTicks = 0;
    let firstError: unknown;
    for (let i = 0; i < boxes.length; i++) {
      if (boxes[i]!.type !== 'moof') continue;
      const mdat = boxes[i + 1]?.type === 'mdat' ? boxes[i + 1] : undefined;
      let parsed: ParsedMoof;
      try {
        parsed = parseMoof(moofs.get(boxes[i]!.offset)!, track, mdat?.header ?? 8);
      } catch (error) {
        // a damaged moof is a lost fragment; kept to tell a file of ours from a foreign one below
        firstError ??= error;
        continue;
      }
      firstDecodeTime ??= parsed.decodeTime;
      totalTicks += parsed.samples.reduce((sum, x) => sum + x.duration, 0);
      if (!mdat) continue;
      if (parsed.samples.reduce((sum, x) => sum + x.size, 0) > mdat.size - mdat.header) continue;
      fragments.push({ ...parsed, path, mdatPayloadOffset: mdat.offset + mdat.header });
    }
    if (firstDecodeTime === undefined && firstError !== undefined) throw isNotJoinable(firstError) ? firstError : notJoinable('unreadable moof');
    // ffmpeg starts every file's decode times at 0 (the segment muxer resets them): a first readable fragment that
    // starts later, within the file's own length, means the fragments before it were lost, not that the file starts
    // there. A decode time beyond the file's length is a timeline carried on from other files: it is the origin.
    const originDecodeTime = firstDecodeTime !== undefined && firstDecodeTime <= totalTicks ? 0 : firstDecodeTime;
    return { head, ftypSize: ftyp!.length, originDecodeTime, fragments };
  } finally {
    await handle.close();
  }
}
