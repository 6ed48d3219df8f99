import type { CameraSpecInput } from '@wardwatch/core';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { cameraUptime24h } from './camera-uptime.js';
import { cameraView } from './camera-view.js';
import { idParams } from './schemas.js';

/** Cameras: enable/disable, rename or move one (`PATCH`), and remove one (`DELETE`); open live views re-checked, audited. */
export const cameraEditRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  const { station } = ctx;

  app.patch<{ Params: { id: string }; Body: { enabled?: boolean; name?: string; owner?: string; lat?: number; lon?: number; address?: string } }>(
    '/cameras/:id',
    {
      schema: {
        tags: ['cameras'],
        summary: 'Enables/disables or renames a camera, or moves it on the map.',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            enabled: { type: 'boolean' },
            name: { type: 'string', minLength: 1, maxLength: 200 },
            owner: { type: 'string', maxLength: 200 },
            lat: { type: 'number', minimum: -90, maximum: 90 },
            lon: { type: 'number', minimum: -180, maximum: 180 },
            address: { type: 'string', maxLength: 500 },
          },
        },
      },
      preHandler: ctx.requirePermission('cameras.manage'),
    },
    async (request) => {
      const camera = ctx.cameraFor(request, request.params.id);
      const b = request.body;
      const patch: Partial<CameraSpecInput> = {
        ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.owner !== undefined ? { owner: b.owner } : {}),
        ...(b.lat !== undefined || b.lon !== undefined || b.address !== undefined
          ? { location: { ...camera.spec.location, ...(b.lat !== undefined ? { lat: b.lat } : {}), ...(b.lon !== undefined ? { lon: b.lon } : {}), ...(b.address !== undefined ? { address: b.address } : {}) } }
          : {}),
      };
      const updated = await station.updateCamera(camera.id, patch);
      // a new owner (or a disabled camera) may take live rights away from open views
      ctx.revalidateLive();
      await ctx.audit(request, 'camera.update', `camera:${camera.id}`, { fields: Object.keys(b) });
      return cameraView(updated, await cameraUptime24h(station, request, updated.id));
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/cameras/:id',
    { schema: { tags: ['cameras'], summary: 'Removes a camera (its recordings stay).', params: idParams }, preHandler: ctx.requirePermission('cameras.manage') },
    async (request, reply) => {
      const camera = ctx.cameraFor(request, request.params.id);
      await station.removeCamera(camera.id);
      ctx.revalidateLive();
      await ctx.audit(request, 'camera.remove', `camera:${camera.id}`);
      return reply.code(204).send();
    },
  );
};
