import { startSimulator, type SimCameraOptions } from '@wardwatch/simulator';

/** Light simulator cameras for tests: 320×180 main at 10 fps with a 1 s GOP, small sub stream. */
export function lightCameras(ids: string[]): SimCameraOptions[] {
  return ids.map((id) => ({
    id,
    rtspAuth: 'none' as const,
    main: { width: 320, height: 180, fps: 10, gop: 10, bitrateKbps: 250 },
    sub: { width: 320, height: 180, fps: 5, gop: 10, bitrateKbps: 120 },
  }));
}

/** Starts a simulator with light cameras. */
export function startLightSimulator(ids: string[]) {
  return startSimulator({ cameras: lightCameras(ids) });
}
