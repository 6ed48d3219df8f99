import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { idParams } from './schemas.js';

/** What a camera shows: a JPEG snapshot and a signed live URL, both audited. */
export const cameraPictureRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  app.get<{ Params: { id: string } }>(
    '/cameras/:id/snapshot',
    { schema: { tags: ['cameras'], summary: 'A JPEG of the current picture.', params: idParams }, preHandler: ctx.requirePermission('live.view') },
    async (request, reply) => {
      const camera = ctx.cameraFor(request, request.params.id);
      const jpeg = await ctx.snapshots.snapshot(camera.id, ctx.actorOf(request), () => camera.snapshot());
      await ctx.audit(request, 'camera.snapshot', `camera:${camera.id}`);
      return reply.type('image/jpeg').header('cache-control', 'no-store').send(Buffer.from(jpeg));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/cameras/:id/live',
    {
      schema: { tags: ['cameras'], summary: 'A signed, expiring WS-FLV URL of the live relay for mpegts.js (audited as a live view).', params: idParams },
      preHandler: ctx.requirePermission('live.view'),
    },
    async (request) => {
      const camera = ctx.cameraFor(request, request.params.id);
      if (!ctx.live) return { available: false, reason: 'live relay not configured' };
      const url = await ctx.live.playUrl(camera.id, { grant: ctx.liveGrants.grant(ctx.sessionOf(request), camera.id) });
      if (!url) return { available: false, reason: 'no live stream for this camera' };
      await ctx.audit(request, 'live.view', `camera:${camera.id}`, { expiresAt: url.expiresAt });
      return { available: true, ...url };
    },
  );
};
