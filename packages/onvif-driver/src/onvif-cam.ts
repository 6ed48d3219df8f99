/// <reference path="./onvif-lib.d.ts" />
import onvif from 'onvif';
import onvifUtils from 'onvif/lib/utils.js';
import { WardwatchError, toWardwatchError } from '@wardwatch/core';
import { soapEnvelope, type SoapClient } from './soap-client.js';
import { child, text } from './xml-tree.js';
import { xmlEscape } from './ws-username-token.js';

/** A media profile as the driver uses it (our own type, not the `onvif` package's). */
export interface OnvifProfile {
  token: string;
  name: string;
  encoding?: string;
  width?: number;
  height?: number;
  fps?: number;
  /** Whether a PTZ configuration is attached to the profile. */
  hasPtz: boolean;
}

/** Device service addresses from GetCapabilities (as the camera reports them). */
export interface OnvifServiceAddresses {
  device?: string;
  media?: string;
  ptz?: string;
  events?: string;
  imaging?: string;
}

/** The raw identity fields from GetDeviceInformation. */
export interface OnvifDeviceInformation {
  manufacturer?: string;
  model?: string;
  firmwareVersion?: string;
  serialNumber?: string;
  hardwareId?: string;
}

type Callback = (error: Error | null, data?: unknown, xml?: string) => void;

interface CamRequestOptions {
  service?: string;
  url?: unknown;
  action?: string;
  body: string;
  replyTimeout?: number;
}

/** The subset of the `onvif` package's `Cam` the driver calls (our own type for its loose API). */
interface CamInstance {
  timeShift?: number;
  capabilities?: Record<string, unknown>;
  uri?: Record<string, { href?: string } | undefined>;
  _requestPart2(options: CamRequestOptions, callback: Callback): void;
  getCapabilities(callback: Callback): void;
  getProfiles(callback: Callback): void;
  getStreamUri(options: Record<string, unknown>, callback: Callback): void;
  getSnapshotUri(options: Record<string, unknown>, callback: Callback): void;
  continuousMove(options: Record<string, unknown>, callback: Callback): void;
  absoluteMove(options: Record<string, unknown>, callback: Callback): void;
  relativeMove(options: Record<string, unknown>, callback: Callback): void;
  stop(options: Record<string, unknown>, callback: Callback): void;
  getStatus(options: Record<string, unknown>, callback: Callback): void;
  getPresets(options: Record<string, unknown>, callback: Callback): void;
  gotoPreset(options: Record<string, unknown>, callback: Callback): void;
  setPreset(options: Record<string, unknown>, callback: Callback): void;
  gotoHomePosition(options: Record<string, unknown>, callback: Callback): void;
}

type CamConstructor = new (options: Record<string, unknown>, callback?: Callback) => CamInstance;

/** Settings of an {@link OnvifCam}. */
export interface OnvifCamOptions {
  /** Device service URL we reached (the address other service URLs are rewritten to). */
  deviceUrl: string;
  soap: SoapClient;
  /** Outer guard per call, ms (the SOAP client has its own deadline). */
  timeoutMs: number;
}

