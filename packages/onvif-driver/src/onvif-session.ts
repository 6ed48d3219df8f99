import { ReplaySubject, defer, share, takeUntil, type Observable } from 'rxjs';
import {
  WardwatchError,
  isWardwatchError,
  redactUrl,
  silentLogger,
  systemClock,
  toWardwatchError,
  type CameraSession,
  type CameraSpec,
  type Clock,
  type DeviceInfo,
  type DriverEvent,
  type Logger,
  type ProbeResult,
  type PtzControl,
  type StreamInfo,
} from '@wardwatch/core';
import { debounceDriverEvents } from './debounce-driver-events.js';
import { EVENT_TOPIC_TABLE } from './event-topics.js';
import { fetchSnapshot } from './fetch-snapshot.js';
import { rewriteMediaHost, withCredentials, withoutCredentials } from './media-uri.js';
import { OnvifCam, type OnvifProfile } from './onvif-cam.js';
import type { OnvifDriverOptions } from './onvif-driver-options.js';
import { OnvifPtz } from './onvif-ptz.js';
import { pullPointEvents } from './pull-point-events.js';
import { selectProfiles } from './select-profiles.js';
import { SoapClient, soapEnvelope, type OnvifAuthScheme } from './soap-client.js';
import { GET_SYSTEM_DATE_AND_TIME, parseSystemDateAndTime } from './system-date-and-time.js';

const AUTH_SCHEMES: readonly OnvifAuthScheme[] = ['auto', 'ws-security', 'digest', 'none'];

