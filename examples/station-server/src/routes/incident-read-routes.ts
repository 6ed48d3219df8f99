import { INCIDENT_STATUSES, WardwatchError, type IncidentStatus } from '@wardwatch/core';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { idParams } from './schemas.js';

/** Incidents (vụ việc) read: accepted categories/outcomes/statuses, the filtered list, and one incident. */
export const incidentReadRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  const { incidents } = ctx.station;

  app.get('/incidents/meta', { schema: { tags: ['incidents'], summary: 'Accepted categories, outcomes and statuses.' }, preHandler: ctx.requirePermission('incidents.view') }, async () => ({
    categories: incidents.categories,
    outcomes: incidents.outcomes,
    statuses: INCIDENT_STATUSES,
  }));

  app.get<{ Querystring: { status?: IncidentStatus; category?: string; cameraId?: string; after?: string; limit?: number } }>(
    '/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Incidents, filtered by status, category or camera.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: [...INCIDENT_STATUSES] },
            category: { type: 'string' },
            cameraId: { type: 'string' },
            after: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
      },
      preHandler: ctx.requirePermission('incidents.view'),
    },
    async (request) => {
      const q = request.query;
      const page = await incidents.query({ ...q });
      return { items: [...page.items].sort((a, b) => b.createdAt - a.createdAt), ...(page.next ? { next: page.next } : {}) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/incidents/:id',
    { schema: { tags: ['incidents'], summary: 'One incident.', params: idParams }, preHandler: ctx.requirePermission('incidents.view') },
    async (request) => {
      const incident = await incidents.get(request.params.id);
      if (!incident) throw new WardwatchError('NOT_FOUND', `Incident ${request.params.id} does not exist`);
      return incident;
    },
  );
};
