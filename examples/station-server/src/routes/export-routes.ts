import { WardwatchError } from '@wardwatch/core';
import type { FastifyInstance } from 'fastify';
import type { ExportJobs } from '../server/export-jobs.js';
import type { ServerContext } from '../server/server-context.js';
import { idParams, timestamp } from './schemas.js';

/** Clip exports: start (with progress to poll), list, cancel, download. Starting and downloading are audited. */
export function registerExportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const jobs = (): ExportJobs => {
    if (!ctx.exports) throw new WardwatchError('STATION_NOT_RUNNING', 'This station has no recorder: clip export is unavailable');
    return ctx.exports;
  };
  const visibleJob = (request: Parameters<ServerContext['userOf']>[0], id: string) => {
    const job = jobs().get(id);
    if (!job) throw new WardwatchError('NOT_FOUND', `Export ${id} does not exist`);
    ctx.cameraFor(request, job.cameraId);
    return job;
  };

  app.post<{ Body: { cameraId: string; from: number; to: number; reason?: string } }>(
    '/exports',
    {
      schema: {
        tags: ['exports'],
        summary: 'Starts cutting a clip (stream copy) of a camera range; poll `GET /exports/:id` for progress.',
        body: {
          type: 'object',
          required: ['cameraId', 'from', 'to'],
          additionalProperties: false,
          properties: { cameraId: { type: 'string', minLength: 1, maxLength: 64 }, from: timestamp, to: timestamp, reason: { type: 'string', maxLength: 1000 } },
        },
      },
      preHandler: ctx.requirePermission('exports.create'),
    },
    async (request, reply) => {
      const { cameraId, from, to, reason } = request.body;
      ctx.cameraFor(request, cameraId);
      if (!(to > from)) {
        throw new WardwatchError('INVALID_ARGUMENT', 'Invalid request: body.to: must be after from', { details: { problems: [{ path: 'body.to', message: 'must be after from' }] } });
      }
      const job = jobs().start({ cameraId, from, to, createdBy: ctx.userOf(request).username });
      await ctx.audit(request, 'export.create', `camera:${cameraId}`, { exportId: job.id, from, to, ...(reason ? { reason } : {}) });
      return reply.code(202).send(job);
    },
  );

  app.get('/exports', { schema: { tags: ['exports'], summary: 'Clip exports of this server run, newest first.' }, preHandler: ctx.requirePermission('exports.view') }, async (request) => {
    const user = ctx.userOf(request);
    return {
      items: jobs()
        .list()
        .filter((j) => {
          const camera = ctx.station.camera(j.cameraId);
          return !camera || ctx.canSeeCamera(user, camera.spec);
        }),
    };
  });

  app.get<{ Params: { id: string } }>(
    '/exports/:id',
    { schema: { tags: ['exports'], summary: 'State and progress of one export.', params: idParams }, preHandler: ctx.requirePermission('exports.view') },
    async (request) => visibleJob(request, request.params.id),
  );

  app.delete<{ Params: { id: string } }>(
    '/exports/:id',
    { schema: { tags: ['exports'], summary: 'Cancels a running export (its partial file is removed).', params: idParams }, preHandler: ctx.requirePermission('exports.create') },
    async (request) => {
      const job = visibleJob(request, request.params.id);
      jobs().cancel(job.id);
      await ctx.audit(request, 'export.cancel', `camera:${job.cameraId}`, { exportId: job.id });
      return job;
    },
  );

  app.get<{ Params: { id: string } }>(
    '/exports/:id/download',
    { schema: { tags: ['exports'], summary: 'Downloads the finished MP4 (audited).', params: idParams }, preHandler: ctx.requirePermission('exports.view') },
    async (request, reply) => {
      const job = visibleJob(request, request.params.id);
      if (job.state !== 'done') throw new WardwatchError('INVALID_STATE', `Export ${job.id} is ${job.state}, not done`);
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
}
