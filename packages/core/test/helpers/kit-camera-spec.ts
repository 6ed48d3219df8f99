import { parseCameraSpec, type CameraSpec } from '../../src/index.js';

/** The camera spec the driver-kit tests use with the fake driver, on `host`. */
export function kitCameraSpec(host: string): CameraSpec {
  return parseCameraSpec({
    id: 'kit-cam',
    name: 'kit',
    site: { ward: 'w', station: 's' },
    location: { lat: 0, lon: 0 },
    ownership: 'station',
    driver: 'fake',
    connection: { host, username: 'admin', password: 'kit-secret-pw' },
  });
}
