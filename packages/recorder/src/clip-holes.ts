/**
 * Least time without media (ms) reported as a hole, whatever the frame rate. Fragments of one segment file follow
 * each other to the millisecond; a fragment lost to a crash or damage is a whole GOP.
 */
const HOLE_TOLERANCE_MS = 500;
/** Least length (ms) of one frame that counts as a stall inside a fragment (the recorder's own stall threshold). */
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

/**
 * The stretches of `range` (UTC ms) that the kept fragments of a clip hold no media for, though their segment files
 * should: fragments missing at the start, in the middle or (when the file's indexed `end` is known) at the end of a
 * file, and stalls (one frame lasting `STALL_MS` or more). Time between two files is not looked at: that is the
 * index's gap. A hole must be longer than two frames and than `HOLE_TOLERANCE_MS`, so a file whose last frame has no
 * duration (common for RTSP copies) or a slow frame rate reports none.
 */
export function findHoles(
  fragments: readonly TimedFragment[],
  inputs: ReadonlyArray<{ start: number; end?: number }>,
  range: { from: number; to: number },
  timescale: number,
): Array<{ from: number; to: number }> {
  const ms = (ticks: number): number => (ticks * 1000) / timescale;
  const frames = fragments.flatMap((f) => f.samples.map((s) => ms(s.duration))).filter((d) => d > 0).sort((a, b) => a - b);
  const frameMs = frames[Math.floor(frames.length / 2)] ?? 0;
  const tolerance = Math.max(HOLE_TOLERANCE_MS, 2 * frameMs);
  const stall = Math.max(STALL_MS, tolerance);
  const holes: Array<{ from: number; to: number }> = [];
  const add = (from: number, to: number): void => {
    const a = Math.round(Math.max(from, range.from));
    const b = Math.round(Math.min(to, range.to));
    if (b > a) holes.push({ from: a, to: b });
  };
  let previousEnd = range.from;
  fragments.forEach((f, n) => {
    const previous = fragments[n - 1];
    const next = fragments[n + 1];
    if (previous?.input !== f.input) {
      // the first fragment kept of its file: it should start where the file (or the clip) does
      const from = Math.max(inputs[f.input]!.start, previous ? previousEnd : range.from);
      if (f.startMs - from > tolerance) add(from, f.startMs);
    } else if (f.startMs - previousEnd > tolerance) {
      add(previousEnd, f.startMs);
    }
    let t = f.startMs;
    for (const sample of f.samples) {
      if (t >= range.to) break;
      const duration = ms(sample.duration);
      if (duration >= stall) add(t + frameMs, t + duration);
      t += duration;
    }
    const end = inputs[f.input]!.end;
    if (next?.input !== f.input && end !== undefined) {
      // the last fragment kept of its file: it should end where the file does
      const to = Math.min(end, next ? next.startMs : Number.POSITIVE_INFINITY);
      if (to - t > tolerance) add(t, to);
    }
    previousEnd = t;
  });
  return holes;
}
