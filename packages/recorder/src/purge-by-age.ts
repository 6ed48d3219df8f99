import type { RecorderContext } from '@wardwatch/core';
import { purgeSegments } from './purge-segments.js';
import { reportPurge } from './report-purge.js';
import type { ResolvedRetention } from './retention.js';

/** Retention by age: each camera's segments older than its retention days (`retentionDays` → `days`) go, oldest first. */
export async function purgeByAge(context: RecorderContext, config: ResolvedRetention, cancelled: () => boolean): Promise<void> {
  for (const cameraId of await context.segments.cameraIds()) {
    if (cancelled()) return;
    // one camera's failure does not keep the others (or the disk watermark) from being enforced
    try {
      const days = (await config.retentionDays(cameraId)) ?? config.days;
      const before = context.clock.now() - days * 86_400_000;
      for (let step = 0; step < 1000 && !cancelled(); step++) {
        const batch = (await context.segments.oldestUnheld({ limit: config.batchSize, cameraId, before })).filter((s) => s.end <= before);
        if (batch.length === 0) break;
        const gone = await purgeSegments(config.root, context, batch, cancelled);
        if (gone.length > 0) await reportPurge(context, gone, 'retention-days');
        if (gone.length === 0) break;
      }
    } catch (error) {
      context.logger.error({ err: error, cameraId }, 'retention by age failed for this camera');
    }
  }
}
