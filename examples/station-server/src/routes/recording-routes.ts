import { isAbsolute, relative, resolve } from 'node:path';
import { WardwatchError } from '@wardwatch/core';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { idParams, timestamp } from './schemas.js';

const rangeQuery = {
  type: 'object',
  required: ['from', 'to'],
  additionalProperties: false,
  properties: { from: timestamp, to: timestamp },
} as const;

/** Recordings: segments and gaps of a range (the timeline), playback from a time, segment files with HTTP ranges. */
export const recordingRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  const { storage } = ctx.station;

  app.get<{ Params: { id: string }; Querystring: { from: number; to: number } }>(
    '/cameras/:id/recordings',
    {
      schema: { tags: ['recordings'], summary: 'Segments and gaps of a camera in [from, to) — the day timeline.', params: idParams, querystring: rangeQuery },
      preHandler: ctx.requirePermission('recordings.view'),
    },
    async (request) => {
      const camera = ctx.cameraFor(request, request.params.id);
      const { from, to } = request.query;
      if (!(to > from)) throw new WardwatchError('INVALID_ARGUMENT', 'Invalid request: querystring.to: must be after from', { details: { problems: [{ path: 'querystring.to', message: 'must be after from' }] } });
      if (to - from > 7 * 24 * 3600_000) throw new WardwatchError('INVALID_ARGUMENT', 'Invalid request: a range may cover at most 7 days');
      const [segments, gaps] = await Promise.all([storage.segments.query(camera.id, { from, to }), storage.segments.gaps(camera.id, { from, to }, 2000)]);
      return {
        cameraId: camera.id,
        from,
        to,
        segments: segments.map((s) => ({ start: s.start, end: s.end, bytes: s.bytes, codec: s.codec })),
        gaps: gaps.map((g) => ({ from: g.from, to: g.to })),
        recordedMs: segments.reduce((sum, s) => sum + Math.max(0, Math.min(s.end, to) - Math.max(s.start, from)), 0),
      };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { at: number } }>(
    '/cameras/:id/playback',
    {
      schema: {
        tags: ['recordings'],
        summary: 'Where to play from a time: the segment holding `at` (or the next one), its file URL and the offset. Audited.',
        params: idParams,
        querystring: { type: 'object', required: ['at'], additionalProperties: false, properties: { at: timestamp } },
      },
      preHandler: ctx.requirePermission('recordings.view'),
    },
    async (request) => {
      const camera = ctx.cameraFor(request, request.params.id);
      if (!ctx.recordingsRoot) throw new WardwatchError('RECORDING_UNAVAILABLE', 'This station does not serve recordings');
      const { at } = request.query;
      const found = await storage.segments.query(camera.id, { from: at, to: at + 6 * 3600_000 });
      const segment = found.find((s) => s.end > at);
      if (!segment) throw new WardwatchError('RECORDING_UNAVAILABLE', `No recording of ${camera.id} at or after ${new Date(at).toISOString()}`, { details: { cameraId: camera.id, at } });
      await ctx.audit(request, 'recording.playback', `camera:${camera.id}`, { at, segmentStart: segment.start });
      const next = found[found.indexOf(segment) + 1];
      return {
        cameraId: camera.id,
        segment: { start: segment.start, end: segment.end, bytes: segment.bytes },
        url: `/api/cameras/${encodeURIComponent(camera.id)}/segments/${segment.start}`,
        offsetMs: Math.max(0, at - segment.start),
        ...(next ? { next: { start: next.start, end: next.end } } : {}),
      };
    },
  );

  app.get<{ Params: { id: string; start: number } }>(
    '/cameras/:id/segments/:start',
    {
      schema: {
        tags: ['recordings'],
        summary: 'The MP4 file of one segment (HTTP range requests supported) for a <video> element.',
        params: { type: 'object', required: ['id', 'start'], properties: { id: { type: 'string' }, start: timestamp } },
      },
      preHandler: ctx.requirePermission('recordings.view'),
    },
    async (request, reply) => {
      const camera = ctx.cameraFor(request, request.params.id);
      const root = ctx.recordingsRoot;
      if (!root) throw new WardwatchError('RECORDING_UNAVAILABLE', 'This station does not serve recordings');
      const start = request.params.start;
      const [segment] = (await storage.segments.query(camera.id, { from: start, to: start + 1 })).filter((s) => s.start === start);
      if (!segment) throw new WardwatchError('NOT_FOUND', `No segment of ${camera.id} starts at ${start}`);
      const full = resolve(root, segment.path);
      const rel = relative(root, full);
      if (rel.startsWith('..') || isAbsolute(rel)) throw new WardwatchError('PATH_OUTSIDE_ROOT', 'Segment path is outside the recordings root');
      reply.header('cache-control', 'private, max-age=3600');
      return reply.type('video/mp4').sendFile(rel, root);
    },
  );
};
