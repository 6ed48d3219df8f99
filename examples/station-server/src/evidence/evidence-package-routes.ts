import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { toWardwatchError, type EvidenceService } from '@wardwatch/core';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import type { EvidenceRouteContext } from './evidence-route-context.js';
import { evidenceIdParams } from './evidence-id-params.js';
import { evidenceServiceOf } from './evidence-service-of.js';
import { zipReady } from './zip-ready.js';

/**
 * The exported evidence packages: the station public key, the list, one record, the `.zip` download (written
 * first with `ensureZip` when need be) and verification; views, downloads and verifications are audited by the
 * evidence service.
 */
export const evidencePackageRoutes: StationServerPlugin<EvidenceRouteContext> = async (app, { context: ctx }) => {
  const service = (): EvidenceService => evidenceServiceOf(ctx);

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
      preHandler: ctx.requirePermission('exports.view'),
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
    { schema: { tags: ['evidence'], summary: 'One evidence export record with `zipReady` (the view is audited).', params: evidenceIdParams }, preHandler: ctx.requirePermission('exports.view') },
    async (request) => {
      const record = await service().getEvidence(request.params.id);
      ctx.cameraFor(request, record.cameraId);
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
        params: evidenceIdParams,
      },
      preHandler: ctx.requirePermission('exports.view'),
    },
    async (request, reply) => {
      const record = await service().getEvidence(request.params.id);
      ctx.cameraFor(request, record.cameraId);
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
        params: evidenceIdParams,
        body: { type: 'object', nullable: true, additionalProperties: false, properties: { zip: { type: 'boolean' } } },
      },
      preHandler: ctx.requirePermission('exports.view'),
    },
    async (request) => {
      const record = await service().getEvidence(request.params.id);
      ctx.cameraFor(request, record.cameraId);
      const result = await service().verifyEvidence(record.id, { publicKey: await service().publicKeyPem(), zip: request.body?.zip === true, actor: ctx.actorOf(request) });
      const { manifest: _manifest, ...rest } = result;
      return rest;
    },
  );
};
