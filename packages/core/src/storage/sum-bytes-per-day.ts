/** The UTC calendar day (`YYYY-MM-DD`) of an epoch-millisecond time. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Sums `bytes` per UTC day of each segment's start; days ascending, days without bytes recorded omitted. */
export function sumBytesPerDay(segments: Iterable<{ start: number; bytes: number }>): Array<{ day: string; bytes: number }> {
  const perDay = new Map<string, number>();
  for (const segment of segments) {
    const day = utcDay(segment.start);
    perDay.set(day, (perDay.get(day) ?? 0) + segment.bytes);
  }
  return [...perDay.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([day, bytes]) => ({ day, bytes }));
}
