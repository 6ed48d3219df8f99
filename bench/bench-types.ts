/** One figure a benchmark reports. */
export interface BenchFigure {
  /** What was measured, e.g. `storage-level: segment ingest`. */
  name: string;
  value: number;
  unit: string;
  /** The baseline measured in the same run, in the same unit, when there is one. */
  baseline?: number;
  /** What the baseline is, e.g. `raw Subject`. */
  baselineName?: string;
  /** The target from the issue, as text, e.g. `>= 100000 events/s`. */
  target?: string;
  /** Whether the target is met, when it can be judged. */
  met?: boolean;
}

/** A benchmark module: `bench/<name>.bench.ts` default-exports one of these. */
export type Bench = () => Promise<BenchFigure[]>;
