import { readdir } from 'node:fs/promises';

/** A file of a run in `.incoming`: `<runId>.json`, `<runId>-<n>.mp4`, `<runId>.pipe` and their companions. */
const RUN_FILE = /^(\d+)[-.]/;

/**
 * The id of a camera's next run: its clock time in ms, but always above the id of the camera's previous run and of
 * every run that still has files in `.incoming` (which must exist), so that a wall clock stepped back (NTP) never reuses an earlier
 * run's journal or segment names, and recovery's numeric order of runs stays their start order.
 */
export async function nextRunId(incoming: string, previous: number | undefined, now: number): Promise<number> {
  let floor = previous ?? -1;
  for (const name of await readdir(incoming)) {
    const match = RUN_FILE.exec(name);
    if (match) floor = Math.max(floor, Number(match[1]));
  }
  return Math.max(Math.floor(now), floor + 1);
}
