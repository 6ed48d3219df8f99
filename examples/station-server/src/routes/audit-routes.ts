import type { StationServerPlugin } from '../server/station-server-plugin.js';

/** The hash-chained audit log (admin only): recent entries and chain verification. */
export const auditRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  const { audit } = ctx.station.storage;

  app.get<{ Querystring: { fromSeq?: number; limit?: number; action?: string } }>(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit entries in sequence order from `fromSeq`, optionally only one action.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { fromSeq: { type: 'integer', minimum: 1 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 }, action: { type: 'string' } },
        },
      },
      preHandler: ctx.requirePermission('audit.view'),
    },
    async (request) => {
      const { fromSeq, limit, action } = request.query;
      const entries = await audit.list({ ...(fromSeq ? { fromSeq } : {}), limit: limit ?? 200 });
      return { items: action ? entries.filter((e) => e.action === action) : entries };
    },
  );

  app.get('/audit/verify', { schema: { tags: ['audit'], summary: 'Re-hashes the whole audit chain.' }, preHandler: ctx.requirePermission('audit.view') }, async () => audit.verify());
};
