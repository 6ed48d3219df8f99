import { WardwatchError, type DiscoveredCamera } from '@wardwatch/core';
import { firstValueFrom, takeUntil, timer, toArray } from 'rxjs';
import type { StationServerPlugin } from '../server/station-server-plugin.js';

/** `POST /cameras/discover`: runs driver discovery and lists what answered, marking cameras already added (audited). */
export const cameraDiscoveryRoute: StationServerPlugin = async (app, { context: ctx }) => {
  const { station } = ctx;

  app.post<{ Body: { timeoutMs?: number; driver?: string } }>(
    '/cameras/discover',
    {
      schema: {
        tags: ['cameras'],
        summary: 'Runs driver discovery (ONVIF WS-Discovery) and lists what answered, marking cameras already added.',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { timeoutMs: { type: 'integer', minimum: 500, maximum: 15000 }, driver: { type: 'string' }, port: { type: 'integer', minimum: 1, maximum: 65535 }, address: { type: 'string' } },
        },
      },
      preHandler: ctx.requirePermission('cameras.manage'),
    },
    async (request) => {
      const body = (request.body ?? {}) as { timeoutMs?: number; driver?: string; port?: number; address?: string };
      const driver = station.drivers.get(body.driver ?? 'onvif');
      if (!driver?.discover) throw new WardwatchError('CAMERA_UNSUPPORTED', `Driver ${body.driver ?? 'onvif'} has no discovery`);
      const timeoutMs = body.timeoutMs ?? 3000;
      const found: DiscoveredCamera[] = await firstValueFrom(
        driver
          .discover({ timeoutMs, ...(body.port ? { port: body.port } : ctx.discovery?.port ? { port: ctx.discovery.port } : {}), ...(body.address ? { address: body.address } : ctx.discovery?.address ? { address: ctx.discovery.address } : {}) })
          .pipe(takeUntil(timer(timeoutMs + 2000)), toArray()),
      );
      const cameras = await firstValueFrom(station.cameras$);
      const known = new Set(cameras.map((c) => `${c.spec.connection.host}:${c.spec.connection.port ?? 80}`));
      await ctx.audit(request, 'camera.discover', undefined, { found: found.length });
      return { items: found.map((d) => ({ ...d, added: known.has(`${d.host}:${d.port ?? 80}`) })) };
    },
  );
};
