import type { Camera, CameraStats, UptimeSummary } from '@wardwatch/core';
import type { Observable } from 'rxjs';
import type { CameraView, UptimeView } from '../api/api-types.js';

/** The latest value a replaying observable holds right now, or undefined. */
export function latestOf<T>(source$: Observable<T>): T | undefined {
  let value: T | undefined;
  source$.subscribe((v) => (value = v)).unsubscribe();
  return value;
}

/** The part of an uptime summary the API shows. */
export function uptimeView(summary: UptimeSummary): UptimeView {
  return { ratio: summary.ratio, upMs: summary.upMs, byState: summary.byState };
}

/** A camera as the API shows it: spec without credentials, status, stats, capabilities and its 24 h uptime. */
export function cameraView(camera: Camera, uptime24h: UptimeSummary | undefined): CameraView {
  const { spec } = camera;
  const stats: CameraStats = latestOf(camera.stats$) ?? {};
  return {
    id: spec.id,
    name: spec.name,
    site: spec.site,
    location: spec.location,
    ownership: spec.ownership,
    ...(spec.owner ? { owner: spec.owner } : {}),
    driver: spec.driver,
    host: spec.connection.host,
    ...(spec.connection.port ? { port: spec.connection.port } : {}),
    enabled: spec.enabled,
    tags: spec.tags,
    recording: spec.recording,
    status: camera.status,
    stats,
    ptz: camera.ptz !== undefined,
    ...(camera.device ? { device: camera.device } : {}),
    ...(camera.clockOffsetMs !== undefined ? { clockOffsetMs: camera.clockOffsetMs } : {}),
    uptime24h: uptime24h ? uptimeView(uptime24h) : null,
  };
}
