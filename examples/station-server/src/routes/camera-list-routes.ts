import { firstValueFrom } from 'rxjs';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { cameraUptime24h } from './camera-uptime.js';
import { cameraView } from './camera-view.js';
import { idParams } from './schemas.js';

/** Cameras: the list the user may see and one camera's details, each with status, stats and 24 h uptime. */
export const cameraListRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  const { station } = ctx;

  app.get(
    '/cameras',
    { schema: { tags: ['cameras'], summary: 'Cameras the user may see, with status, stats and 24 h uptime.' }, preHandler: ctx.requirePermission('cameras.view') },
    async (request) => {
      const user = ctx.userOf(request);
      const cameras = (await firstValueFrom(station.cameras$)).filter((c) => ctx.canSeeCamera(user, c.spec)).sort((a, b) => a.id.localeCompare(b.id));
      const items = await Promise.all(cameras.map(async (camera) => cameraView(camera, await cameraUptime24h(station, request, camera.id))));
      return { items };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/cameras/:id',
    { schema: { tags: ['cameras'], summary: 'One camera.', params: idParams }, preHandler: ctx.requirePermission('cameras.view') },
    async (request) => {
      const camera = ctx.cameraFor(request, request.params.id);
      return cameraView(camera, await cameraUptime24h(station, request, camera.id));
    },
  );
};
