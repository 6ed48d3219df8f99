import { WardwatchError, isWardwatchError, type Logger } from '@wardwatch/core';
import { parseMedia1Profiles, parseMedia2Profiles, type OnvifProfile } from './onvif-profiles.js';
import { parseCapabilities, parseServices, type OnvifServiceAddresses } from './onvif-services.js';
import { effectivePort, rebaseServiceUrl, repairUrl } from './service-url.js';
import { soapEnvelope, type SoapClient, type SoapResult } from './soap-client.js';
import { xmlEscape } from './ws-username-token.js';
import { child, path, text } from './xml-tree.js';

/** The raw identity fields from GetDeviceInformation. */
export interface OnvifDeviceInformation {
  manufacturer?: string;
  model?: string;
  firmwareVersion?: string;
  serialNumber?: string;
  hardwareId?: string;
}

/** Settings of an {@link OnvifCam}. */
export interface OnvifCamOptions {
  /** Device service URL we reached (the address other service URLs are rebased to). */
  deviceUrl: string;
  soap: SoapClient;
  /** Logger bound to the camera id. */
  logger: Logger;
}

const NS = {
  device: 'http://www.onvif.org/ver10/device/wsdl',
  media: 'http://www.onvif.org/ver10/media/wsdl',
  media2: 'http://www.onvif.org/ver20/media/wsdl',
  ptz: 'http://www.onvif.org/ver20/ptz/wsdl',
  schema: 'http://www.onvif.org/ver10/schema',
} as const;

/** Which service a call goes to. */
export type OnvifService = 'device' | 'media' | 'media2' | 'ptz';

/**
 * The device, media (Media1 and Media2) and PTZ calls of one camera, over our own {@link SoapClient}:
 * service discovery (GetCapabilities, then GetServices when no Media1 service is listed), device
 * identity, profiles, stream and snapshot URIs. Service addresses are rebased to the address we reached.
 */
export class OnvifCam {
  private services: OnvifServiceAddresses = {};
  private readonly reported = new Set<string>();
  private servicePort: number | undefined;
  private servicesListed = false;

  constructor(private readonly options: OnvifCamOptions) {}

  /** Hosts the camera named in its own service addresses (its internal addresses). */
  get reportedHosts(): readonly string[] {
    return [...this.reported];
  }

  /** The port the camera wrote in its own service addresses (what it believes it serves on). */
  get reportedServicePort(): number | undefined {
    return this.servicePort;
  }

  /** Service URLs (rebased to the reached address) learnt so far. */
  get serviceUrls(): OnvifServiceAddresses {
    return { device: this.options.deviceUrl, ...this.services };
  }

  /** Sends `bodyXml` (one request element) to `service` as `operation`. */
  call(service: OnvifService, operation: string, bodyXml: string): Promise<SoapResult> {
    const url = service === 'device' ? (this.services.device ?? this.options.deviceUrl) : this.services[service];
    if (!url) {
      throw new WardwatchError('CAMERA_UNSUPPORTED', `${operation}: the camera lists no ${service} service`, {
        details: { address: this.options.deviceUrl, operation },
      });
    }
    const namespace = NS[service];
    const action = `${namespace}/${operation}`;
    return this.options.soap.call(url, soapEnvelope(bodyXml), operation, { action });
  }

  private learn(reported: OnvifServiceAddresses): void {
    for (const [name, value] of Object.entries(reported) as [keyof OnvifServiceAddresses, string][]) {
      const repaired = repairUrl(value);
      if (URL.canParse(repaired)) {
        const url = new URL(repaired);
        this.reported.add(url.hostname.replace(/^\[|\]$/g, ''));
        this.servicePort ??= effectivePort(url);
      }
      const rebased = rebaseServiceUrl(value, this.options.deviceUrl);
      if (rebased === undefined) {
        this.options.logger.warn({ service: name, operation: 'GetCapabilities' }, 'camera reported an unreadable service address; ignored');
        continue;
      }
      this.services[name] ??= rebased;
    }
  }

  /** GetCapabilities: learns the media, PTZ, events and imaging service addresses. */
  async loadCapabilities(): Promise<OnvifServiceAddresses> {
    const { body } = await this.call('device', 'GetCapabilities', `<GetCapabilities xmlns="${NS.device}"><Category>All</Category></GetCapabilities>`);
    this.learn(parseCapabilities(body));
    return this.serviceUrls;
  }

  /** GetServices: every service with its namespace (lists Media2, which GetCapabilities cannot). */
  async loadServices(): Promise<OnvifServiceAddresses> {
    if (this.servicesListed) return this.serviceUrls;
    const { body } = await this.call('device', 'GetServices', `<GetServices xmlns="${NS.device}"><IncludeCapability>false</IncludeCapability></GetServices>`);
    this.servicesListed = true;
    this.learn(parseServices(body));
    return this.serviceUrls;
  }

  /** GetDeviceInformation, strings kept as the camera wrote them (serial `0042` stays `0042`). */
  async deviceInformation(): Promise<OnvifDeviceInformation> {
    const { body } = await this.call('device', 'GetDeviceInformation', `<GetDeviceInformation xmlns="${NS.device}"/>`);
    const info = child(body, 'GetDeviceInformationResponse');
    const out: OnvifDeviceInformation = {};
    const fields = { manufacturer: 'Manufacturer', model: 'Model', firmwareVersion: 'FirmwareVersion', serialNumber: 'SerialNumber', hardwareId: 'HardwareId' } as const;
    for (const [key, name] of Object.entries(fields) as [keyof OnvifDeviceInformation, string][]) {
      const value = text(info, name);
      if (value) out[key] = value;
    }
    return out;
  }

