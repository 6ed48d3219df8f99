import { WardwatchError, OWNERSHIPS, type CameraSpecInput } from '@wardwatch/core';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { cameraSpecFromUrl, type AddByUrlBody } from './camera-spec-from-url.js';
import { cameraView } from './camera-view.js';

/** `POST /cameras`: adds a camera from a full spec or from an ONVIF device URL (host policy checked, audited). */
export const cameraAddRoute: StationServerPlugin = async (app, { context: ctx }) => {
  const { station } = ctx;

  app.post<{ Body: { spec?: CameraSpecInput } & Partial<AddByUrlBody> }>(
    '/cameras',
    {
      schema: {
        tags: ['cameras'],
        summary: 'Adds a camera from a full spec (`spec`) or from an ONVIF device URL found by discovery or typed in.',
        body: {
          type: 'object',
          properties: {
            spec: { type: 'object' },
            id: { type: 'string' },
            name: { type: 'string', minLength: 1, maxLength: 200 },
            onvifUrl: { type: 'string', minLength: 8, maxLength: 500 },
            username: { type: 'string', maxLength: 200 },
            password: { type: 'string', maxLength: 200 },
            ownership: { type: 'string', enum: [...OWNERSHIPS] },
            owner: { type: 'string', maxLength: 200 },
            lat: { type: 'number', minimum: -90, maximum: 90 },
            lon: { type: 'number', minimum: -180, maximum: 180 },
            address: { type: 'string', maxLength: 500 },
            tags: { type: 'array', items: { type: 'string' } },
          },
          additionalProperties: false,
        },
      },
      preHandler: ctx.requirePermission('cameras.manage'),
    },
    async (request, reply) => {
      const body = request.body;
      const input: CameraSpecInput = body.spec ? body.spec : cameraSpecFromUrl(body, ctx.site);
      if (input.id && station.camera(input.id)) throw new WardwatchError('ALREADY_EXISTS', `Camera ${input.id} already exists`);
      const host = (input as { connection?: { host?: unknown } }).connection?.host;
      if (typeof host === 'string') await ctx.cameraHosts?.check(host, body.spec ? 'body.spec.connection.host' : 'body.onvifUrl');
      const camera = await station.addCamera(input);
      await ctx.audit(request, 'camera.add', `camera:${camera.id}`, { host: camera.spec.connection.host });
      return reply.code(201).send(cameraView(camera, undefined));
    },
  );
};
