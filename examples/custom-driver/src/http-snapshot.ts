import { WardwatchError } from '@wardwatch/core';
import { httpGet } from '@wardwatch/core/driver-kit';

/**
 * GETs a JPEG over HTTP with the driver kit's `httpGet` (deadline, size cap, Digest/Basic answered with the camera
 * credentials, failures as coded errors); the body must start with the JPEG SOI marker.
 */
export async function httpSnapshot(
  uri: string,
  credentials: { username?: string; password?: string },
  timeoutMs: number,
  maxBytes = 8 * 1024 * 1024,
): Promise<Uint8Array> {
  const { body } = await httpGet(uri, { credentials, timeoutMs, maxBytes, operation: 'snapshot' });
  if (body.length < 4 || body[0] !== 0xff || body[1] !== 0xd8) {
    throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `Snapshot from ${new URL(uri).host} is not a JPEG (${body.length} bytes)`, {
      details: { operation: 'snapshot', bytes: body.length },
    });
  }
  return new Uint8Array(body);
}