function num(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function str(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return undefined;
  return String(value);
}

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** Replaces the scheme-host-port of a service address the camera reports with the one we reached. */
export function rebaseServiceUrl(reported: string, reached: string): string {
  try {
    const target = new URL(reported);
    const base = new URL(reached);
    target.protocol = base.protocol;
    target.host = base.host;
    return target.toString();
  } catch {
    return reached;
  }
}

/**
 * Media and PTZ calls through the `onvif` package's `Cam` (its envelopes and response mapping),
 * with the transport replaced by our {@link SoapClient} (size cap, deadline, auth, coded errors)
 * and every callback wrapped in a promise that settles exactly once.
 */
export class OnvifCam {
  private readonly cam: CamInstance;
  private services: OnvifServiceAddresses = {};
  private reported: string[] = [];

  constructor(private readonly options: OnvifCamOptions) {
    const Cam = (onvif as unknown as { Cam: CamConstructor }).Cam;
    const url = new URL(options.deviceUrl);
    // No username: the `Cam` never builds its own WS-Security header; our SoapClient adds it.
    this.cam = new Cam({ hostname: url.hostname, port: Number(url.port || 80), path: url.pathname, autoconnect: false, timeout: options.timeoutMs });
    this.cam._requestPart2 = (request, callback) => this.transport(request, callback);
  }

  /** Hosts the camera named in its own service addresses (its internal addresses). */
  get reportedHosts(): readonly string[] {
    return this.reported;
  }

  /** Service URLs (rebased to the reached address) after {@link loadCapabilities}. */
  get serviceUrls(): OnvifServiceAddresses {
    return this.services;
  }

  private serviceUrl(service: string | undefined): string {
    if (!service) return this.options.deviceUrl;
    const key = service.toLowerCase() as keyof OnvifServiceAddresses;
    return this.services[key] ?? this.options.deviceUrl;
  }

  private transport(request: CamRequestOptions, callback: Callback): void {
    const url =
      typeof request.url === 'string'
        ? rebaseServiceUrl(request.url, this.options.deviceUrl)
        : request.url && typeof (request.url as { href?: unknown }).href === 'string'
          ? rebaseServiceUrl((request.url as { href: string }).href, this.options.deviceUrl)
          : this.serviceUrl(request.service);
    const operation = /<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?([A-Za-z]+)/.exec(request.body)?.[1] ?? 'SOAP';
    this.options.soap.call(url, request.body, operation, request.action ? { action: request.action } : {}).then(
      ({ xml }) => {
        onvifUtils.parseSOAPString(xml, (error, body, rawXml) => callback(error, body, rawXml), 200);
      },
      (error: unknown) => callback(error as Error),
    );
  }

  private invoke<T>(operation: string, run: (callback: Callback) => void, map: (data: unknown) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const guard = setTimeout(() => {
        if (done) return;
        done = true;
        reject(new WardwatchError('CAMERA_TIMEOUT', `${operation} did not complete in ${this.options.timeoutMs * 2} ms`, {
          details: { address: this.options.deviceUrl, operation },
        }));
      }, this.options.timeoutMs * 2);
      const settle = (error: Error | null, data?: unknown): void => {
        if (done) return;
        done = true;
        clearTimeout(guard);
        if (error) {
          reject(toWardwatchError(error, 'CAMERA_PROTOCOL_ERROR', { address: this.options.deviceUrl, operation }));
          return;
        }
        try {
          resolve(map(data));
        } catch (cause) {
          reject(new WardwatchError('CAMERA_PROTOCOL_ERROR', `${operation} returned an unexpected response: ${(cause as Error).message}`, {
            cause,
            details: { address: this.options.deviceUrl, operation },
          }));
        }
      };
      try {
        run(settle);
      } catch (error) {
        settle(error as Error);
      }
    });
  }

  /** GetCapabilities: learns the media, PTZ, events and imaging service addresses. */
  async loadCapabilities(): Promise<OnvifServiceAddresses> {
    const caps = await this.invoke('GetCapabilities', (cb) => this.cam.getCapabilities(cb), () => obj(this.cam.capabilities));
    const xaddr = (name: string): string | undefined => {
      const value = str(obj(caps[name]).XAddr);
      if (value) {
        try {
          const host = new URL(value).hostname;
          if (!this.reported.includes(host)) this.reported.push(host);
        } catch {
          // not a URL: rebaseServiceUrl falls back to the reached address
        }
      }
      return value ? rebaseServiceUrl(value, this.options.deviceUrl) : undefined;
    };
    this.services = {
      device: xaddr('device') ?? this.options.deviceUrl,
      ...(xaddr('media') ? { media: xaddr('media') } : {}),
      ...(xaddr('PTZ') ? { ptz: xaddr('PTZ') } : {}),
      ...(xaddr('events') ? { events: xaddr('events') } : {}),
      ...(xaddr('imaging') ? { imaging: xaddr('imaging') } : {}),
    };
    return this.services;
  }

  /**
   * GetDeviceInformation, sent by our own client: the `onvif` package turns "0042" into 42 and
   * "1.0" into 1, which corrupts serial numbers and firmware versions.
   */
  async deviceInformation(): Promise<OnvifDeviceInformation> {
    const { body } = await this.options.soap.call(
      this.services.device ?? this.options.deviceUrl,
      soapEnvelope('<GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/>'),
      'GetDeviceInformation',
      { action: 'http://www.onvif.org/ver10/device/wsdl/GetDeviceInformation' },
    );
    const info = child(body, 'GetDeviceInformationResponse');
    const out: OnvifDeviceInformation = {};
    const fields = { manufacturer: 'Manufacturer', model: 'Model', firmwareVersion: 'FirmwareVersion', serialNumber: 'SerialNumber', hardwareId: 'HardwareId' } as const;
    for (const [key, name] of Object.entries(fields) as [keyof OnvifDeviceInformation, string][]) {
      const value = text(info, name);
      if (value) out[key] = value;
    }
    return out;
  }

  /** GetProfiles, mapped to {@link OnvifProfile}s. */
  profiles(): Promise<OnvifProfile[]> {
    return this.invoke('GetProfiles', (cb) => this.cam.getProfiles(cb), (data) => {
      if (!Array.isArray(data)) throw new Error('no profiles');
      return data.map((raw): OnvifProfile => {
        const profile = obj(raw);
        const token = str(obj(profile.$).token);
        if (!token) throw new Error('profile without token');
        const encoder = obj(profile.videoEncoderConfiguration);
        const resolution = obj(encoder.resolution);
        const rate = obj(encoder.rateControl);
        const encoding = str(encoder.encoding);
        const width = num(resolution.width);
        const height = num(resolution.height);
        const fps = num(rate.frameRateLimit);
        return {
          token,
          name: str(profile.name) ?? token,
          ...(encoding ? { encoding: encoding.toLowerCase() === 'h264' ? 'h264' : encoding.toLowerCase() } : {}),
          ...(width !== undefined ? { width } : {}),
          ...(height !== undefined ? { height } : {}),
          ...(fps !== undefined ? { fps } : {}),
          hasPtz: profile.PTZConfiguration !== undefined,
        };
      });
    });
  }

  /** GetStreamUri (RTP over RTSP, unicast) for a profile. */
  streamUri(profileToken: string): Promise<string> {
    return this.invoke(
      'GetStreamUri',
      (cb) => this.cam.getStreamUri({ protocol: 'RTSP', stream: 'RTP-Unicast', profileToken: xmlEscape(profileToken) }, cb),
      (data) => {
        const uri = str(obj(data).uri);
        if (!uri) throw new Error('no Uri in GetStreamUriResponse');
        return uri;
      },
    );
  }

  /** GetSnapshotUri for a profile. */
  snapshotUri(profileToken: string): Promise<string> {
    return this.invoke('GetSnapshotUri', (cb) => this.cam.getSnapshotUri({ profileToken: xmlEscape(profileToken) }, cb), (data) => {
      const uri = str(obj(data).uri);
      if (!uri) throw new Error('no Uri in GetSnapshotUriResponse');
      return uri;
    });
  }

  /** PTZ ContinuousMove. */
  continuousMove(profileToken: string, velocity: { x: number; y: number; zoom: number }, timeoutMs?: number): Promise<void> {
    return this.invoke(
      'ContinuousMove',
      (cb) => this.cam.continuousMove({ profileToken: xmlEscape(profileToken), ...velocity, ...(timeoutMs ? { timeout: timeoutMs } : {}) }, cb),
      () => undefined,
    );
  }

  /** PTZ AbsoluteMove. */
  absoluteMove(profileToken: string, position: { x: number; y: number; zoom: number }): Promise<void> {
    return this.invoke('AbsoluteMove', (cb) => this.cam.absoluteMove({ profileToken: xmlEscape(profileToken), ...position }, cb), () => undefined);
  }

  /** PTZ RelativeMove. */
  relativeMove(profileToken: string, translation: { x: number; y: number; zoom: number }): Promise<void> {
    return this.invoke('RelativeMove', (cb) => this.cam.relativeMove({ profileToken: xmlEscape(profileToken), ...translation }, cb), () => undefined);
  }

  /** PTZ Stop (pan-tilt and zoom). */
  stop(profileToken: string): Promise<void> {
    return this.invoke('Stop', (cb) => this.cam.stop({ profileToken: xmlEscape(profileToken), panTilt: true, zoom: true }, cb), () => undefined);
  }

  /** PTZ GetStatus position. */
  position(profileToken: string): Promise<{ pan: number; tilt: number; zoom: number }> {
    return this.invoke('GetStatus', (cb) => this.cam.getStatus({ profileToken: xmlEscape(profileToken) }, cb), (data) => {
      const position = obj(obj(data).position);
      return { pan: num(position.x) ?? 0, tilt: num(position.y) ?? 0, zoom: num(position.zoom) ?? 0 };
    });
  }

  /** PTZ GetPresets. */
  presets(profileToken: string): Promise<{ token: string; name: string }[]> {
    return this.invoke('GetPresets', (cb) => this.cam.getPresets({ profileToken: xmlEscape(profileToken) }, cb), (data) =>
      Object.entries(obj(data)).flatMap(([name, preset]) => {
        const token = str(obj(obj(preset).$).token);
        return token ? [{ token, name: String(name) }] : [];
      }),
    );
  }

  /** PTZ GotoPreset. */
  gotoPreset(profileToken: string, presetToken: string): Promise<void> {
    return this.invoke('GotoPreset', (cb) => this.cam.gotoPreset({ profileToken: xmlEscape(profileToken), preset: xmlEscape(presetToken) }, cb), () => undefined);
  }

  /** PTZ SetPreset; returns the new preset token. */
  setPreset(profileToken: string, name: string): Promise<string> {
    return this.invoke('SetPreset', (cb) => this.cam.setPreset({ profileToken: xmlEscape(profileToken), presetName: xmlEscape(name) }, cb), (data) => {
      const response = obj(onvifUtils.linerase(data)).setPresetResponse;
      const token = str(obj(response).presetToken);
      if (!token) throw new Error('no PresetToken in SetPresetResponse');
      return token;
    });
  }

  /** PTZ GotoHomePosition. */
  home(profileToken: string): Promise<void> {
    return this.invoke('GotoHomePosition', (cb) => this.cam.gotoHomePosition({ profileToken: xmlEscape(profileToken) }, cb), () => undefined);
  }
}
