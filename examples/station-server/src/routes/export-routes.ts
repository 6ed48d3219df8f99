import { WardwatchError } from '@wardwatch/core';
import type { FastifyRequest } from 'fastify';
import { EXPORT_KINDS, type ExportJobView, type ExportKind, type ItemsAnswer } from '../api/api-types.js';
import { zipReady } from '../evidence/zip-ready.js';
import type { ExportJobs } from '../exports/export-jobs.js';
import type { ServerContext } from '../server/server-context.js';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { idParams, timestamp } from './schemas.js';

/** What the export routes need of the server. */
export type ExportRouteContext = Pick<ServerContext, 'exports' | 'evidence' | 'requirePermission' | 'actorOf' | 'cameraFor' | 'mayAccessCamera' | 'audit'>;

/**
 * Export jobs, one system for both kinds: `clip` (a plain MP4 cut by stream copy) and `evidence` (a signed
 * package, with a reason). Start (progress to poll), list, cancel, download. Clip starts and downloads are
 * audited here; evidence exports are audited by the evidence service.
 */
export const exportRoutes: StationServerPlugin<ExportRouteContext> = async (app, { context: ctx }) => {
  const jobs = (): ExportJobs => {
    if (!ctx.exports) throw new WardwatchError('STATION_NOT_RUNNING', 'This station has no recorder: export is unavailable');
    return ctx.exports;
  };
  const visibleJob = (request: FastifyRequest, id: string): ExportJobView => {
    const job = jobs().get(id);
    if (!job) throw new WardwatchError('NOT_FOUND', `Export ${id} does not exist`);
    ctx.cameraFor(request, job.cameraId);
    return job;
  };
  /** A job as shown: done evidence jobs say whether their `.zip` is written yet. */
  const shown = async (request: FastifyRequest, job: ExportJobView): Promise<ExportJobView> => {
    const evidence = ctx.evidence();
    return job.kind === 'evidence' && job.state === 'done' && job.evidenceId && evidence ? { ...job, zipReady: await zipReady(evidence, job.evidenceId, request.log) } : job;
  };

  app.post<{ Body: { kind?: ExportKind; cameraId: string; from: number; to: number; reason?: string; caseId?: string; incidentId?: string; stillsAt?: number[] } }>(
    '/exports',
    {
      schema: {
        tags: ['exports'],
        summary: 'Starts an export job: a clip (stream copy) or, with `kind: "evidence"` and a reason, a signed evidence package; poll `GET /exports/:id`.',
        body: {
          type: 'object',
          required: ['cameraId', 'from', 'to'],
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: [...EXPORT_KINDS], default: 'clip' },
            cameraId: { type: 'string', minLength: 1, maxLength: 64 },
            from: timestamp,
            to: timestamp,
            reason: { type: 'string', minLength: 1, maxLength: 2000 },
            caseId: { type: 'string', minLength: 1, maxLength: 200 },
            incidentId: { type: 'string', minLength: 1, maxLength: 64 },
            stillsAt: { type: 'array', maxItems: 20, items: timestamp },
          },
        },
      },
      preHandler: ctx.requirePermission('exports.create'),
    },
    async (request, reply) => {
      const { kind = 'clip', ...body } = request.body;
      ctx.cameraFor(request, body.cameraId);
      const job = jobs().start({ kind, ...body, createdBy: ctx.actorOf(request) });
      if (kind === 'clip') {
        await ctx.audit(request, 'export.create', `camera:${body.cameraId}`, { exportId: job.id, from: body.from, to: body.to, ...(body.reason ? { reason: body.reason } : {}) });
      }
      return reply.code(202).send(job);
    },
  );

  app.get<{ Querystring: { kind?: ExportKind } }>(
    '/exports',
    {
      schema: {
        tags: ['exports'],
        summary: 'Export jobs of this server run, newest first (done evidence jobs with `zipReady`).',
        querystring: { type: 'object', additionalProperties: false, properties: { kind: { type: 'string', enum: [...EXPORT_KINDS] } } },
      },
      preHandler: ctx.requirePermission('exports.view'),
    },
    async (request): Promise<ItemsAnswer<ExportJobView>> => {
      const { kind } = request.query;
      const visible = jobs()
        .list()
        .filter((j) => (!kind || j.kind === kind) && ctx.mayAccessCamera(request, j.cameraId));
      return { items: await Promise.all(visible.map((job) => shown(request, job))) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/exports/:id',
    { schema: { tags: ['exports'], summary: 'State and progress of one export job.', params: idParams }, preHandler: ctx.requirePermission('exports.view') },
    async (request) => shown(request, visibleJob(request, request.params.id)),
  );

  app.delete<{ Params: { id: string } }>(
    '/exports/:id',
    { schema: { tags: ['exports'], summary: 'Cancels a running export; nothing partial is left.', params: idParams }, preHandler: ctx.requirePermission('exports.create') },
    async (request) => {
      const job = await jobs().cancel(visibleJob(request, request.params.id).id);
      await ctx.audit(request, 'export.cancel', `camera:${job.cameraId}`, { exportId: job.id, kind: job.kind });
      return job;
    },
  );

  app.get<{ Params: { id: string } }>(
    '/exports/:id/download',
    { schema: { tags: ['exports'], summary: 'Downloads a finished clip (MP4, audited); an evidence job redirects to its package.', params: idParams }, preHandler: ctx.requirePermission('exports.view') },
    async (request, reply) => {
      const job = visibleJob(request, request.params.id);
      if (job.state !== 'done') throw new WardwatchError('INVALID_STATE', `Export ${job.id} is ${job.state}, not done`);
      if (job.kind === 'evidence') return reply.redirect(job.downloadUrl ?? '/api/evidence', 303);
      await ctx.audit(request, 'export.download', `camera:${job.cameraId}`, { exportId: job.id, sha256: job.result?.sha256 });
      const name = `${job.cameraId}_${new Date(job.from).toISOString().replace(/[:.]/g, '-')}.mp4`;
      const path = jobs().filePath(job.id);
      const slash = path.lastIndexOf('/');
      return reply
        .header('content-disposition', `attachment; filename="${name}"`)
        .type('video/mp4')
        .sendFile(path.slice(slash + 1), path.slice(0, slash));
    },
  );
};
