import type { CameraDriver, CameraSession, CameraSpec, DiscoverOptions, DiscoveredCamera } from '@wardwatch/core';
import type { Observable } from 'rxjs';
import { discoverOnvif } from './discover-onvif.js';
import type { OnvifDriverOptions } from './onvif-driver-options.js';
import { connectOnvif } from './onvif-session.js';

/** Creates the ONVIF {@link CameraDriver}: WS-Discovery, connect (streams, snapshot, PTZ, events, probe). */
export function createOnvifDriver(options: OnvifDriverOptions = {}): CameraDriver {
  const id = options.id ?? 'onvif';
  return {
    id,
    discover(discoverOptions?: DiscoverOptions): Observable<DiscoveredCamera> {
      return discoverOnvif(discoverOptions, {
        driverId: id,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
      });
    },
    connect(spec: CameraSpec, connectOptions?: { signal?: AbortSignal }): Promise<CameraSession> {
      return connectOnvif(spec, { ...options, id }, connectOptions?.signal);
    },
  };
}
