import { ReplaySubject, defer, filter, map, share, takeUntil, type Observable } from 'rxjs';
import {
  WardwatchError,
  isWardwatchError,
  redactUrl,
  toWardwatchError,
  type CameraSession,
  type CameraSpec,
  type DeviceInfo,
  type DriverEvent,
  type Logger,
  type ProbeResult,
  type PtzControl,
  type StreamInfo,
} from '@wardwatch/core';
import { withRtspCredentials } from '@wardwatch/core/driver-kit';
import { debounceDriverEvents } from './debounce-driver-events.js';
import { fetchSnapshot } from './fetch-snapshot.js';
import type { TlsSettings } from './http-request.js';
import { measureClock } from './measure-clock.js';
import { isAllowedMediaHost, mediaOrigin, rewriteMediaHost, rewriteSnapshotUri, withoutCredentials } from './media-uri.js';
import { OnvifCam } from './onvif-cam.js';
import type { OnvifDriverOptions } from './onvif-driver-options.js';
import type { OnvifProfile } from './onvif-profiles.js';
import { OnvifPtz } from './onvif-ptz.js';
import { pullPointEvents } from './pull-point-events.js';
import { resolveOnvifOptions, type ResolvedOnvifOptions } from './resolve-onvif-options.js';
import { selectChannel } from './select-channel.js';
import { selectProfiles } from './select-profiles.js';
import { SoapClient, type OnvifAuthScheme } from './soap-client.js';

const AUTH_SCHEMES: readonly OnvifAuthScheme[] = ['auto', 'ws-security', 'digest', 'none'];

