import { INCIDENT_STATUSES, WardwatchError, type IncidentStatus } from '@wardwatch/core';
import type { FastifyRequest } from 'fastify';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { idParams, timestamp } from './schemas.js';

const rangeSchema = {
  type: 'object',
  required: ['cameraId', 'from', 'to'],
  additionalProperties: false,
  properties: { cameraId: { type: 'string', minLength: 1, maxLength: 64 }, from: timestamp, to: timestamp },
} as const;

/** Incidents (vụ việc): list, create, edit, workflow, linked cameras/ranges, evidence and outcome. */
export const incidentRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  const { incidents } = ctx.station;
  const checkCamera = (request: FastifyRequest, cameraId: string): void => {
    // A linked camera must exist (its recordings may outlive it, so stored specs are not required).
    if (!ctx.station.camera(cameraId)) {
      throw new WardwatchError('INVALID_ARGUMENT', `Invalid request: cameraId: camera ${cameraId} does not exist`, {
        details: { problems: [{ path: 'cameraId', message: 'unknown camera' }] },
      });
    }
    ctx.cameraFor(request, cameraId);
  };

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
            ranges: { type: 'array', maxItems: 50, items: rangeSchema },
          },
        },
      },
      preHandler: ctx.requirePermission('incidents.manage'),
    },
    async (request, reply) => {
      const b = request.body;
      for (const r of b.ranges ?? []) checkCamera(request, r.cameraId);
      const incident = await incidents.create({ ...b, actor: ctx.userOf(request).username });
      return reply.code(201).send(incident);
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

  app.post<{ Params: { id: string }; Body: { status: IncidentStatus; note?: string } }>(
    '/incidents/:id/status',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Moves the workflow (open → investigating → resolved → closed).',
        params: idParams,
        body: { type: 'object', required: ['status'], additionalProperties: false, properties: { status: { type: 'string', enum: [...INCIDENT_STATUSES] }, note: { type: 'string', maxLength: 2000 } } },
      },
      preHandler: ctx.requirePermission('incidents.manage'),
    },
    async (request) => incidents.setStatus(request.params.id, request.body.status, ctx.userOf(request).username, request.body.note),
  );

  app.post<{ Params: { id: string }; Body: { cameraId: string; from: number; to: number } }>(
    '/incidents/:id/ranges',
    { schema: { tags: ['incidents'], summary: 'Links a camera and time range.', params: idParams, body: rangeSchema }, preHandler: ctx.requirePermission('incidents.manage') },
    async (request) => {
      checkCamera(request, request.body.cameraId);
      return incidents.linkRange(request.params.id, request.body, ctx.userOf(request).username);
    },
  );

  app.post<{ Params: { id: string }; Body: { outcome: string } }>(
    '/incidents/:id/outcome',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Records the outcome (administrative fine, prosecuted, no violation, ...).',
        params: idParams,
        body: { type: 'object', required: ['outcome'], additionalProperties: false, properties: { outcome: { type: 'string', minLength: 1, maxLength: 64 } } },
      },
      preHandler: ctx.requirePermission('incidents.manage'),
    },
    async (request) => incidents.setOutcome(request.params.id, request.body.outcome, ctx.userOf(request).username),
  );

  app.post<{ Params: { id: string }; Body: { evidenceId: string } }>(
    '/incidents/:id/evidence',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Links an evidence export.',
        params: idParams,
        body: { type: 'object', required: ['evidenceId'], additionalProperties: false, properties: { evidenceId: { type: 'string', minLength: 1, maxLength: 64 } } },
      },
      preHandler: ctx.requirePermission('incidents.manage'),
    },
    async (request) => incidents.linkEvidence(request.params.id, request.body.evidenceId, ctx.userOf(request).username),
  );
};
