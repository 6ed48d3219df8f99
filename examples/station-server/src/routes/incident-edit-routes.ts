import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { checkIncidentCamera, incidentRangeSchema } from './incident-range.js';
import { idParams, timestamp } from './schemas.js';

/** Incidents (vụ việc) written: open one (with its first camera ranges) and edit its title, description, category or time. */
export const incidentEditRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  const { incidents } = ctx.station;

  app.post<{ Body: { title: string; description?: string; category: string; occurredAt: number; ranges?: Array<{ cameraId: string; from: number; to: number }> } }>(
    '/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Opens an incident.',
        body: {
          type: 'object',
          required: ['title', 'category', 'occurredAt'],
          additionalProperties: false,
          properties: {
            title: { type: 'string', minLength: 1, maxLength: 300 },
            description: { type: 'string', maxLength: 10000 },
            category: { type: 'string', minLength: 1, maxLength: 64 },
            occurredAt: timestamp,
            ranges: { type: 'array', maxItems: 50, items: incidentRangeSchema },
          },
        },
      },
      preHandler: ctx.requirePermission('incidents.manage'),
    },
    async (request, reply) => {
      const b = request.body;
      for (const r of b.ranges ?? []) checkIncidentCamera(ctx, request, r.cameraId);
      const incident = await incidents.create({ ...b, actor: ctx.userOf(request).username });
      return reply.code(201).send(incident);
    },
  );

  app.patch<{ Params: { id: string }; Body: { title?: string; description?: string; category?: string; occurredAt?: number } }>(
    '/incidents/:id',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Edits title, description, category or time.',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { title: { type: 'string', minLength: 1, maxLength: 300 }, description: { type: 'string', maxLength: 10000 }, category: { type: 'string' }, occurredAt: timestamp },
        },
      },
      preHandler: ctx.requirePermission('incidents.manage'),
    },
    async (request) => incidents.update(request.params.id, request.body, ctx.userOf(request).username),
  );
};
