import { createReadStream } from 'node:fs';
import { WardwatchError, type SightingQuery, type WatchlistEntry, type WatchlistEntryInput, type WatchlistEntryPatch } from '@wardwatch/core';
import type { Permission } from '../auth/roles.js';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { timestamp } from './schemas.js';

/**
 * The permission sightings search and watchlists require: investigators and admins hold it, duty officers and viewers
 * do not (investigation is extraction work, granted with evidence export).
 */
const INVESTIGATE: Permission = 'exports.create';

const entryId = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' } as const;
const entryParams = { type: 'object', required: ['id'], properties: { id: entryId } } as const;
const cameraList = { type: 'array', maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 64 } } as const;
const embeddings = { type: 'array', minItems: 1, maxItems: 32, items: { type: 'array', minItems: 1, maxItems: 2048, items: { type: 'number' } } } as const;
const editable = {
  label: { type: 'string', minLength: 1, maxLength: 200 },
  reason: { type: 'string', minLength: 1, maxLength: 1000 },
  plate: { type: 'string', minLength: 1, maxLength: 64 },
  embeddings,
} as const;

/** An entry as the API shows it: face descriptors are counted, not sent. */
function publicEntry(entry: WatchlistEntry): Omit<WatchlistEntry, 'embeddings'> & { embeddings?: number } {
  const { embeddings: list, ...rest } = entry;
  return list === undefined ? rest : { ...rest, embeddings: list.length };
}

/**
 * Sightings search (plate exact or partial, watchlist entry, cameras, time range, paging) with the plate crops, and
 * watchlist CRUD (wanted vehicles and faces). Investigators and admins only; the station audits every search and
 * every change with the user as operator. A malformed plate pattern answers 400 `PLATE_PATTERN_INVALID` naming the
 * rule in `details.rule`.
 */
export const sightingRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  const { sightings, watchlists } = ctx.station;

  app.get<{ Querystring: { plate?: string; entryId?: string; kind?: 'plate' | 'face'; cameraIds?: string; from?: number; to?: number; after?: string; limit?: number } }>(
    '/sightings',
    {
      schema: {
        tags: ['sightings'],
        summary: 'Plate reads and face matches: by plate (29A-123.45, 29A-1??.45, *123.45), watchlist entry, cameras and time; audited.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            plate: { type: 'string', maxLength: 64 },
            entryId,
            kind: { type: 'string', enum: ['plate', 'face'] },
            cameraIds: { type: 'string', maxLength: 10_000, description: 'comma-separated camera ids' },
            from: timestamp,
            to: timestamp,
            after: { type: 'string', maxLength: 64 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
      },
      preHandler: ctx.requirePermission(INVESTIGATE),
    },
    async (request) => {
      const { cameraIds, ...rest } = request.query;
      const query: SightingQuery = { ...rest, ...(cameraIds === undefined ? {} : { cameraIds: cameraIds.split(',').filter((c) => c !== '') }) };
      const page = await sightings.search(query, ctx.actorOf(request));
      return { items: page.items, ...(page.next ? { next: page.next } : {}) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/sightings/:id/crop',
    {
      schema: { tags: ['sightings'], summary: 'The JPEG crop of a plate read.', params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^\\d{15}-\\d{12}$' } } } },
      preHandler: ctx.requirePermission(INVESTIGATE),
    },
    async (request, reply) => {
      const sighting = await sightings.get(request.params.id);
      const path = sighting?.crop ? sightings.cropPath(sighting.crop) : undefined;
      if (!sighting || !path) throw new WardwatchError('NOT_FOUND', `Sighting ${request.params.id} has no crop`, { details: {} });
      return reply.type('image/jpeg').header('cache-control', 'private, max-age=3600').send(createReadStream(path));
    },
  );

  app.get<{ Querystring: { kind?: 'plate' | 'face'; active?: boolean } }>(
    '/watchlist',
    {
      schema: {
        tags: ['watchlist'],
        summary: 'Watchlist entries (face descriptors counted, not sent).',
        querystring: { type: 'object', additionalProperties: false, properties: { kind: { type: 'string', enum: ['plate', 'face'] }, active: { type: 'boolean' } } },
      },
      preHandler: ctx.requirePermission(INVESTIGATE),
    },
    async (request) => ({ items: (await watchlists.list(request.query)).map(publicEntry) }),
  );

  app.post<{ Body: WatchlistEntryInput }>(
    '/watchlist',
    {
      schema: {
        tags: ['watchlist'],
        summary: 'Adds a wanted plate/pattern or a face entry; audited.',
        body: {
          type: 'object',
          required: ['kind', 'label', 'reason'],
          additionalProperties: false,
          properties: { id: entryId, kind: { type: 'string', enum: ['plate', 'face'] }, ...editable, caseId: { type: 'string', minLength: 1, maxLength: 200 }, expiresAt: timestamp, cameras: cameraList },
        },
      },
      preHandler: ctx.requirePermission(INVESTIGATE),
    },
    async (request, reply) => reply.code(201).send(publicEntry(await watchlists.add(request.body, ctx.actorOf(request)))),
  );

  app.patch<{ Params: { id: string }; Body: WatchlistEntryPatch }>(
    '/watchlist/:id',
    {
      schema: {
        tags: ['watchlist'],
        summary: 'Changes an entry (null clears case, expiry or cameras); audited.',
        params: entryParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...editable,
            caseId: { type: ['string', 'null'], minLength: 1, maxLength: 200 },
            expiresAt: { type: ['integer', 'null'], minimum: 0 },
            cameras: { type: ['array', 'null'], maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 64 } },
          },
        },
      },
      preHandler: ctx.requirePermission(INVESTIGATE),
    },
    async (request) => publicEntry(await watchlists.update(request.params.id, request.body, ctx.actorOf(request))),
  );

  app.delete<{ Params: { id: string } }>(
    '/watchlist/:id',
    { schema: { tags: ['watchlist'], summary: 'Removes an entry; audited.', params: entryParams }, preHandler: ctx.requirePermission(INVESTIGATE) },
    async (request, reply) => {
      await watchlists.remove(request.params.id, ctx.actorOf(request));
      return reply.code(204).send();
    },
  );
};
