import { readdir } from 'node:fs/promises';
import type { RecorderContext, Segment } from '@wardwatch/core';
import { findUnindexed, recoverIncoming, type RecoveryTools } from './recover-segments.js';
import { sweepFallbackPipes } from './report-pipe.js';

/** Hands segments that belong to no `record()` stream to the station, which indexes them (one at a time, in order). */
export async function handOverSegments(context: RecorderContext, segments: readonly Segment[], recovered: boolean): Promise<void> {
  for (const segment of segments) await context.notify({ type: 'segment', segment, recovered });
}

/**
 * Start-up recovery of every camera directory: segments a crash left in `.incoming` are repaired and handed over,
 * files in the dated tree missing from the index (within `recoveryWindowMs` before the latest indexed segment)
 * are handed over, and report pipes a crash left in the temp directory are removed.
 */
export async function recoverAtStart(context: RecorderContext, tools: RecoveryTools, recoveryWindowMs: number): Promise<void> {
  const entries = await readdir(tools.root, { withFileTypes: true }).catch((error: unknown) => {
    context.logger.warn({ err: error, root: tools.root }, 'the recordings root could not be listed; nothing recovered');
    return [];
  });
  const cameraDirs = entries
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name);
  for (const cameraId of cameraDirs) {
    const orphans = await recoverIncoming(tools, cameraId);
    await handOverSegments(context, orphans, true);
    const latest = await context.segments.latest(cameraId);
    const since = latest ? latest.start - recoveryWindowMs : 0;
    const unindexed = await findUnindexed(tools, cameraId, since, async (start) => {
      const hits = await context.segments.query(cameraId, { from: start, to: start + 1 });
      return hits.some((s) => s.start === start);
    });
    await handOverSegments(context, unindexed, true);
    if (orphans.length + unindexed.length > 0) {
      context.logger.info({ cameraId, repaired: orphans.length, indexed: unindexed.length }, 'recovery indexed segments found on disk');
    }
  }
  const swept = await sweepFallbackPipes();
  if (swept.length > 0) context.logger.info({ removed: swept }, 'recovery removed report pipes left in the temp directory by a crash');
}
