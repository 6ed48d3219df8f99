import { WardwatchError, OWNERSHIPS, type CameraSpecInput, type DiscoveredCamera, type UptimeSummary } from '@wardwatch/core';
import type { FastifyRequest } from 'fastify';
import { firstValueFrom, takeUntil, timer, toArray } from 'rxjs';
import type { StationServerPlugin } from '../server/station-server-plugin.js';
import { cameraView } from './camera-view.js';
import { idParams } from './schemas.js';

interface AddByUrlBody {
  id?: string;
  name: string;
  onvifUrl: string;
  username?: string;
  password?: string;
  ownership: (typeof OWNERSHIPS)[number];
  owner?: string;
  lat: number;
  lon: number;
  address?: string;
  tags?: string[];
}

const slug = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48) || 'cam';

/** Cameras: list, details, add (spec, ONVIF URL), discovery, enable/disable, remove, snapshot, PTZ. */
export const cameraRoutes: StationServerPlugin = async (app, { context: ctx }) => {
  const { station } = ctx;
  /** The last 24 h of a camera; undefined (logged) when the status history cannot be read. */
  const uptime24h = async (request: FastifyRequest, cameraId: string): Promise<UptimeSummary | undefined> => {
    const now = Date.now();
    try {
      return await station.uptime(cameraId, { from: now - 24 * 3600_000, to: now });
    } catch (error) {
      request.log.warn({ err: error, cameraId }, 'uptime not computed');
      return undefined;
    }
  };

  app.get(
    '/cameras',
    { schema: { tags: ['cameras'], summary: 'Cameras the user may see, with status, stats and 24 h uptime.' }, preHandler: ctx.requirePermission('cameras.view') },
    async (request) => {
      const user = ctx.userOf(request);
      const cameras = (await firstValueFrom(station.cameras$)).filter((c) => ctx.canSeeCamera(user, c.spec)).sort((a, b) => a.id.localeCompare(b.id));
      const items = await Promise.all(cameras.map(async (camera) => cameraView(camera, await uptime24h(request, camera.id))));
      return { items };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/cameras/:id',
    { schema: { tags: ['cameras'], summary: 'One camera.', params: idParams }, preHandler: ctx.requirePermission('cameras.view') },
    async (request) => {
      const camera = ctx.cameraFor(request, request.params.id);
      return cameraView(camera, await uptime24h(request, camera.id));
    },
  );

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
      let input: CameraSpecInput;
      if (body.spec) {
        input = body.spec;
      } else {
        const missing = (['name', 'onvifUrl', 'ownership', 'lat', 'lon'] as const).filter((k) => body[k] === undefined);
        if (missing.length > 0) {
          throw new WardwatchError('INVALID_ARGUMENT', `Invalid request: ${missing.map((k) => `body.${k}: is required`).join('; ')}`, {
            details: { problems: missing.map((k) => ({ path: `body.${k}`, message: 'is required' })) },
          });
        }
        const url = URL.canParse(body.onvifUrl!) ? new URL(body.onvifUrl!) : undefined;
        if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
          throw new WardwatchError('INVALID_ARGUMENT', 'Invalid request: body.onvifUrl: must be an http(s) URL of the ONVIF device service', {
            details: { problems: [{ path: 'body.onvifUrl', message: 'must be an http(s) URL' }] },
          });
        }
        input = {
          id: body.id ?? slug(body.name!),
          name: body.name!,
          site: { ward: ctx.site.ward, station: ctx.site.station },
          location: { lat: body.lat!, lon: body.lon!, ...(body.address ? { address: body.address } : {}) },
          ownership: body.ownership!,
          ...(body.owner ? { owner: body.owner } : {}),
          driver: 'onvif',
          connection: {
            host: url.hostname,
            port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
            ...(body.username ? { username: body.username } : {}),
            ...(body.password ? { password: body.password } : {}),
            options: { path: url.pathname },
          },
          tags: body.tags ?? [],
        };
      }
      if (input.id && station.camera(input.id)) throw new WardwatchError('ALREADY_EXISTS', `Camera ${input.id} already exists`);
      const host = (input as { connection?: { host?: unknown } }).connection?.host;
      if (typeof host === 'string') await ctx.cameraHosts?.check(host, body.spec ? 'body.spec.connection.host' : 'body.onvifUrl');
      const camera = await station.addCamera(input);
      await ctx.audit(request, 'camera.add', `camera:${camera.id}`, { host: camera.spec.connection.host });
      return reply.code(201).send(cameraView(camera, undefined));
    },
  );

  app.patch<{ Params: { id: string }; Body: { enabled?: boolean; name?: string; owner?: string; lat?: number; lon?: number; address?: string } }>(
    '/cameras/:id',
    {
      schema: {
        tags: ['cameras'],
        summary: 'Enables/disables or renames a camera, or moves it on the map.',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            enabled: { type: 'boolean' },
            name: { type: 'string', minLength: 1, maxLength: 200 },
            owner: { type: 'string', maxLength: 200 },
            lat: { type: 'number', minimum: -90, maximum: 90 },
            lon: { type: 'number', minimum: -180, maximum: 180 },
            address: { type: 'string', maxLength: 500 },
          },
        },
      },
      preHandler: ctx.requirePermission('cameras.manage'),
    },
    async (request) => {
      const camera = ctx.cameraFor(request, request.params.id);
      const b = request.body;
      const patch: Partial<CameraSpecInput> = {
        ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.owner !== undefined ? { owner: b.owner } : {}),
        ...(b.lat !== undefined || b.lon !== undefined || b.address !== undefined
          ? { location: { ...camera.spec.location, ...(b.lat !== undefined ? { lat: b.lat } : {}), ...(b.lon !== undefined ? { lon: b.lon } : {}), ...(b.address !== undefined ? { address: b.address } : {}) } }
          : {}),
      };
      const updated = await station.updateCamera(camera.id, patch);
      // a new owner (or a disabled camera) may take live rights away from open views
      ctx.revalidateLive();
      await ctx.audit(request, 'camera.update', `camera:${camera.id}`, { fields: Object.keys(b) });
      return cameraView(updated, await uptime24h(request, updated.id));
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/cameras/:id',
    { schema: { tags: ['cameras'], summary: 'Removes a camera (its recordings stay).', params: idParams }, preHandler: ctx.requirePermission('cameras.manage') },
    async (request, reply) => {
      const camera = ctx.cameraFor(request, request.params.id);
      await station.removeCamera(camera.id);
      ctx.revalidateLive();
      await ctx.audit(request, 'camera.remove', `camera:${camera.id}`);
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { timeoutMs?: number; driver?: string } }>(
    '/cameras/discover',
    {
      schema: {
        tags: ['cameras'],
        summary: 'Runs driver discovery (ONVIF WS-Discovery) and lists what answered, marking cameras already added.',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { timeoutMs: { type: 'integer', minimum: 500, maximum: 15000 }, driver: { type: 'string' }, port: { type: 'integer', minimum: 1, maximum: 65535 }, address: { type: 'string' } },
        },
      },
      preHandler: ctx.requirePermission('cameras.manage'),
    },
    async (request) => {
      const body = (request.body ?? {}) as { timeoutMs?: number; driver?: string; port?: number; address?: string };
      const driver = station.drivers.get(body.driver ?? 'onvif');
      if (!driver?.discover) throw new WardwatchError('CAMERA_UNSUPPORTED', `Driver ${body.driver ?? 'onvif'} has no discovery`);
      const timeoutMs = body.timeoutMs ?? 3000;
      const found: DiscoveredCamera[] = await firstValueFrom(
        driver
          .discover({ timeoutMs, ...(body.port ? { port: body.port } : ctx.discovery?.port ? { port: ctx.discovery.port } : {}), ...(body.address ? { address: body.address } : ctx.discovery?.address ? { address: ctx.discovery.address } : {}) })
          .pipe(takeUntil(timer(timeoutMs + 2000)), toArray()),
      );
      const cameras = await firstValueFrom(station.cameras$);
      const known = new Set(cameras.map((c) => `${c.spec.connection.host}:${c.spec.connection.port ?? 80}`));
      await ctx.audit(request, 'camera.discover', undefined, { found: found.length });
      return { items: found.map((d) => ({ ...d, added: known.has(`${d.host}:${d.port ?? 80}`) })) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/cameras/:id/snapshot',
    { schema: { tags: ['cameras'], summary: 'A JPEG of the current picture.', params: idParams }, preHandler: ctx.requirePermission('live.view') },
    async (request, reply) => {
      const camera = ctx.cameraFor(request, request.params.id);
      const jpeg = await ctx.snapshots.snapshot(camera.id, ctx.actorOf(request), () => camera.snapshot());
      await ctx.audit(request, 'camera.snapshot', `camera:${camera.id}`);
      return reply.type('image/jpeg').header('cache-control', 'no-store').send(Buffer.from(jpeg));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/cameras/:id/live',
    {
      schema: { tags: ['cameras'], summary: 'A signed, expiring WS-FLV URL of the live relay for mpegts.js (audited as a live view).', params: idParams },
      preHandler: ctx.requirePermission('live.view'),
    },
    async (request) => {
      const camera = ctx.cameraFor(request, request.params.id);
      if (!ctx.live) return { available: false, reason: 'live relay not configured' };
      const url = await ctx.live.playUrl(camera.id, { grant: ctx.liveGrants.grant(ctx.sessionOf(request), camera.id) });
      if (!url) return { available: false, reason: 'no live stream for this camera' };
      await ctx.audit(request, 'live.view', `camera:${camera.id}`, { expiresAt: url.expiresAt });
      return { available: true, ...url };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/cameras/:id/ptz',
    { schema: { tags: ['cameras'], summary: 'PTZ position and presets.', params: idParams }, preHandler: ctx.requirePermission('ptz.control') },
    async (request) => {
      const camera = ctx.cameraFor(request, request.params.id);
      const ptz = camera.ptz;
      if (!ptz) throw new WardwatchError('CAMERA_UNSUPPORTED', `Camera ${camera.id} has no PTZ`);
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
      const ptz = camera.ptz;
      if (!ptz) throw new WardwatchError('CAMERA_UNSUPPORTED', `Camera ${camera.id} has no PTZ`);
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
