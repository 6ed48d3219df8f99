import { join } from 'node:path';
import { WardwatchError, type Segment } from '@wardwatch/core';
import type { RunJournal } from './recover-segments.js';
import type { SegmentFinisher } from './segment-finisher.js';
import type { SegmentListEntry } from './segment-list-parser.js';
import { resolveInside, segmentRelativePath } from './segment-path.js';

/** What {@link closeSegment} needs: where the camera's files are and who finishes them. */
export interface CloseSegmentDeps {
  cameraId: string;
  root: string;
  /** The camera's `.incoming` directory. */
  incoming: string;
  finisher: SegmentFinisher;
  now(): number;
  /** Told when a segment was placed but its run journal could not be written. */
  onJournalError(error: string): void;
}

/** Most milliseconds a segment's start is moved forward to find a free file name. */
const NAME_SEARCH_MS = 1000;

/**
 * Finishes one segment ffmpeg listed as closed: its times from the run's anchor (`journal.anchor`, else the best
 * estimate from the clock), moved into the dated tree under a free name (two files never share a name: on a clash
 * the next free millisecond is taken), the run journal written, hashed. Resolves with the segment, or `undefined`
 * when ffmpeg listed a file that is missing or empty. Failures are coded (`DISK_FULL`, `CANCELLED`, ... keep their
 * code; anything else is `STORAGE_IO`).
 */
export async function closeSegment(deps: CloseSegmentDeps, entry: SegmentListEntry, runId: string, journal: RunJournal, codec: string): Promise<Segment | undefined> {
  const anchor = journal.anchor ?? deps.now() - Math.round(entry.end * 1000);
  const mediaStart = Math.round(anchor + entry.start * 1000);
  const end = Math.max(mediaStart, Math.round(anchor + entry.end * 1000));
  try {
    const job = { src: join(deps.incoming, entry.file), journalPath: join(deps.incoming, `${runId}.json`), journalText: JSON.stringify({ ...journal, lastClosedEnd: end }) };
    for (let start = mediaStart; start < mediaStart + NAME_SEARCH_MS; start++) {
      const rel = segmentRelativePath(deps.cameraId, start);
      const result = await deps.finisher.finish({ ...job, dest: resolveInside(deps.root, rel) });
      if (result.type === 'taken') continue;
      if (result.type === 'empty') return undefined;
      if (result.journalError) deps.onJournalError(result.journalError);
      return { cameraId: deps.cameraId, start, end, path: rel, bytes: result.bytes, codec, sha256: result.sha256 };
    }
    throw new WardwatchError('STORAGE_IO', `no free segment name near ${mediaStart}`, { details: { cameraId: deps.cameraId } });
  } catch (error) {
    const code = error instanceof WardwatchError ? error.code : 'STORAGE_IO';
    throw new WardwatchError(code, `Could not finish segment ${entry.file}`, { cause: error, details: { cameraId: deps.cameraId } });
  }
}