/** Everything learnt about a camera while connecting (what the CLI prints). */
export interface OnvifConnectInfo {
  deviceUrl: string;
  services: Record<string, string | undefined>;
  profiles: OnvifProfile[];
  mainProfile: string;
  subProfile?: string;
  hasEvents: boolean;
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function optionString(options: Record<string, unknown>, key: string): string | undefined {
  const value = options[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A connected ONVIF camera. */
export class OnvifSession implements CameraSession {
  readonly streams: { main: StreamInfo; sub?: StreamInfo };
  readonly device?: DeviceInfo;
  readonly snapshotUri?: string;
  readonly ptz?: PtzControl;
  readonly events$: Observable<DriverEvent>;
  /** Connection facts (service addresses, profiles). */
  readonly info: OnvifConnectInfo;
  private offset: number;
  private closed = false;
  private readonly closed$ = new ReplaySubject<void>(1);
  private readonly pending = new Set<Promise<void>>();

  /** @internal */
  constructor(
    private readonly ctx: {
      soap: SoapClient;
      spec: CameraSpec;
      clock: Clock;
      logger: Logger;
      options: OnvifDriverOptions;
      timeNeedsAuth: boolean;
      clockOffsetMs: number;
    },
    parts: {
      streams: { main: StreamInfo; sub?: StreamInfo };
      device?: DeviceInfo;
      snapshotUri?: string;
      ptz?: PtzControl;
      eventsUrl?: string;
      info: OnvifConnectInfo;
    },
  ) {
    this.offset = ctx.clockOffsetMs;
    this.streams = parts.streams;
    if (parts.device) this.device = parts.device;
    if (parts.snapshotUri) this.snapshotUri = parts.snapshotUri;
    if (parts.ptz) this.ptz = parts.ptz;
    this.info = parts.info;
    const ev = ctx.options.events ?? {};
    const eventsUrl = parts.eventsUrl;
    this.events$ =
      eventsUrl && ev.enabled !== false
        ? defer(() =>
            pullPointEvents({
              soap: ctx.soap,
              eventsUrl,
              deviceUrl: parts.info.deviceUrl,
              clock: ctx.clock,
              logger: ctx.logger,
              clockOffsetMs: () => this.offset,
              callTimeoutMs: ctx.options.timeoutMs ?? 5000,
              table: ctx.options.topicTable ?? EVENT_TOPIC_TABLE,
              track: (work) => {
                this.pending.add(work);
                void work.finally(() => this.pending.delete(work));
              },
              timing: {
                pullTimeoutMs: ev.pullTimeoutMs ?? 5000,
                terminationMs: ev.terminationMs ?? 60_000,
                retryMinMs: ev.retryMinMs ?? 1000,
                retryMaxMs: ev.retryMaxMs ?? 15_000,
                silentResubscribeMs: ev.silentResubscribeMs ?? 600_000,
              },
            }),
          ).pipe(debounceDriverEvents(ev.motionHoldMs ?? 20_000, ctx.clock), takeUntil(this.closed$), share())
        : new ReplaySubject<DriverEvent>(0).pipe(takeUntil(this.closed$));
  }

  /** Camera clock minus station clock, ms, as last measured (connect or probe). */
  get clockOffsetMs(): number {
    return this.offset;
  }

  /** Fetches a JPEG snapshot over HTTP with Digest/Basic auth. */
  async snapshot(): Promise<Uint8Array> {
    this.assertOpen('snapshot');
    if (!this.snapshotUri) {
      throw new WardwatchError('CAMERA_UNSUPPORTED', `Camera ${this.ctx.spec.id} has no snapshot URI`, {
        details: { cameraId: this.ctx.spec.id, operation: 'GetSnapshot' },
      });
    }
    const { username, password } = this.ctx.spec.connection;
    return fetchSnapshot(this.snapshotUri, {
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      timeoutMs: this.ctx.options.timeoutMs ?? 5000,
      maxBytes: this.ctx.options.maxSnapshotBytes ?? 8 * 1024 * 1024,
    });
  }

  /** GetSystemDateAndTime round trip: cheap, and refreshes the clock offset. */
  async probe(): Promise<ProbeResult> {
    const started = performance.now();
    try {
      this.assertOpen('probe');
      const measured = await measureClock(this.ctx.soap, this.info.deviceUrl, this.ctx.clock, this.ctx.timeNeedsAuth, this.ctx.options.probeTimeoutMs ?? 3000);
      this.offset = measured.offsetMs;
      return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch (error) {
      const coded = toWardwatchError(error, 'CAMERA_PROTOCOL_ERROR');
      return { ok: false, latencyMs: Math.round((performance.now() - started) * 10) / 10, cause: coded.code };
    }
  }

  /** Ends the event subscription and marks the session closed. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closed$.next();
    this.closed$.complete();
    // The aborted pull settles on the next turn and starts its Unsubscribe (bounded by a 2 s deadline): wait for it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await Promise.allSettled([...this.pending]);
  }

  private assertOpen(operation: string): void {
    if (this.closed) {
      throw new WardwatchError('INVALID_STATE', `Session of camera ${this.ctx.spec.id} is closed`, { details: { cameraId: this.ctx.spec.id, operation } });
    }
  }
}

/** Measures camera-minus-station clock offset from GetSystemDateAndTime (midpoint of the round trip). */
export async function measureClock(
  soap: SoapClient,
  deviceUrl: string,
  clock: Clock,
  authenticate: boolean,
  timeoutMs?: number,
  signal?: AbortSignal,
): Promise<{ offsetMs: number; needsAuth: boolean }> {
  const once = async (auth: boolean) => {
    const t0 = clock.now();
    const { body } = await soap.call(deviceUrl, soapEnvelope(GET_SYSTEM_DATE_AND_TIME), 'GetSystemDateAndTime', {
      authenticate: auth,
      action: 'http://www.onvif.org/ver10/device/wsdl/GetSystemDateAndTime',
      ...(timeoutMs ? { timeoutMs } : {}),
      ...(signal ? { signal } : {}),
    });
    const t1 = clock.now();
    // ONVIF reports whole seconds (truncated): the camera's true time lies in [T, T + 1 s), so the
    // unbiased estimate is T + 500 ms, giving an offset within ±0.5 s plus half the round trip.
    const camera = parseSystemDateAndTime(body, deviceUrl) + 500;
    return Math.round(camera - (t0 + t1) / 2);
  };
  if (authenticate) return { offsetMs: await once(true), needsAuth: true };
  try {
    return { offsetMs: await once(false), needsAuth: false };
  } catch (error) {
    if (isWardwatchError(error, 'CAMERA_AUTH_FAILED')) return { offsetMs: await once(true), needsAuth: true };
    throw error;
  }
}

/** Connects to an ONVIF camera described by `spec` and returns its session. */
export async function connectOnvif(spec: CameraSpec, options: OnvifDriverOptions, signal?: AbortSignal): Promise<OnvifSession> {
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ cameraId: spec.id, driver: options.id ?? 'onvif' });
  const { host, username, password } = spec.connection;
  const extra = spec.connection.options ?? {};
  const port = spec.connection.port ?? 80;
  const path = optionString(extra, 'path') ?? '/onvif/device_service';
  const deviceUrl = `http://${hostForUrl(host)}:${port}${path.startsWith('/') ? path : `/${path}`}`;
  const authOption = optionString(extra, 'auth') ?? options.auth ?? 'auto';
  if (!AUTH_SCHEMES.includes(authOption as OnvifAuthScheme)) {
    throw new WardwatchError('INVALID_CONFIG', `connection.options.auth must be one of ${AUTH_SCHEMES.join(', ')}`, {
      details: { cameraId: spec.id, field: 'connection.options.auth', value: authOption },
    });
  }
  const timeoutMs = options.timeoutMs ?? 5000;
  let offsetMs = 0;
  const soap = new SoapClient({
    ...(username ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    auth: authOption as OnvifAuthScheme,
    timeoutMs,
    maxBytes: options.maxResponseBytes ?? 2 * 1024 * 1024,
    cameraNow: () => clock.now() + offsetMs,
    logger,
  });
  const check = (): void => {
    if (signal?.aborted) throw new WardwatchError('CANCELLED', `Connecting camera ${spec.id} was cancelled`, { details: { cameraId: spec.id } });
  };
  const address = redactUrl(deviceUrl);
  try {
    check();
    const measured = await measureClock(soap, deviceUrl, clock, false, timeoutMs, signal);
    offsetMs = measured.offsetMs;
    if (Math.abs(offsetMs) > 5000) logger.warn({ address, clockOffsetMs: offsetMs }, 'camera clock differs from station clock');
    check();
    const cam = new OnvifCam({ deviceUrl, soap, timeoutMs });
    const services = await cam.loadCapabilities();
    check();
    let device: DeviceInfo | undefined;
    try {
      const info = await cam.deviceInformation();
      device = {
        ...(info.manufacturer ? { manufacturer: info.manufacturer } : {}),
        ...(info.model ? { model: info.model } : {}),
        ...(info.firmwareVersion ? { firmware: info.firmwareVersion } : {}),
        ...(info.serialNumber ? { serial: info.serialNumber } : {}),
        ...(info.hardwareId ? { hardwareId: info.hardwareId } : {}),
      };
    } catch (error) {
      if (!isWardwatchError(error, 'CAMERA_SOAP_FAULT') && !isWardwatchError(error, 'CAMERA_UNSUPPORTED')) throw error;
      logger.warn({ address, code: error.code }, 'GetDeviceInformation failed; continuing without device identity');
    }
    check();
    const profiles = await cam.profiles();
    const mainPref = optionString(extra, 'mainProfile');
    const subPref = optionString(extra, 'subProfile');
    const selected = selectProfiles(profiles, { ...(mainPref ? { main: mainPref } : {}), ...(subPref ? { sub: subPref } : {}) }, address);
    const internalHosts = cam.reportedHosts;
    const streamOf = async (profile: OnvifProfile): Promise<StreamInfo> => {
      const reported = await cam.streamUri(profile.token);
      const uri = withCredentials(rewriteMediaHost(reported, host, internalHosts, address), username, password);
      return {
        uri,
        ...(profile.encoding ? { codec: profile.encoding } : {}),
        ...(profile.width !== undefined ? { width: profile.width } : {}),
        ...(profile.height !== undefined ? { height: profile.height } : {}),
        ...(profile.fps !== undefined ? { fps: profile.fps } : {}),
      };
    };
    const main = await streamOf(selected.main);
    const sub = selected.sub ? await streamOf(selected.sub) : undefined;
    check();
    let snapshotUri: string | undefined;
    try {
      snapshotUri = withoutCredentials(rewriteMediaHost(await cam.snapshotUri(selected.main.token), host, internalHosts, address));
    } catch (error) {
      if (!isWardwatchError(error, 'CAMERA_SOAP_FAULT') && !isWardwatchError(error, 'CAMERA_UNSUPPORTED')) throw error;
      logger.info({ address }, 'camera has no snapshot URI');
    }
    const ptz = services.ptz && selected.main.hasPtz ? new OnvifPtz(cam, selected.main.token) : undefined;
    logger.info(
      { address, main: redactUrl(main.uri), ...(sub ? { sub: redactUrl(sub.uri) } : {}), clockOffsetMs: offsetMs, ptz: ptz !== undefined },
      'onvif camera connected',
    );
    return new OnvifSession(
      { soap, spec, clock, logger, options, timeNeedsAuth: measured.needsAuth, clockOffsetMs: offsetMs },
      {
        streams: sub ? { main, sub } : { main },
        ...(device ? { device } : {}),
        ...(snapshotUri ? { snapshotUri } : {}),
        ...(ptz ? { ptz } : {}),
        ...(services.events ? { eventsUrl: services.events } : {}),
        info: {
          deviceUrl,
          services: { ...services },
          profiles,
          mainProfile: selected.main.token,
          ...(selected.sub ? { subProfile: selected.sub.token } : {}),
          hasEvents: services.events !== undefined,
        },
      },
    );
  } catch (error) {
    throw toWardwatchError(error, 'CAMERA_PROTOCOL_ERROR', { address, operation: 'connect', cameraId: spec.id });
  }
}
