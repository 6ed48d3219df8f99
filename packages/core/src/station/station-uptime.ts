import type { EventRepository } from '../contracts/storage-adapter.js';
import { computeUptime, type UptimeSummary } from '../health/compute-uptime.js';
import type { CameraStatus } from '../model/camera-status.js';
import type { TimeRange } from '../model/segment.js';

/** Uptime of a camera over a range from its persisted `camera.status` events (the state at `from` comes from the last transition before it). */
export async function stationUptime(events: EventRepository, cameraId: string, range: TimeRange): Promise<UptimeSummary> {
  const transitions: CameraStatus[] = [];
  const before = await events.query({ cameraId, types: ['camera.status'], to: range.from, limit: 1, reverse: true });
  for (const e of before.items) if (e.type === 'camera.status') transitions.push(e.status);
  let after: string | undefined;
  for (;;) {
    const page = await events.query({ cameraId, types: ['camera.status'], from: range.from, to: range.to, limit: 1000, ...(after ? { after } : {}) });
    for (const e of page.items) if (e.type === 'camera.status') transitions.push(e.status);
    if (!page.next || page.items.length === 0) break;
    after = page.next;
  }
  return computeUptime(transitions, range);
}
