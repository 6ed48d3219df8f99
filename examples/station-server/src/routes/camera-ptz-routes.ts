import { WardwatchError, type Camera, type PtzControl } from '@wardwatch/core';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { idParams } from './schemas.js';

/** The PTZ control of a camera; `CAMERA_UNSUPPORTED` when it has none. */
const ptzOf = (camera: Camera): PtzControl => {
  const ptz = camera.ptz;
  if (!ptz) throw new WardwatchError('CAMERA_UNSUPPORTED', `Camera ${camera.id} has no PTZ`);
  return ptz;
};

/** PTZ of a camera: position and presets, and moves (continuous/relative/absolute, stop, home, presets; audited). */
export const cameraPtzRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  app.get<{ Params: { id: string } }>(
    '/cameras/:id/ptz',
    { schema: { tags: ['cameras'], summary: 'PTZ position and presets.', params: idParams }, preHandler: ctx.requirePermission('ptz.control') },
    async (request) => {
      const camera = ctx.cameraFor(request, request.params.id);
      const ptz = ptzOf(camera);
      // Either half may fail on a flaky device: the other is still shown, the failure is logged with the camera.
      const logged = <T>(what: string, fallback: T) => (error: unknown): T => {
        request.log.warn({ err: error, cameraId: camera.id }, `PTZ ${what} not read`);
        return fallback;
      };
      const [position, presets] = await Promise.all([ptz.position().catch(logged('position', {})), ptz.presets().catch(logged('presets', []))]);
      return { position, presets };
    },
  );

  app.post<{ Params: { id: string }; Body: { action: string; pan?: number; tilt?: number; zoom?: number; timeoutMs?: number; preset?: string; name?: string } }>(
    '/cameras/:id/ptz',
    {
      schema: {
        tags: ['cameras'],
        summary: 'Moves the camera: continuous/relative/absolute move, stop, home, preset.',
        params: idParams,
        body: {
          type: 'object',
          required: ['action'],
          additionalProperties: false,
          properties: {
            action: { type: 'string', enum: ['move', 'relative', 'absolute', 'stop', 'home', 'goto-preset', 'set-preset'] },
            pan: { type: 'number', minimum: -1, maximum: 1 },
            tilt: { type: 'number', minimum: -1, maximum: 1 },
            zoom: { type: 'number', minimum: -1, maximum: 1 },
            timeoutMs: { type: 'integer', minimum: 100, maximum: 10000 },
            preset: { type: 'string', maxLength: 64 },
            name: { type: 'string', maxLength: 64 },
          },
        },
      },
      preHandler: ctx.requirePermission('ptz.control'),
    },
    async (request) => {
      const camera = ctx.cameraFor(request, request.params.id);
      const ptz = ptzOf(camera);
      const b = request.body;
      const vector = { ...(b.pan !== undefined ? { pan: b.pan } : {}), ...(b.tilt !== undefined ? { tilt: b.tilt } : {}), ...(b.zoom !== undefined ? { zoom: b.zoom } : {}) };
      let result: unknown = undefined;
      switch (b.action) {
        case 'move':
          await ptz.continuousMove(vector, b.timeoutMs ?? 1000);
          break;
        case 'relative':
          await ptz.relativeMove(vector);
          break;
        case 'absolute':
          await ptz.absoluteMove(vector);
          break;
        case 'stop':
          await ptz.stop();
          break;
        case 'home':
          await ptz.home();
          break;
        case 'goto-preset':
          if (!b.preset) throw new WardwatchError('INVALID_ARGUMENT', 'Invalid request: body.preset: is required for goto-preset');
          await ptz.gotoPreset(b.preset);
          break;
        case 'set-preset':
          result = await ptz.setPreset(b.name ?? 'preset');
          break;
      }
      await ctx.audit(request, 'camera.ptz', `camera:${camera.id}`, { action: b.action, ...vector });
      return { ok: true, ...(result !== undefined ? { preset: result } : {}) };
    },
  );
};
