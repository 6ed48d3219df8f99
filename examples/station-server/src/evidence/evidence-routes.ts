import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { WardwatchError, toWardwatchError, type EvidenceService } from '@wardwatch/core';
import type { FastifyRequest } from 'fastify';
import type { ServerContext } from '../server/server-context.js';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { zipReady } from './zip-ready.js';

/** What the evidence routes need of the server. */
export type EvidenceRouteContext = Pick<ServerContext, 'evidence' | 'requirePermission' | 'actorOf' | 'cameraFor' | 'mayAccessCamera'>;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } } } as const;
const time = { type: 'integer', minimum: 0 } as const;

/**
 * The evidence API: the exported packages (list, record, download of the `.zip`, verification), the station
 * public key and holds. Exports themselves are jobs of the one export job system (`POST /exports` with
 * `kind: "evidence"`, see `export-routes.ts`). Views, downloads, verifications, exports and holds are written to
 * the audit log by the evidence service. Every route that serves the `.zip` calls `ensureZip` first, so with
 * the service's default `zip: 'on-demand'` the first download writes it (verified, audited `evidence.zip`);
 * listings carry `zipReady` (whether it is written yet).
 */
export const evidenceRoutes: StationServerPlugin<EvidenceRouteContext> = async (app, { context: ctx }) => {
  const service = (): EvidenceService => {
    const s = ctx.evidence();
    if (!s) throw new WardwatchError('STATION_NOT_RUNNING', 'Evidence export is unavailable while the station is not running');
    return s;
  };
  const check = (request: FastifyRequest, cameraId: string): void => void ctx.cameraFor(request, cameraId);
  const guard = (permission: 'exports.create' | 'exports.view' | 'holds.manage') => ({ preHandler: ctx.requirePermission(permission) });

  app.get('/evidence/public-key', { schema: { tags: ['evidence'], summary: 'The station public key (PEM) that verifies evidence signatures.' } }, async (_request, reply) =>
    reply.type('application/x-pem-file').send(await service().publicKeyPem()),
  );

  app.get<{ Querystring: { cameraId?: string; incidentId?: string } }>(
    '/evidence',
    {
      schema: {
        tags: ['evidence'],
        summary: 'Evidence exports, newest first, optionally of one camera or incident; `zipReady` tells whether the `.zip` is written yet (the first download writes it).',
        querystring: { type: 'object', additionalProperties: false, properties: { cameraId: { type: 'string' }, incidentId: { type: 'string' } } },
      },
      ...guard('exports.view'),
    },
    async (request) => {
      const { cameraId, incidentId } = request.query;
      const records = await service().listEvidence({ ...(cameraId ? { cameraId } : {}), ...(incidentId ? { incidentId } : {}) });
      const visible = records.filter((record) => ctx.mayAccessCamera(request, record.cameraId));
      return { items: await Promise.all(visible.map(async (record) => ({ ...record, zipReady: await zipReady(service(), record.id, request.log) }))) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/evidence/:id',
    { schema: { tags: ['evidence'], summary: 'One evidence export record with `zipReady` (the view is audited).', params: idParams }, ...guard('exports.view') },
    async (request) => {
      const record = await service().getEvidence(request.params.id);
      check(request, record.cameraId);
      await service().recordView({ evidenceId: record.id, actor: ctx.actorOf(request), action: 'view' });
      return { ...record, zipReady: await zipReady(service(), record.id, request.log) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/evidence/:id/download',
    {
      schema: {
        tags: ['evidence'],
        summary: 'Downloads the evidence package as .zip (audited); the first download writes the .zip from the verified folder (audited `evidence.zip`).',
        params: idParams,
      },
      ...guard('exports.view'),
    },
    async (request, reply) => {
      const record = await service().getEvidence(request.params.id);
      check(request, record.cameraId);
      const actor = ctx.actorOf(request);
      const zip = await service().ensureZip(record.id, { actor });
      const info = await stat(zip).catch((error: unknown) => {
        throw toWardwatchError(error, 'NOT_FOUND', { evidenceId: record.id });
      });
      await service().recordView({ evidenceId: record.id, actor, action: 'download' });
      return reply
        .type('application/zip')
        .header('content-length', info.size)
        .header('content-disposition', `attachment; filename="${record.id}.zip"`)
        .send(createReadStream(zip));
    },
  );

  app.post<{ Params: { id: string }; Body: { zip?: boolean } | undefined }>(
    '/evidence/:id/verify',
    {
      schema: {
        tags: ['evidence'],
        summary: 'Re-hashes the stored package (folder, or the `.zip` with `zip: true`, written first if need be) and checks its signature with the station key (audited).',
        params: idParams,
        body: { type: 'object', nullable: true, additionalProperties: false, properties: { zip: { type: 'boolean' } } },
      },
      ...guard('exports.view'),
    },
    async (request) => {
      const record = await service().getEvidence(request.params.id);
      check(request, record.cameraId);
      const result = await service().verifyEvidence(record.id, { publicKey: await service().publicKeyPem(), zip: request.body?.zip === true, actor: ctx.actorOf(request) });
      const { manifest: _manifest, ...rest } = result;
      return rest;
    },
  );

  app.get<{ Querystring: { cameraId?: string; all?: boolean } }>(
    '/holds',
    {
      schema: {
        tags: ['holds'],
        summary: 'Evidence holds (active ones unless `all`).',
        querystring: { type: 'object', additionalProperties: false, properties: { cameraId: { type: 'string' }, all: { type: 'boolean' } } },
      },
      ...guard('exports.view'),
    },
    async (request) => {
      const { cameraId, all } = request.query;
      if (cameraId) check(request, cameraId);
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
      ...guard('holds.manage'),
    },
    async (request, reply) => {
      check(request, request.body.cameraId);
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
        params: idParams,
        body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 1, maxLength: 2000 } } },
      },
      ...guard('holds.manage'),
    },
    async (request) => service().releaseHold(request.params.id, { actor: ctx.actorOf(request), reason: request.body.reason }),
  );

  app.post<{ Params: { id: string } }>(
    '/holds/incident/:id',
    {
      schema: {
        tags: ['holds'],
        summary: 'Holds every camera/time range of an incident not yet held for it (audited). The body is `{}` (every POST is JSON).',
        params: idParams,
        body: { type: 'object', additionalProperties: false, properties: {} },
      },
      ...guard('holds.manage'),
    },
    async (request, reply) => reply.code(201).send({ items: await service().holdIncident(request.params.id, ctx.actorOf(request)) }),
  );
};
