/** One H.264 access unit (a frame): its NAL units without start codes. */
export interface AccessUnit {
  /** NAL units in decoding order, without Annex-B start codes (AUD removed). */
  nals: Buffer[];
  /** Whether the access unit holds an IDR slice. */
  keyframe: boolean;
}

/**
 * Incremental Annex-B parser: feed it stdout chunks of `ffmpeg -f h264` (encoded with `aud=1`) and it
 * calls back one {@link AccessUnit} per frame, split on access unit delimiters.
 */
export class AnnexBSplitter {
  private pending: Buffer = Buffer.alloc(0);
  private current: Buffer[] = [];
  private readonly maxPending: number;

  constructor(private readonly onAccessUnit: (au: AccessUnit) => void, maxPendingBytes = 16 * 1024 * 1024) {
    this.maxPending = maxPendingBytes;
  }

  /** Feeds bytes; complete NAL units are parsed, the tail is kept for the next chunk. */
  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let start = findStartCode(this.pending, 0);
    if (start < 0) {
      if (this.pending.length > this.maxPending) this.pending = Buffer.alloc(0);
      return;
    }
    for (;;) {
      const headerLength = this.pending[start + 2] === 1 ? 3 : 4;
      const next = findStartCode(this.pending, start + headerLength);
      if (next < 0) break;
      this.onNal(this.pending.subarray(start + headerLength, next));
      start = next;
    }
    this.pending = Buffer.from(this.pending.subarray(start));
  }

  /** Emits what is buffered (at end of stream). */
  flush(): void {
    const start = findStartCode(this.pending, 0);
    if (start >= 0) {
      const headerLength = this.pending[start + 2] === 1 ? 3 : 4;
      this.onNal(this.pending.subarray(start + headerLength));
    }
    this.pending = Buffer.alloc(0);
    this.emitCurrent();
  }

  private onNal(nal: Buffer): void {
    // Trailing zero bytes belong to the next start code (4-byte form) — strip them.
    let end = nal.length;
    while (end > 0 && nal[end - 1] === 0) end--;
    if (end === 0) return;
    const unit = Buffer.from(nal.subarray(0, end));
    const type = unit[0]! & 0x1f;
    if (type === 9) {
      this.emitCurrent();
      return;
    }
    this.current.push(unit);
  }

  private emitCurrent(): void {
    if (this.current.length === 0) return;
    const nals = this.current;
    this.current = [];
    this.onAccessUnit({ nals, keyframe: nals.some((n) => (n[0]! & 0x1f) === 5) });
  }
}

function findStartCode(buf: Buffer, from: number): number {
  let i = buf.indexOf(0, from);
  while (i >= 0 && i + 2 < buf.length) {
    if (buf[i + 1] === 0) {
      if (buf[i + 2] === 1) return i > 0 && buf[i - 1] === 0 && i - 1 >= from ? i - 1 : i;
      if (buf[i + 2] === 0 && i + 3 < buf.length && buf[i + 3] === 1) return i;
    }
    i = buf.indexOf(0, i + 1);
  }
  return -1;
}
