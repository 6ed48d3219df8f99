/** One closed segment as listed by ffmpeg's segment muxer (`-segment_list_type csv`). */
export interface SegmentListEntry {
  /** File name (basename) of the segment. */
  file: string;
  /** Media start, seconds on the output timeline. */
  start: number;
  /** Media end, seconds on the output timeline. */
  end: number;
}

/** Parses one CSV line of ffmpeg's segment list (`name,start,end`; the name may be quoted). */
export function parseSegmentListLine(line: string): SegmentListEntry | undefined {
  const trimmed = line.trim();
  if (!trimmed) return undefined;
  const lastComma = trimmed.lastIndexOf(',');
  const secondComma = trimmed.lastIndexOf(',', lastComma - 1);
  if (lastComma < 0 || secondComma < 0) return undefined;
  let file = trimmed.slice(0, secondComma);
  if (file.startsWith('"') && file.endsWith('"')) file = file.slice(1, -1).replace(/""/g, '"');
  const start = Number.parseFloat(trimmed.slice(secondComma + 1, lastComma));
  const end = Number.parseFloat(trimmed.slice(lastComma + 1));
  if (!file || !Number.isFinite(start) || !Number.isFinite(end)) return undefined;
  return { file, start, end };
}
