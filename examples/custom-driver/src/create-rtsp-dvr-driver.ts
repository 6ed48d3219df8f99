import { ReplaySubject, takeUntil, type Observable } from 'rxjs';
import {
  WardwatchError,
  redactUrl,
  silentLogger,
  toWardwatchError,
  type CameraDriver,
  type CameraSession,
  type CameraSpec,
  type DriverConnectOptions,
  type DriverEvent,
  type FieldProblem,
  type ProbeResult,
} from '@wardwatch/core';
import { withRtspCredentials } from '@wardwatch/core/driver-kit';
import type { DvrConnectionOptions, DvrDriverOptions } from './dvr-driver-options.js';
import { httpSnapshot } from './http-snapshot.js';
import { rtspOptions } from './rtsp-options-probe.js';
import { DVR_URL_TEMPLATES, expandTemplate } from './url-templates.js';

/** Reads and checks this driver's `connection.options`, naming every bad field. */
export function parseDvrOptions(raw: Record<string, unknown>): DvrConnectionOptions {
  const problems: FieldProblem[] = [];
  const brand = raw.brand ?? 'hikvision';
  if (brand !== 'hikvision' && brand !== 'dahua') problems.push({ path: 'brand', message: 'must be "hikvision" or "dahua"' });
  const channel = raw.channel ?? 1;
  if (typeof channel !== 'number' || !Number.isInteger(channel) || channel < 1 || channel > 64) problems.push({ path: 'channel', message: 'must be an integer 1..64' });
  const httpPort = raw.httpPort ?? 80;
  if (typeof httpPort !== 'number' || !Number.isInteger(httpPort) || httpPort < 1 || httpPort > 65535) problems.push({ path: 'httpPort', message: 'must be a port number' });
  for (const key of ['mainPath', 'subPath', 'snapshotPath'] as const) {
    if (raw[key] !== undefined && (typeof raw[key] !== 'string' || !String(raw[key]).startsWith('/'))) problems.push({ path: key, message: 'must be a path starting with "/"' });
  }
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.path} ${p.message}`).join('; ');
    throw new WardwatchError('INVALID_CONFIG', `Invalid rtsp-dvr connection.options: ${list}`, { details: { problems } });
  }
  return {
    brand: brand as DvrConnectionOptions['brand'],
    channel: channel as number,
    httpPort: httpPort as number,
    ...(raw.mainPath ? { mainPath: raw.mainPath as string } : {}),
    ...(raw.subPath ? { subPath: raw.subPath as string } : {}),
    ...(raw.snapshotPath ? { snapshotPath: raw.snapshotPath as string } : {}),
  };
}

function hostPart(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * A {@link CameraDriver} for cheap DVRs/NVRs that speak only RTSP and an HTTP snapshot URL:
 * stream URIs from brand templates, snapshots over HTTP Digest/Basic, health by RTSP OPTIONS.
 * Written only against `@wardwatch/core`'s public API.
 */
export function createRtspDvrDriver(options: DvrDriverOptions = {}): CameraDriver {
  const id = options.id ?? 'rtsp-dvr';
  const timeoutMs = options.timeoutMs ?? 3000;
  return {
    id,
    async connect(spec: CameraSpec, connectOptions?: DriverConnectOptions): Promise<CameraSession> {
      // The station passes its logger for this camera; a logger given to the driver wins.
      const logger = (options.logger ?? connectOptions?.logger ?? silentLogger).child({ cameraId: spec.id, driver: id });
      const dvr = parseDvrOptions(spec.connection.options ?? {});
      const templates = DVR_URL_TEMPLATES[dvr.brand];
      const { host, username, password } = spec.connection;
      const rtspBase = `rtsp://${hostPart(host)}:${spec.connection.port ?? 554}`;
      const mainBare = rtspBase + (dvr.mainPath ?? expandTemplate(templates.main, dvr.channel));
      const subBare = rtspBase + (dvr.subPath ?? expandTemplate(templates.sub, dvr.channel));
      const snapshotUri = `http://${hostPart(host)}:${dvr.httpPort}${dvr.snapshotPath ?? expandTemplate(templates.snapshot, dvr.channel)}`;
      if (connectOptions?.signal?.aborted) throw new WardwatchError('CANCELLED', `Connecting ${spec.id} was cancelled`);
      // One OPTIONS round trip proves the device is there before the station starts pulling.
      try {
        await rtspOptions(mainBare, timeoutMs);
      } catch (error) {
        throw toWardwatchError(error, 'CAMERA_UNREACHABLE', { cameraId: spec.id });
      }
      logger.info({ main: redactUrl(mainBare), sub: redactUrl(subBare) }, 'rtsp-dvr camera connected');

      const closed$ = new ReplaySubject<void>(1);
      let closed = false;
      const events$: Observable<DriverEvent> = new ReplaySubject<DriverEvent>(0).pipe(takeUntil(closed$));
      const session: CameraSession = {
        streams: { main: { uri: withRtspCredentials(mainBare, username, password) }, sub: { uri: withRtspCredentials(subBare, username, password) } },
        snapshotUri,
        events$,
        snapshot: () => httpSnapshot(snapshotUri, { ...(username ? { username } : {}), ...(password ? { password } : {}) }, timeoutMs),
        async probe(): Promise<ProbeResult> {
          const started = performance.now();
          try {
            const answer = await rtspOptions(mainBare, timeoutMs);
            const ok = (answer.status >= 200 && answer.status < 300) || answer.status === 401;
            return { ok, latencyMs: Math.round(performance.now() - started), ...(ok ? {} : { cause: `RTSP ${answer.status}` }) };
          } catch (error) {
            return { ok: false, latencyMs: Math.round(performance.now() - started), cause: toWardwatchError(error).code };
          }
        },
        async close(): Promise<void> {
          if (closed) return;
          closed = true;
          closed$.next();
          closed$.complete();
        },
      };
      return session;
    },
  };
}
