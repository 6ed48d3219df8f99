import type { CameraDriver, CameraSession, CameraSpec, DiscoverOptions, DiscoveredCamera, DriverConnectOptions } from '@wardwatch/core';
import type { Observable } from 'rxjs';
import { discoverOnvif } from './discover-onvif.js';
import type { OnvifDriverOptions } from './onvif-driver-options.js';
import { openOnvifSession } from './onvif-session.js';
import { resolveOnvifOptions } from './resolve-onvif-options.js';

/**
 * Creates the ONVIF {@link CameraDriver}: WS-Discovery, connect (streams, snapshot, PTZ, events, probe). A session
 * logs through the station's logger that `connect` receives, unless the driver was given its own `logger`.
 */
export function createOnvifDriver(options: OnvifDriverOptions = {}): CameraDriver {
  const resolved = resolveOnvifOptions(options);
  return {
    id: resolved.id,
    discover(discoverOptions?: DiscoverOptions): Observable<DiscoveredCamera> {
      return discoverOnvif(discoverOptions, { driverId: resolved.id, clock: resolved.clock, logger: resolved.logger });
    },
    connect(spec: CameraSpec, connectOptions?: DriverConnectOptions): Promise<CameraSession> {
      const stationLogger = options.logger === undefined ? connectOptions?.logger : undefined;
      return openOnvifSession(spec, stationLogger ? { ...resolved, logger: stationLogger } : resolved, connectOptions?.signal);
    },
  };
}
