import type { EvidenceService } from '@wardwatch/core';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import type { EvidenceRouteContext } from './evidence-route-context.js';
import { evidenceIdParams } from './evidence-id-params.js';
import { evidenceServiceOf } from './evidence-service-of.js';

const time = { type: 'integer', minimum: 0 } as const;

/** Evidence holds: list, hold a camera/time range or every range of an incident, release (audited with who and why). */
export const evidenceHoldRoutes: StationServerPlugin<EvidenceRouteContext> = async (app, { context: ctx }) => {
  const service = (): EvidenceService => evidenceServiceOf(ctx);

  app.get<{ Querystring: { cameraId?: string; all?: boolean } }>(
    '/holds',
    {
      schema: {
        tags: ['holds'],
        summary: 'Evidence holds (active ones unless `all`).',
        querystring: { type: 'object', additionalProperties: false, properties: { cameraId: { type: 'string' }, all: { type: 'boolean' } } },
      },
      preHandler: ctx.requirePermission('exports.view'),
    },
    async (request) => {
      const { cameraId, all } = request.query;
      if (cameraId) ctx.cameraFor(request, cameraId);
      return { items: await service().listHolds({ ...(cameraId ? { cameraId } : {}), ...(all ? {} : { active: true }) }) };
    },
  );

  app.post<{ Body: { cameraId: string; from: number; to: number; reason: string } }>(
    '/holds',
    {
      schema: {
        tags: ['holds'],
        summary: 'Holds a camera/time range so retention never deletes it (audited with who and why).',
        body: {
          type: 'object',
          required: ['cameraId', 'from', 'to', 'reason'],
          additionalProperties: false,
          properties: { cameraId: { type: 'string', minLength: 1, maxLength: 64 }, from: time, to: time, reason: { type: 'string', minLength: 1, maxLength: 2000 } },
        },
      },
      preHandler: ctx.requirePermission('holds.manage'),
    },
    async (request, reply) => {
      ctx.cameraFor(request, request.body.cameraId);
      const hold = await service().createHold({ ...request.body, actor: ctx.actorOf(request) });
      return reply.code(201).send(hold);
    },
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/holds/:id/release',
    {
      schema: {
        tags: ['holds'],
        summary: 'Releases a hold (audited with who and why).',
        params: evidenceIdParams,
        body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 1, maxLength: 2000 } } },
      },
      preHandler: ctx.requirePermission('holds.manage'),
    },
    async (request) => service().releaseHold(request.params.id, { actor: ctx.actorOf(request), reason: request.body.reason }),
  );

  app.post<{ Params: { id: string } }>(
    '/holds/incident/:id',
    {
      schema: {
        tags: ['holds'],
        summary: 'Holds every camera/time range of an incident not yet held for it (audited). The body is `{}` (every POST is JSON).',
        params: evidenceIdParams,
        body: { type: 'object', additionalProperties: false, properties: {} },
      },
      preHandler: ctx.requirePermission('holds.manage'),
    },
    async (request, reply) => reply.code(201).send({ items: await service().holdIncident(request.params.id, ctx.actorOf(request)) }),
  );
};
