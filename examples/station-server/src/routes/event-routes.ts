import type { StationEvent, StationEventType } from '@wardwatch/core';
import type { Subscription } from 'rxjs';
import { can, eventPermission } from '../auth/roles.js';
import { SESSION_COOKIE } from '../auth/session-cookie.js';
import type { FastifyRequest } from 'fastify';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { timestamp } from './schemas.js';

/** Drops heavy fields (plate crops) from events sent to browsers. */
function slim(event: StationEvent): Record<string, unknown> {
  const { cropJpeg: _crop, ...rest } = event as StationEvent & { cropJpeg?: string };
  return rest;
}

/** Events: stored history (filtered, paged) and the live stream as Server-Sent Events. */
export const eventRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  const { station } = ctx;
  const streams = new Set<{ end(): void }>();

  /** Which events a request's user may see: those of the cameras they may see, of the areas their role covers. */
  const visible = (request: FastifyRequest) => {
    const user = ctx.userOf(request);
    return (event: { type: string; cameraId?: unknown }): boolean => {
      if (!can(user.role, eventPermission(event.type))) return false;
      if (user.role !== 'viewer') return true;
      if (typeof event.cameraId !== 'string') return false;
      const camera = station.camera(event.cameraId);
      return camera !== undefined && ctx.canSeeCamera(user, camera.spec);
    };
  };

  app.get<{ Querystring: { cameraId?: string; types?: string[]; from?: number; to?: number; after?: string; limit?: number; reverse?: boolean } }>(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Stored events, newest first by default, filtered by camera, types and time; paged with `after`.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            cameraId: { type: 'string' },
            types: { type: 'array', items: { type: 'string' } },
            from: timestamp,
            to: timestamp,
            after: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            reverse: { type: 'boolean', default: true },
          },
        },
      },
      preHandler: ctx.requirePermission('events.view'),
    },
    async (request) => {
      const q = request.query;
      if (q.cameraId) ctx.cameraFor(request, q.cameraId);
      const allowed = visible(request);
      const page = await station.storage.events.query({
        ...(q.cameraId ? { cameraId: q.cameraId } : {}),
        ...(q.types?.length ? { types: q.types as StationEventType[] } : {}),
        ...(q.from !== undefined ? { from: q.from } : {}),
        ...(q.to !== undefined ? { to: q.to } : {}),
        ...(q.after ? { after: q.after } : {}),
        limit: q.limit ?? 100,
        reverse: q.reverse ?? true,
      });
      return { items: page.items.filter((e) => allowed(e)).map(slim), ...(page.next ? { next: page.next } : {}) };
    },
  );

  app.get(
    '/events/stream',
    {
      schema: { tags: ['events'], summary: 'Live station events as Server-Sent Events (`event: station`, JSON data); viewers get only their cameras.' },
      preHandler: ctx.requirePermission('events.view'),
    },
    async (request, reply) => {
      const allowed = visible(request);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: 2000\n: connected\n\n`);
      let subscription: Subscription | undefined;
      const token = request.cookies[SESSION_COOKIE];
      // Every 15 s: a comment keeps proxies from closing the stream; an ended session (logout, user removed) closes it.
      const heartbeat = setInterval(() => {
        if (!ctx.sessions.get(token)) stream.end();
        else res.write(`: ping ${Date.now()}\n\n`);
      }, 15_000);
      const stream = {
        end() {
          clearInterval(heartbeat);
          subscription?.unsubscribe();
          streams.delete(stream);
          if (!res.writableEnded) res.end();
        },
      };
      streams.add(stream);
      subscription = station.events$.subscribe({
        next: (event) => {
          if (!allowed(event)) return;
          res.write(`event: station\ndata: ${JSON.stringify(slim(event))}\n\n`);
        },
        complete: () => stream.end(),
        error: () => stream.end(),
      });
      request.raw.on('close', () => stream.end());
    },
  );

  app.addHook('preClose', async () => {
    for (const stream of [...streams]) stream.end();
  });
};
