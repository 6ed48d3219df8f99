import { parseCameraSpec, type CameraSpec } from '@wardwatch/core';

/** An ONVIF camera spec for a local test device on `port`. */
export function localSpec(
  port: number,
  password: string,
  options: Record<string, unknown> = {},
  extra: { id?: string; host?: string; streamHosts?: string[] } = {},
): CameraSpec {
  return parseCameraSpec({
    id: extra.id ?? 'cam-1',
    name: 'Test camera',
    site: { ward: 'W1', station: 'S1' },
    location: { lat: 21, lon: 105 },
    ownership: 'station',
    driver: 'onvif',
    connection: { host: extra.host ?? '127.0.0.1', port, username: 'admin', password, options, ...(extra.streamHosts ? { streamHosts: extra.streamHosts } : {}) },
  });
}
