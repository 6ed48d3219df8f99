import type { FileFragment, IndexedFile } from './index-fragmented-file.js';
import { notJoinable } from './mp4-boxes.js';
import { parseMoov } from './parse-moov.js';

/** A fragment chosen for a clip, placed on the UTC timeline. */
export interface ClipFragment extends FileFragment {
  /** Index of the input it comes from. */
  input: number;
  startMs: number;
  durationMs: number;
}

/** The fragments of a clip and what they share. */
export interface ClipSelection {
  /** `ftyp` + `moov` of every input (they must be equal). */
  head: Buffer;
  timescale: number;
  fragments: ClipFragment[];
}

/**
 * Chooses the fragments of indexed inputs (each with its UTC `start`) that a clip of `range` needs: the ones
 * overlapping the range, starting with the one holding `from` (it starts with a keyframe). Segments that overlap (a
 * recovered one placed by its file time, say) never show the same moments twice: a fragment mostly inside what is
 * already kept is left out. Inputs with different codec setups, or no fragment in range, are coded `notJoinable`.
 */
export function selectClipFragments(indexed: readonly IndexedFile[], inputs: ReadonlyArray<{ start: number }>, range: { from: number; to: number }): ClipSelection {
  const head = indexed[0]?.head;
  if (!head) throw notJoinable('no fragments in range');
  const { timescale } = parseMoov(head.subarray(indexed[0]!.ftypSize));
  const selected: ClipFragment[] = [];
  let keptEnd = Number.NEGATIVE_INFINITY;
  inputs.forEach((input, i) => {
    const { head: fileHead, fragments, originDecodeTime: origin } = indexed[i]!;
    if (!head.equals(fileHead)) throw notJoinable('segments differ in codec setup');
    for (const parsed of fragments) {
      const durationTicks = parsed.samples.reduce((s, x) => s + x.duration, 0);
      const startMs = input.start + ((parsed.decodeTime - origin!) * 1000) / timescale;
      const durationMs = (durationTicks * 1000) / timescale;
      if (startMs >= range.to || startMs + durationMs <= range.from) continue;
      if (startMs < keptEnd - durationMs / 2) continue;
      selected.push({ ...parsed, input: i, startMs, durationMs });
      keptEnd = Math.max(keptEnd, startMs + durationMs);
    }
  });
  if (selected.length === 0) throw notJoinable('no fragments in range');
  const firstAt = selected.findLastIndex((f) => f.startMs <= range.from);
  return { head, timescale, fragments: selected.slice(Math.max(0, firstAt)) };
}
