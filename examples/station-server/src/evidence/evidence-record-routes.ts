import { createHash } from 'node:crypto';
import { WardwatchError, toWardwatchError, type EvidenceService } from '@wardwatch/core';
import type { ServerContext } from '../server/server-context.js';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { renderEvidenceRecordPdf } from './evidence-record-pdf.js';
import { STATION_TIME_ZONE } from './format-station-time.js';

/** What the record route needs of the server. */
export type EvidenceRecordRouteContext = Pick<ServerContext, 'station' | 'evidence' | 'requirePermission' | 'cameraFor' | 'audit'>;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } } } as const;

/**
 * The route of the written record (biên bản) of an evidence export: `GET /evidence/:id/record.pdf`, for users
 * who may export evidence (investigators and admins). The stored package is verified with the station key
 * first; the PDF is rendered from what verified, printed at the station clock's time with local times in
 * `Asia/Ho_Chi_Minh`, and each request is audited as `evidence.record` with the PDF's SHA-256 (or, when the
 * package no longer verifies, the refusal and its reason).
 */
export const evidenceRecordRoutes: StationServerPlugin<EvidenceRecordRouteContext> = async (app, { context: ctx }) => {
  const service = (): EvidenceService => {
    const s = ctx.evidence();
    if (!s) throw new WardwatchError('STATION_NOT_RUNNING', 'Evidence records are unavailable while the station is not running');
    return s;
  };

  app.get<{ Params: { id: string } }>(
    '/evidence/:id/record.pdf',
    {
      schema: {
        tags: ['evidence'],
        summary: 'The written record (biên bản trích xuất) of an evidence export as PDF, printed after the package verifies with the station key (audited `evidence.record`).',
        params: idParams,
      },
      preHandler: ctx.requirePermission('exports.create'),
    },
    async (request, reply) => {
      const evidence = service();
      const record = await evidence.getEvidence(request.params.id);
      ctx.cameraFor(request, record.cameraId);
      const verification = await evidence.verifyEvidence(record.id, { publicKey: await evidence.publicKeyPem() });
      let pdf: Uint8Array;
      try {
        pdf = await renderEvidenceRecordPdf(verification, { printedAt: ctx.station.clock.now(), timeZone: STATION_TIME_ZONE, packageName: `${record.id}.zip` });
      } catch (error) {
        const coded = toWardwatchError(error);
        await ctx.audit(request, 'evidence.record', record.id, { ok: false, code: coded.code, verdict: verification.verdict });
        throw coded;
      }
      const sha256 = createHash('sha256').update(pdf).digest('hex');
      await ctx.audit(request, 'evidence.record', record.id, { ok: true, sha256, bytes: pdf.length });
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="bien-ban-${record.id}.pdf"`)
        .header('x-content-sha256', sha256)
        .send(Buffer.from(pdf));
    },
  );
};
