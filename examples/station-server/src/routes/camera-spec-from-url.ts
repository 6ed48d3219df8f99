import { WardwatchError, type CameraSpecInput, type OWNERSHIPS } from '@wardwatch/core';

/** The body of `POST /cameras` that adds an ONVIF camera from its device URL (instead of a full spec). */
export interface AddByUrlBody {
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

/**
 * The camera spec of an ONVIF device added by URL, on the server's ward and station; its id is the given one or
 * a slug of the name. Throws `INVALID_ARGUMENT` naming each missing field, or a URL that is not http(s).
 */
export function cameraSpecFromUrl(body: Partial<AddByUrlBody>, site: { ward: string; station: string }): CameraSpecInput {
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
  return {
    id: body.id ?? slug(body.name!),
    name: body.name!,
    site: { ward: site.ward, station: site.station },
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
