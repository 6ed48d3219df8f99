import type { CameraSpec, StreamUriPolicy } from '@wardwatch/core';

/** The hosts a camera's stream URIs may point at: its own `connection.host` and the admin's `connection.streamHosts`. */
export function streamPolicyOf(camera: Pick<CameraSpec, 'connection'>): StreamUriPolicy {
  return { cameraHost: camera.connection.host, allowedHosts: camera.connection.streamHosts ?? [] };
}
