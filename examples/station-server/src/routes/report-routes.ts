import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { timestamp } from './schemas.js';

/** Incident reports by period, category, outcome, station and camera ownership. */
export const reportRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  app.get<{ Querystring: { period?: 'day' | 'week' | 'month' | 'quarter' | 'year'; from?: number; to?: number; utcOffset?: string } }>(
    '/reports/incidents',
    {
      schema: {
        tags: ['reports'],
        summary: 'Incident report: totals and per-period rows by category, outcome, status, station and ownership.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            period: { type: 'string', enum: ['day', 'week', 'month', 'quarter', 'year'] },
            from: timestamp,
            to: timestamp,
            utcOffset: { type: 'string', pattern: '^[+-]\\d{2}:\\d{2}$' },
          },
        },
      },
      preHandler: ctx.requirePermission('reports.view'),
    },
    async (request) => {
      const report = await ctx.station.reports.incidents({ ...request.query } as never);
      await ctx.audit(request, 'report.view', 'report:incidents', { ...request.query });
      return report;
    },
  );
};