  /**
   * The media profiles: Media1 when the camera lists it, else Media2 (learnt through GetServices);
   * Media2 also when Media1 refuses GetProfiles. `CAMERA_UNSUPPORTED` with the reason when neither works.
   */
  async profiles(): Promise<OnvifProfile[]> {
    const tried: string[] = [];
    if (this.services.media) {
      try {
        const { body } = await this.call('media', 'GetProfiles', `<GetProfiles xmlns="${NS.media}"/>`);
        const profiles = parseMedia1Profiles(body);
        if (profiles.length > 0) return await this.withMedia2Codecs(profiles);
        tried.push('Media1 GetProfiles returned no profile');
      } catch (error) {
        if (!isWardwatchError(error, 'CAMERA_UNSUPPORTED') && !isWardwatchError(error, 'CAMERA_SOAP_FAULT')) throw error;
        this.options.logger.warn({ code: error.code, operation: 'GetProfiles' }, 'Media1 GetProfiles failed; trying Media2');
        tried.push(`Media1 GetProfiles failed (${error.code})`);
      }
    } else tried.push('no Media1 service in GetCapabilities');
    if (!this.services.media2) {
      try {
        await this.loadServices();
      } catch (error) {
        if (!isWardwatchError(error, 'CAMERA_UNSUPPORTED') && !isWardwatchError(error, 'CAMERA_SOAP_FAULT')) throw error;
        tried.push(`GetServices failed (${error.code})`);
      }
    }
    if (!this.services.media2) {
      throw new WardwatchError('CAMERA_UNSUPPORTED', `${this.options.deviceUrl} offers no usable media service: ${[...tried, 'no Media2 service in GetServices'].join('; ')}`, {
        details: { address: this.options.deviceUrl, operation: 'GetProfiles', reason: tried.join('; ') },
      });
    }
    const { body } = await this.call('media2', 'GetProfiles', `<GetProfiles xmlns="${NS.media2}"><Type>All</Type></GetProfiles>`);
    const profiles = parseMedia2Profiles(body);
    if (profiles.length === 0) {
      throw new WardwatchError('CAMERA_UNSUPPORTED', `${this.options.deviceUrl} offers no media profile (${[...tried, 'Media2 GetProfiles returned none'].join('; ')})`, {
        details: { address: this.options.deviceUrl, operation: 'GetProfiles' },
      });
    }
    return profiles;
  }

  /**
   * Media1 profiles of cameras set to H.265 may carry no encoder (Dahua) or a stale H264 (Hikvision's attribute
   * aside): when a profile has no codec and the camera lists Media2, its Media2 profile (same token) tells it.
   */
  private async withMedia2Codecs(profiles: OnvifProfile[]): Promise<OnvifProfile[]> {
    if (profiles.every((p) => p.encoding !== undefined) || !this.services.media2) return profiles;
    try {
      const { body } = await this.call('media2', 'GetProfiles', `<GetProfiles xmlns="${NS.media2}"><Type>VideoEncoder</Type></GetProfiles>`);
      const codecs = new Map(parseMedia2Profiles(body).flatMap((p) => (p.encoding ? [[p.token, p.encoding] as const] : [])));
      return profiles.map((p) => (p.encoding === undefined && codecs.has(p.token) ? { ...p, encoding: codecs.get(p.token)! } : p));
    } catch (error) {
      if (!isWardwatchError(error, 'CAMERA_UNSUPPORTED') && !isWardwatchError(error, 'CAMERA_SOAP_FAULT')) throw error;
      this.options.logger.warn({ code: error.code, operation: 'GetProfiles' }, 'Media2 GetProfiles failed; codecs stay unknown');
      return profiles;
    }
  }

  private async uri(profile: OnvifProfile, operation: 'GetStreamUri' | 'GetSnapshotUri'): Promise<string> {
    const token = `<ProfileToken>${xmlEscape(profile.token)}</ProfileToken>`;
    const media2 = profile.service === 'media2';
    const request =
      operation === 'GetSnapshotUri'
        ? `<GetSnapshotUri xmlns="${media2 ? NS.media2 : NS.media}">${token}</GetSnapshotUri>`
        : media2
          ? `<GetStreamUri xmlns="${NS.media2}"><Protocol>RTSP</Protocol>${token}</GetStreamUri>`
          : `<GetStreamUri xmlns="${NS.media}"><StreamSetup><Stream xmlns="${NS.schema}">RTP-Unicast</Stream><Transport xmlns="${NS.schema}"><Protocol>RTSP</Protocol></Transport></StreamSetup>${token}</GetStreamUri>`;
    const { body } = await this.call(profile.service, operation, request);
    const response = child(body, `${operation}Response`);
    const uri = media2 ? text(response, 'Uri') : text(path(response, 'MediaUri'), 'Uri');
    if (!uri) {
      throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `${operation} answer of ${this.options.deviceUrl} has no Uri`, {
        details: { address: this.options.deviceUrl, operation },
      });
    }
    return uri;
  }

  /** GetStreamUri (RTSP, unicast) for a profile, through the profile's media service. */
  streamUri(profile: OnvifProfile): Promise<string> {
    return this.uri(profile, 'GetStreamUri');
  }

  /** GetSnapshotUri for a profile, through the profile's media service. */
  snapshotUri(profile: OnvifProfile): Promise<string> {
    return this.uri(profile, 'GetSnapshotUri');
  }
}