/** Everything learnt about a camera while connecting (what the CLI prints). */
export interface OnvifConnectInfo {
  deviceUrl: string;
  services: Record<string, string | undefined>;
  profiles: OnvifProfile[];
  mainProfile: string;
  subProfile?: string;
  hasEvents: boolean;
  /** The video source tokens this camera is bound to (an NVR channel), when a channel was selected. */
  videoSources?: string[];
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function optionString(options: Record<string, unknown>, key: string): string | undefined {
  const value = options[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function optionFlag(options: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = options[key];
  return typeof value === 'boolean' ? value : fallback;
}

/**
 * The device service URL of a spec: `connection.options.scheme` (`http` | `https`) names the scheme; a host
 * written with a scheme (`https://10.0.0.5`) is read too. `https` is never downgraded to `http`.
 */
export function deviceUrlOf(spec: CameraSpec): { url: string; host: string } {
  const extra = spec.connection.options ?? {};
  const written = /^(https?):\/\/(.+)$/i.exec(spec.connection.host.trim());
  const optionScheme = optionString(extra, 'scheme')?.toLowerCase();
  if (optionScheme !== undefined && optionScheme !== 'http' && optionScheme !== 'https') {
    throw new WardwatchError('INVALID_CONFIG', 'connection.options.scheme must be http or https', { details: { cameraId: spec.id, field: 'connection.options.scheme', value: optionScheme } });
  }
  const scheme = written ? written[1]!.toLowerCase() : (optionScheme ?? 'http');
  if (written && optionScheme !== undefined && optionScheme !== scheme) {
    throw new WardwatchError('INVALID_CONFIG', `connection.host says ${scheme} but connection.options.scheme says ${optionScheme}`, { details: { cameraId: spec.id } });
  }
  let host = spec.connection.host.trim();
  let port = spec.connection.port;
  if (written) {
    const url = new URL(`${scheme}://${written[2]}`);
    host = url.hostname.replace(/^\[|\]$/g, '');
    if (url.port) port ??= Number(url.port);
  }
  const path = optionString(extra, 'path') ?? '/onvif/device_service';
  const effectivePort = port ?? (scheme === 'https' ? 443 : 80);
  return { url: `${scheme}://${hostForUrl(host)}:${effectivePort}${path.startsWith('/') ? path : `/${path}`}`, host };
}

/** The parts of a session decided at connect. */
interface SessionParts {
  streams: { main: StreamInfo; sub?: StreamInfo };
  device?: DeviceInfo;
  snapshotUri?: string;
  /** Why the camera's snapshot URI is not used, when it is refused. */
  snapshotRefusal?: string;
  ptz?: PtzControl;
  eventsUrl?: string;
  /** Event sources of the selected channel; undefined = all. */
  sources?: ReadonlySet<string>;
  /** Video source configuration tokens → their video source token, so one channel is one event source. */
  sourceAliases: ReadonlyMap<string, string>;
  info: OnvifConnectInfo;
}

/** What a session needs from its connect. */
interface SessionContext {
  soap: SoapClient;
  spec: CameraSpec;
  host: string;
  logger: Logger;
  options: ResolvedOnvifOptions;
  tls: TlsSettings;
  allowBasicOverHttp: boolean;
  timeNeedsAuth: boolean;
  clockOffsetMs: number;
  setOffset: (offsetMs: number) => void;
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
  private readonly snapshotRefusal: string | undefined;

  /** @internal */
  constructor(
    private readonly ctx: SessionContext,
    parts: SessionParts,
  ) {
    this.offset = ctx.clockOffsetMs;
    this.streams = parts.streams;
    if (parts.device) this.device = parts.device;
    if (parts.snapshotUri) this.snapshotUri = parts.snapshotUri;
    this.snapshotRefusal = parts.snapshotRefusal;
    if (parts.ptz) this.ptz = parts.ptz;
    this.info = parts.info;
    const ev = ctx.options.events;
    const eventsUrl = parts.eventsUrl;
    const sources = parts.sources;
    this.events$ =
      eventsUrl && ev.enabled
        ? defer(() =>
            pullPointEvents({
              soap: ctx.soap,
              eventsUrl,
              deviceUrl: parts.info.deviceUrl,
              clock: ctx.options.clock,
              logger: ctx.logger,
              clockOffsetMs: () => this.offset,
              callTimeoutMs: ctx.options.timeoutMs,
              table: ctx.options.topicTable,
              track: (work) => {
                this.pending.add(work);
                void work.finally(() => this.pending.delete(work));
              },
              timing: ev,
            }),
          ).pipe(
            // Devices name a channel by its source token in some topics and by its configuration token in
            // others (Hikvision: MotionAlarm vs CellMotionDetector): one name per channel.
            map((e) => (e.type !== 'io' && e.source !== undefined && parts.sourceAliases.has(e.source) ? { ...e, source: parts.sourceAliases.get(e.source)! } : e)),
            // An NVR channel's camera gets only its own channel's events (events naming no source pass).
            filter((e) => sources === undefined || e.type === 'io' || e.source === undefined || sources.has(e.source)),
            debounceDriverEvents(ev.motionHoldMs, ctx.options.clock),
            takeUntil(this.closed$),
            share(),
          )
        : new ReplaySubject<DriverEvent>(0).pipe(takeUntil(this.closed$));
  }

  /** Camera clock minus station clock, ms, as last measured (connect or probe). */
  get clockOffsetMs(): number {
    return this.offset;
  }

  /** Fetches a JPEG snapshot over HTTP(S) with Digest auth (Basic only over https unless allowed). */
  async snapshot(): Promise<Uint8Array> {
    this.assertOpen('snapshot');
    if (!this.snapshotUri) {
      throw new WardwatchError('CAMERA_UNSUPPORTED', `Camera ${this.ctx.spec.id} has no usable snapshot URI${this.snapshotRefusal ? `: ${this.snapshotRefusal}` : ''}`, {
        details: { cameraId: this.ctx.spec.id, operation: 'GetSnapshot' },
      });
    }
    const { username, password } = this.ctx.spec.connection;
    return fetchSnapshot(this.snapshotUri, {
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      timeoutMs: this.ctx.options.timeoutMs,
      maxBytes: this.ctx.options.maxSnapshotBytes,
      allowBasicOverHttp: this.ctx.allowBasicOverHttp,
      tls: this.ctx.tls,
    });
  }

  /** GetSystemDateAndTime round trip: cheap, and refreshes the clock offset. */
  async probe(): Promise<ProbeResult> {
    const started = performance.now();
    try {
      this.assertOpen('probe');
      const measured = await measureClock(this.ctx.soap, this.info.deviceUrl, this.ctx.options.clock, this.ctx.timeNeedsAuth, {
        timeoutMs: this.ctx.options.probeTimeoutMs,
      });
      this.offset = measured.offsetMs;
      this.ctx.setOffset(measured.offsetMs);
      return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch (error) {
      const coded = toWardwatchError(error, 'CAMERA_PROTOCOL_ERROR');
      this.ctx.logger.debug({ code: coded.code, operation: 'probe' }, 'probe failed');
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

/** Connects to an ONVIF camera described by `spec` (driver options as {@link createOnvifDriver} takes them). */
export function connectOnvif(spec: CameraSpec, options: OnvifDriverOptions = {}, signal?: AbortSignal): Promise<OnvifSession> {
  return openOnvifSession(spec, resolveOnvifOptions(options), signal);
}

/** @internal Connects with already resolved options (one resolution per driver instance). */
export async function openOnvifSession(spec: CameraSpec, options: ResolvedOnvifOptions, signal?: AbortSignal): Promise<OnvifSession> {
  const { clock } = options;
  const logger = options.logger.child({ cameraId: spec.id, driver: options.id });
  const { username, password } = spec.connection;
  const extra = spec.connection.options ?? {};
  const { url: deviceUrl, host } = deviceUrlOf(spec);
  const authOption = optionString(extra, 'auth') ?? options.auth;
  if (!AUTH_SCHEMES.includes(authOption as OnvifAuthScheme)) {
    throw new WardwatchError('INVALID_CONFIG', `connection.options.auth must be one of ${AUTH_SCHEMES.join(', ')}`, {
      details: { cameraId: spec.id, field: 'connection.options.auth', value: authOption },
    });
  }
  const tls: TlsSettings = { allowSelfSigned: optionFlag(extra, 'allowSelfSignedTls', options.allowSelfSignedTls) };
  const allowedHosts = spec.connection.streamHosts ?? [];
  let offsetMs = 0;
  const soap = new SoapClient({
    ...(username ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    auth: authOption as OnvifAuthScheme,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxResponseBytes,
    cameraNow: () => clock.now() + offsetMs,
    logger,
    tls,
  });
  const check = (): void => {
    if (signal?.aborted) throw new WardwatchError('CANCELLED', `Connecting camera ${spec.id} was cancelled`, { details: { cameraId: spec.id } });
  };
  const address = redactUrl(deviceUrl);
  try {
    check();
    const measured = await measureClock(soap, deviceUrl, clock, false, {
      timeoutMs: options.timeoutMs,
      ...(signal ? { signal } : {}),
      onEstimate: (estimate) => {
        offsetMs = estimate;
        logger.warn({ address, clockOffsetMs: estimate }, 'anonymous GetSystemDateAndTime refused; using the camera time of its HTTP Date header');
      },
    });
    offsetMs = measured.offsetMs;
    if (Math.abs(offsetMs) > 5000) logger.warn({ address, clockOffsetMs: offsetMs }, 'camera clock differs from station clock');
    check();
    const cam = new OnvifCam({ deviceUrl, soap, logger });
    try {
      await cam.loadCapabilities();
    } catch (error) {
      // Media2-only devices may refuse GetCapabilities; GetServices (in profiles()) then lists the services.
      if (!isWardwatchError(error, 'CAMERA_SOAP_FAULT') && !isWardwatchError(error, 'CAMERA_UNSUPPORTED')) throw error;
      logger.warn({ address, code: error.code, operation: 'GetCapabilities' }, 'GetCapabilities failed; relying on GetServices');
    }
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
    const channel = selectChannel(profiles, extra, address);
    const mainPref = optionString(extra, 'mainProfile');
    const subPref = optionString(extra, 'subProfile');
    const selected = selectProfiles(channel.profiles, { ...(mainPref ? { main: mainPref } : {}), ...(subPref ? { sub: subPref } : {}) }, address);
    const internalHosts = cam.reportedHosts;
    const streamOf = async (profile: OnvifProfile): Promise<StreamInfo> => {
      const reported = await cam.streamUri(profile);
      const rewritten = rewriteMediaHost(reported, host, internalHosts, address);
      const uri = username ? withRtspCredentials(rewritten, username, password) : rewritten;
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
    let snapshotRefusal: string | undefined;
    try {
      const reported = await cam.snapshotUri(selected.main);
      const rewritten = withoutCredentials(rewriteSnapshotUri(reported, deviceUrl, internalHosts, cam.reportedServicePort, address));
      if (!/^https?:$/.test(new URL(rewritten).protocol)) snapshotRefusal = 'the snapshot URI is not http(s)';
      else if (!isAllowedMediaHost(rewritten, host, allowedHosts)) {
        snapshotRefusal = `the snapshot URI is on another host (${new URL(rewritten).hostname}); an admin may allow it in connection.streamHosts`;
      } else snapshotUri = rewritten;
      if (snapshotRefusal) logger.warn({ address, operation: 'GetSnapshotUri' }, `snapshot URI refused: ${snapshotRefusal}`);
    } catch (error) {
      if (!isWardwatchError(error, 'CAMERA_SOAP_FAULT') && !isWardwatchError(error, 'CAMERA_UNSUPPORTED')) throw error;
      logger.info({ address, code: error.code }, 'camera has no snapshot URI');
    }
    const services = cam.serviceUrls;
    const ptz = services.ptz && selected.main.hasPtz ? new OnvifPtz(cam, selected.main.token) : undefined;
    logger.info(
      // Only scheme-host-port of the streams: some brands put the password in the URI path.
      { address, main: mediaOrigin(main.uri), mainProfile: selected.main.token, ...(sub ? { subProfile: selected.sub!.token } : {}), codec: main.codec, clockOffsetMs: offsetMs, ptz: ptz !== undefined },
      'onvif camera connected',
    );
    const videoSources = channel.sources ? [...channel.sources] : undefined;
    return new OnvifSession(
      {
        soap,
        spec,
        host,
        logger,
        options,
        tls,
        allowBasicOverHttp: optionFlag(extra, 'allowBasicOverHttp', options.allowBasicOverHttp),
        timeNeedsAuth: measured.needsAuth,
        clockOffsetMs: offsetMs,
        setOffset: (value) => {
          offsetMs = value;
        },
      },
      {
        streams: sub ? { main, sub } : { main },
        ...(device ? { device } : {}),
        ...(snapshotUri ? { snapshotUri } : {}),
        ...(snapshotRefusal ? { snapshotRefusal } : {}),
        ...(ptz ? { ptz } : {}),
        ...(services.events ? { eventsUrl: services.events } : {}),
        ...(channel.sources ? { sources: channel.sources } : {}),
        sourceAliases: new Map(profiles.flatMap((p) => (p.videoSource && p.videoSourceConfiguration ? [[p.videoSourceConfiguration, p.videoSource] as const] : []))),
        info: {
          deviceUrl,
          services: { ...services },
          profiles,
          mainProfile: selected.main.token,
          ...(selected.sub ? { subProfile: selected.sub.token } : {}),
          hasEvents: services.events !== undefined,
          ...(videoSources ? { videoSources } : {}),
        },
      },
    );
  } catch (error) {
    throw toWardwatchError(error, 'CAMERA_PROTOCOL_ERROR', { address, operation: 'connect', cameraId: spec.id });
  }
}
