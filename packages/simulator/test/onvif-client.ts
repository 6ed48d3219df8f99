import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The real `onvif` npm client, loosely typed for tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OnvifCam = any;

const onvif = require('onvif') as { Cam: new (options: Record<string, unknown>, cb: (err: Error | null) => void) => OnvifCam };

/** Connects the real `onvif` client; rejects on error. */
export function connectOnvif(options: { hostname: string; port: number; username: string; password: string; useWSSecurity?: boolean; timeout?: number }): Promise<OnvifCam> {
  return new Promise((resolve, reject) => {
    const cam: OnvifCam = new onvif.Cam({ timeout: 15_000, ...options }, (err) => (err ? reject(err) : resolve(cam)));
  });
}

/** Calls a callback-style method of the `onvif` client as a promise. */
export function call<T = unknown>(cam: OnvifCam, method: string, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    cam[method](...args, (err: Error | null, data: T) => (err ? reject(err) : resolve(data)));
  });
}
