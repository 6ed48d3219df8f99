/**
 * Least time without media (ms) reported as a hole, whatever the frame rate. Fragments of one segment file follow
 * each other to the millisecond; a fragment lost to a crash or damage is a whole GOP.
 */
const HOLE_TOLERANCE_MS = 500;
/** Least length (ms) of one frame that counts as a stall (the recorder's own stall threshold). */
const STALL_MS = 2000;

/** A fragment kept for a clip, as hole finding sees it. */
export interface TimedFragment {
  /** Index of its segment file in `inputs`. */
  input: number;
  /** UTC ms of its first sample. */
  startMs: number;
  /** Its samples' durations, in track timescale ticks. */
  samples: ReadonlyArray<{ duration: number }>;
}

/** A stretch of time, UTC ms. */
type Range = { from: number; to: number };

/** Sorts time ranges and joins the ones that overlap or touch (a copy; the input is left as it is). */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  const merged: Range[] = [];
  for (const range of [...ranges].sort((a, b) => a.from - b.from)) {
    const last = merged[merged.length - 1];
    if (last && range.from <= last.to) last.to = Math.max(last.to, range.to);
    else merged.push({ from: range.from, to: range.to });
  }
  return merged;
}

/**
 * The stretches of `range` (UTC ms) that the segment files of a clip should hold media for but do not: what their
 * indexed spans (`start` to `end`, or to the last fragment kept when `end` is unknown) cover, minus what the kept
 * fragments' frames cover. That finds fragments lost to a crash or damage at the start, in the middle or at the end
 * of a file, whole files without a readable fragment, and stalls (one frame lasting `STALL_MS` or more covers only
 * an ordinary frame's time). Time between files is the index's gap, not looked at here. A frame without a duration
 * (the last of a file, often, in RTSP copies) covers as long as the longest frame of its fragment, so a slow or
 * variable frame rate leaves no false hole; a hole must also be longer than two frames and `HOLE_TOLERANCE_MS`.
 */
export function findHoles(
  fragments: readonly TimedFragment[],
  inputs: ReadonlyArray<{ start: number; end?: number }>,
  range: { from: number; to: number },
  timescale: number,
): Range[] {
  const ms = (ticks: number): number => (ticks * 1000) / timescale;
  const frames = fragments.flatMap((f) => f.samples.map((s) => ms(s.duration))).filter((d) => d > 0).sort((a, b) => a - b);
  const frameMs = frames[Math.floor(frames.length / 2)] ?? 0;
  const tolerance = Math.max(HOLE_TOLERANCE_MS, 2 * frameMs);
  const stall = Math.max(STALL_MS, tolerance);

  const covered: Range[] = [];
  const lastEnd = new Map<number, number>();
  for (const f of fragments) {
    const longest = Math.max(0, ...f.samples.map((s) => ms(s.duration)).filter((d) => d < stall));
    let t = f.startMs;
    for (const sample of f.samples) {
      const duration = ms(sample.duration);
      const span = duration <= 0 ? longest : duration >= stall ? frameMs : duration;
      covered.push({ from: t, to: t + span });
      t += duration;
    }
    lastEnd.set(f.input, Math.max(lastEnd.get(f.input) ?? Number.NEGATIVE_INFINITY, t));
  }
  const wanted = mergeRanges(
    inputs
      .map((input, i): Range => ({ from: Math.max(input.start, range.from), to: Math.min(input.end ?? lastEnd.get(i) ?? input.start, range.to) }))
      .filter((r) => r.to > r.from),
  );
  const have = mergeRanges(covered);

  const holes: Range[] = [];
  let h = 0;
  for (const { from: wantFrom, to: wantTo } of wanted) {
    let at = wantFrom;
    while (h < have.length && have[h]!.to <= at) h++;
    for (let k = h; k < have.length && have[k]!.from < wantTo; k++) {
      const { from, to } = have[k]!;
      if (from - at > tolerance) holes.push({ from: Math.round(at), to: Math.round(from) });
      at = Math.max(at, to);
    }
    if (wantTo - at > tolerance) holes.push({ from: Math.round(at), to: Math.round(wantTo) });
  }
  return holes;
}
