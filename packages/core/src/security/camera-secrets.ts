import { WardwatchError } from '../errors/wardwatch-error.js';
import type { CameraSpec } from '../model/camera-spec.js';
import { isSealedSecret, type SecretBox } from './secret-box.js';

/** The credential fields of a {@link CameraSpec} that are stored sealed (dotted paths). */
export const CAMERA_SECRET_FIELDS = ['connection.password'] as const;

/** The associated data a camera secret is sealed with: binds the ciphertext to its camera and field. */
export function cameraSecretContext(cameraId: string, field: (typeof CAMERA_SECRET_FIELDS)[number]): string {
  return `wardwatch/camera/${cameraId}/${field}`;
}

/** A camera spec as stored: every {@link CAMERA_SECRET_FIELDS} value sealed by `box` (unchanged without a box). */
export async function sealCameraSecrets(spec: CameraSpec, box: SecretBox | undefined): Promise<CameraSpec> {
  const password = spec.connection.password;
  if (!box || password === undefined) return spec;
  return { ...spec, connection: { ...spec.connection, password: await box.seal(password, cameraSecretContext(spec.id, 'connection.password')) } };
}

/** A stored camera spec with its secrets decrypted, and whether one was legacy plain text (to be sealed again). */
export interface OpenedCameraSpec {
  spec: CameraSpec;
  /** A secret was stored in plain text (written before encryption was configured). */
  legacy: boolean;
}

/**
 * Decrypts the sealed secrets of a stored camera spec. A sealed value that does not open, or a sealed value without a
 * box to open it, throws `SECRET_UNREADABLE`: never an empty password.
 */
export async function openCameraSecrets(stored: CameraSpec, box: SecretBox | undefined): Promise<OpenedCameraSpec> {
  const password = stored.connection.password;
  if (password === undefined || !isSealedSecret(password)) return { spec: stored, legacy: password !== undefined && box !== undefined };
  if (!box) {
    throw new WardwatchError('SECRET_UNREADABLE', `The stored password of camera "${stored.id}" is encrypted, but the station has no secret key (createStation({ secrets }))`, {
      details: { cameraId: stored.id },
    });
  }
  try {
    return { spec: { ...stored, connection: { ...stored.connection, password: await box.open(password, cameraSecretContext(stored.id, 'connection.password')) } }, legacy: false };
  } catch (error) {
    if (error instanceof WardwatchError && error.code === 'SECRET_UNREADABLE') {
      throw new WardwatchError('SECRET_UNREADABLE', `The stored password of camera "${stored.id}" cannot be decrypted: wrong station secret key, or the record was altered`, {
        cause: error,
        details: { cameraId: stored.id },
      });
    }
    throw error;
  }
}
