import { INCIDENT_STATUSES, type IncidentStatus } from '@wardwatch/core';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { checkIncidentCamera, incidentRangeSchema } from './incident-range.js';
import { idParams } from './schemas.js';

/** An incident's workflow: status, linked camera ranges, outcome and linked evidence exports. */
export const incidentWorkflowRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  const { incidents } = ctx.station;

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
    { schema: { tags: ['incidents'], summary: 'Links a camera and time range.', params: idParams, body: incidentRangeSchema }, preHandler: ctx.requirePermission('incidents.manage') },
    async (request) => {
      checkIncidentCamera(ctx, request, request.body.cameraId);
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
