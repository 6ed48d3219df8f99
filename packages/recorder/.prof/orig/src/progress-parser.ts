/** One `-progress` block of ffmpeg (key=value lines ending with `progress=continue|end`). */
export interface FfmpegProgress {
  frame: number;
  fps?: number;
  bitrateKbps?: number;
  /** Output media time, µs. */
  outTimeUs?: number;
  totalSize?: number;
  /** `true` on the last block (`progress=end`). */
  end: boolean;
}

/** Parses ffmpeg `-progress` output line by line; calls `onBlock` for every complete block. */
export function createProgressParser(onBlock: (progress: FfmpegProgress) => void): (line: string) => void {
  let values: Record<string, string> = {};
  return (line: string) => {
    const eq = line.indexOf('=');
    if (eq <= 0) return;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key !== 'progress') {
      values[key] = value;
      return;
    }
    const num = (v: string | undefined): number | undefined => {
      if (v === undefined) return undefined;
      const n = Number.parseFloat(v);
      return Number.isFinite(n) ? n : undefined;
    };
    // out_time_us (newer) and out_time_ms (both; despite its name it is µs)
    const outTimeUs = num(values.out_time_us) ?? num(values.out_time_ms);
    const block: FfmpegProgress = {
      frame: num(values.frame) ?? 0,
      end: value === 'end',
    };
    const fps = num(values.fps);
    if (fps !== undefined) block.fps = fps;
    const bitrate = num(values.bitrate?.replace(/kbits\/s$/, ''));
    if (bitrate !== undefined) block.bitrateKbps = bitrate;
    if (outTimeUs !== undefined && outTimeUs >= 0) block.outTimeUs = outTimeUs;
    const total = num(values.total_size);
    if (total !== undefined) block.totalSize = total;
    values = {};
    onBlock(block);
  };
}
