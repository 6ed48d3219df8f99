import { firstValueFrom } from 'rxjs';
import type { HealthAnswer, HealthRow, StationInfo } from '../api/api-types.js';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { latestOf, uptimeView } from './camera-view.js';

/**
 * The station's public face and its health: `/info` and `/healthz` (no login), then camera states with uptime
 * and the cameras needing repair (offline or degraded: since when, why).
 */
export const healthRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  const { station } = ctx;

  app.get('/info', { schema: { tags: ['health'], summary: 'Public station information (name, demo mode, live, playback).', security: [] } }, async (): Promise<StationInfo> => ({
    stationName: ctx.stationName,
    demo: ctx.demo,
    live: ctx.live !== undefined,
    playback: ctx.recordingsRoot !== undefined,
  }));

  app.get('/healthz', { schema: { tags: ['health'], summary: 'Liveness of the server (no auth).', security: [] } }, async () => ({ ok: true, running: station.running }));

  app.get<{ Querystring: { hours?: number } }>(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Camera health and uptime over the last `hours` (default 24), and the repair list.',
        querystring: { type: 'object', additionalProperties: false, properties: { hours: { type: 'number', minimum: 0.1, maximum: 24 * 90 } } },
      },
      preHandler: ctx.requirePermission('health.view'),
    },
    async (request): Promise<HealthAnswer> => {
      const user = ctx.userOf(request);
      const now = Date.now();
      const hours = request.query.hours ?? 24;
      const cameras = (await firstValueFrom(station.cameras$)).filter((c) => ctx.canSeeCamera(user, c.spec));
      const rows = await Promise.all(
        cameras.map(async (c): Promise<HealthRow> => {
          const uptime = await station.uptime(c.id, { from: now - hours * 3600_000, to: now });
          const stats = latestOf(c.stats$) ?? {};
          return {
            id: c.id,
            name: c.spec.name,
            ownership: c.spec.ownership,
            address: c.spec.location.address,
            state: c.status.state,
            cause: c.status.cause,
            since: c.status.since,
            lastFrameAt: stats.lastFrameAt,
            uptime: uptimeView(uptime),
          };
        }),
      );
      const counts: HealthAnswer['counts'] = { connecting: 0, online: 0, degraded: 0, offline: 0, disabled: 0 };
      for (const r of rows) counts[r.state] += 1;
      return {
        at: now,
        running: station.running,
        counts,
        cameras: rows.sort((a, b) => a.id.localeCompare(b.id)),
        needingRepair: rows.filter((r) => r.state === 'offline' || r.state === 'degraded').sort((a, b) => a.since - b.since),
      };
    },
  );
};
