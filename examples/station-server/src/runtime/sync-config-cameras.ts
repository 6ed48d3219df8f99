import { isWardwatchError, type CameraSpec, type Station } from '@wardwatch/core';

/**
 * Adds the config file's cameras to the station, or brings a stored one up to date, through the station (validated,
 * persisted and announced as `camera.added` / `camera.updated`); cameras added through the API stay.
 */
export async function syncConfigCameras(station: Station, cameras: readonly CameraSpec[]): Promise<void> {
  for (const spec of cameras) {
    try {
      await station.addCamera(spec);
    } catch (error) {
      if (!isWardwatchError(error, 'ALREADY_EXISTS')) throw error;
      await station.updateCamera(spec.id, spec);
    }
  }
}
