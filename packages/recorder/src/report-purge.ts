import type { RecorderContext, Segment } from '@wardwatch/core';

/** Why segments were purged. */
export type PurgeReason = 'retention-days' | 'disk-watermark';

/** Logs and announces one purge step's deletions (at once, so a pass that fails later loses no record). */
export async function reportPurge(context: RecorderContext, removed: readonly Segment[], reason: PurgeReason): Promise<void> {
  const byCamera = new Map<string, Segment[]>();
  for (const s of removed) {
    const list = byCamera.get(s.cameraId);
    if (list) list.push(s);
    else byCamera.set(s.cameraId, [s]);
  }
  for (const [cameraId, list] of byCamera) {
    let bytes = 0;
    let from = Number.POSITIVE_INFINITY;
    let to = Number.NEGATIVE_INFINITY;
    for (const s of list) {
      bytes += s.bytes;
      from = Math.min(from, s.start);
      to = Math.max(to, s.end);
    }
    context.logger.info({ cameraId, reason, segments: list.length, bytes, paths: list.map((s) => s.path) }, 'purged segments');
    await context.notify({ type: 'storage.purged', at: context.clock.now(), cameraId, segments: list.length, bytes, from, to, reason });
  }
}
