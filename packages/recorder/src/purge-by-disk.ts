import type { RecorderContext, Segment } from '@wardwatch/core';
import { purgeSegments } from './purge-segments.js';
import { reportPurge } from './report-purge.js';
import type { ResolvedRetention } from './retention.js';

/**
 * Retention by disk watermark: above `warnRatio` a `storage.low` `warn` (at most every 10 minutes, tracked in
 * `warnings`); above `purgeRatio` a `purge` event, then the oldest unheld segments across cameras go down to
 * `targetRatio`; an `alarm` when only held (or no) segments remain.
 */
export async function purgeByDisk(context: RecorderContext, config: ResolvedRetention, warnings: { lastWarnAt: number }, cancelled: () => boolean): Promise<void> {
  const { root, warnRatio, purgeRatio, targetRatio, batchSize } = config;
  const usage = await config.diskUsage(root);
  if (usage.totalBytes <= 0) return;
  let used = 1 - usage.freeBytes / usage.totalBytes;
  const event = (action: 'warn' | 'purge' | 'alarm', message: string): Promise<void> =>
    context.notify({ type: 'storage.low', at: context.clock.now(), path: root, usedRatio: used, freeBytes: usage.freeBytes, action, message });
  if (used < warnRatio) return;
  if (used < purgeRatio) {
    if (context.clock.now() - warnings.lastWarnAt >= 10 * 60_000) {
      warnings.lastWarnAt = context.clock.now();
      await event('warn', `recording disk ${(used * 100).toFixed(1)} % full; purging starts at ${(purgeRatio * 100).toFixed(0)} %`);
    }
    return;
  }
  await event('purge', `recording disk ${(used * 100).toFixed(1)} % full; deleting the oldest unheld segments down to ${(targetRatio * 100).toFixed(0)} %`);
  let toFree = (used - targetRatio) * usage.totalBytes;
  let removed = 0;
  const skipped = new Set<string>();
  for (let step = 0; step < 1000 && toFree > 0 && !cancelled(); step++) {
    const batch = (await context.segments.oldestUnheld({ limit: batchSize })).filter((s) => !skipped.has(`${s.cameraId}/${s.start}`));
    if (batch.length === 0) break;
    let freed = 0;
    const chosen: Segment[] = [];
    for (const s of batch) {
      if (freed >= toFree) break;
      chosen.push(s);
      freed += s.bytes;
    }
    const gone = await purgeSegments(root, context, chosen, cancelled);
    if (gone.length > 0) await reportPurge(context, gone, 'disk-watermark');
    for (const s of chosen) if (!gone.includes(s)) skipped.add(`${s.cameraId}/${s.start}`);
    removed += gone.length;
    const bytes = gone.reduce((sum, s) => sum + s.bytes, 0);
    toFree -= bytes;
    used -= bytes / usage.totalBytes;
  }
  if (toFree > 0 && !cancelled()) {
    const notDeleted = skipped.size > 0 ? `, ${skipped.size} could not be deleted` : '';
    const left = removed === 0 && skipped.size === 0 ? 'no closed, unheld segment is left to delete (segments still being written are not indexed yet)' : 'only held segments remain, nothing more can be deleted';
    await event('alarm', `recording disk ${(used * 100).toFixed(1)} % full after deleting ${removed} segments${notDeleted}; ${left}`);
  }
}
