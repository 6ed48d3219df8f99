import type { Camera, CameraStats } from '@wardwatch/core';
import type { Observable } from 'rxjs';

/** The latest value a replaying observable holds right now, or undefined. */
export function latestOf<T>(source$: Observable<T>): T | undefined {
  let value: T | undefined;
  source$.subscribe((v) => (value = v)).unsubscribe();
  return value;
}

/** A camera as the API shows it: spec without credentials, status, stats and capabilities. */
export function cameraView(camera: Camera): Record<string, unknown> {
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
  };
}
