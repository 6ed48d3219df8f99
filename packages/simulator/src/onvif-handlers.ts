import { soapFaultError, type SimulatorError } from './simulator-error.js';
import type { PtzPosition } from './ptz-state.js';
import type { CameraEventMessage } from './camera-events.js';
import type { OnvifDevice } from './onvif-device.js';
import { xmlEscape } from './soap-envelope.js';

/** One parsed SOAP call. */
export interface OnvifCall {
  /** HTTP path, e.g. `/onvif/media_service`. */
  path: string;
  /** Body element local name, e.g. `GetProfiles`. */
  action: string;
  /** Parsed body element (namespace prefixes removed). */
  request: Record<string, unknown> | string | undefined;
  /** Parsed SOAP header (namespace prefixes removed), when the request had one. */
  header?: Record<string, unknown>;
  host: string;
  port: number;
}

type Req = Record<string, unknown>;

/** A media profile the simulated device offers. */
interface SimProfile {
  token: string;
  name: string;
  stream: 'main' | 'sub';
  encoder: string;
  /** 1-based channel (video source) of the profile. */
  channel: number;
}

/** The profiles of a device: a main/sub pair per channel (channel 1 keeps the historical `Profile_1`/`Profile_2`). */
function profilesOf(cam: OnvifDevice): SimProfile[] {
  const out: SimProfile[] = [];
  for (let c = 1; c <= cam.quirks.channels; c++) {
    const one = c === 1;
    out.push({ token: one ? 'Profile_1' : `Profile_${c}01`, name: one ? 'mainStream' : `Channel${c}MainStream`, stream: 'main', encoder: one ? 'VideoEncoderToken_1' : `VideoEncoderToken_${c}01`, channel: c });
    out.push({ token: one ? 'Profile_2' : `Profile_${c}02`, name: one ? 'subStream' : `Channel${c}SubStream`, stream: 'sub', encoder: one ? 'VideoEncoderToken_2' : `VideoEncoderToken_${c}02`, channel: c });
  }
  return out;
}

const MAX_PULL_TIMEOUT_MS = 60_000;
const DEFAULT_SUBSCRIPTION_MS = 60_000;

/** Answers one ONVIF call with the body XML of its response; throws a `CAMERA_SOAP_FAULT` {@link SimulatorError} where a device faults. */
export async function onvifAnswer(cam: OnvifDevice, call: OnvifCall): Promise<string> {
  const base = `http://${call.host}:${call.port}`;
  const r = (typeof call.request === 'object' && call.request ? call.request : {}) as Req;
  const service =
    call.path.startsWith('/onvif/subscription/') || call.path === '/onvif/subscription' ? 'subscription' : call.path.replace(/^\/onvif\//, '').replace(/_service$/, '');
  switch (service) {
    case 'device':
      return device(cam, call.action, r, base);
    case 'media':
      if (cam.quirks.media2Only) throw notSupported(call.action);
      return media(cam, call.action, r);
    case 'media2':
      return media2(cam, call.action, r);
    case 'ptz':
      if (!cam.hasPtz) throw notSupported(call.action);
      return ptz(cam, call.action, r);
    case 'event':
      return events(cam, call.action, r, base);
    case 'subscription': {
      // Axis style (reference-parameters quirk): one address, the pull point named by a SubscriptionId header.
      const id = call.path === '/onvif/subscription' ? str((call.header ?? {}).SubscriptionId) : call.path.slice('/onvif/subscription/'.length);
      if (!id) throw soapFaultError(400, 'env:Sender', 'ter:InvalidArgs', undefined, 'No SubscriptionId reference parameter in the SOAP header');
      return subscription(cam, call.action, r, id);
    }
    default:
      throw soapFaultError(400, 'env:Sender', 'ter:InvalidArgVal', 'ter:NoSuchService', `No service at ${call.path}`);
  }
}

function notSupported(action: string): SimulatorError {
  return soapFaultError(400, 'env:Receiver', 'ter:ActionNotSupported', undefined, `Optional action ${action} not implemented`);
}

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v && typeof v === 'object' && '#text' in v) return String((v as Req)['#text']);
  return '';
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function dateTimeXml(d: Date): string {
  return (
    `<tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time>` +
    `<tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date>`
  );
}

/** Parses an xs:duration (`PT10S`, `PT1M30.5S`) to ms; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim() === 'PT') return undefined;
  return ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60_000 + Number(m[4] ?? 0) * 1000;
}

/** An absolute time or a duration from `now`, as ms since the epoch. */
function terminationFrom(text: string, now: number): number | undefined {
  if (!text) return undefined;
  const d = parseDuration(text);
  if (d !== undefined) return now + d;
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : undefined;
}

function device(cam: OnvifDevice, action: string, r: Req, base: string): string {
  switch (action) {
    case 'GetSystemDateAndTime': {
      const d = new Date(cam.now());
      return (
        `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>` +
        `<tt:TimeZone><tt:TZ>GMT-07:00</tt:TZ></tt:TimeZone><tt:UTCDateTime>${dateTimeXml(d)}</tt:UTCDateTime>` +
        `<tt:LocalDateTime>${dateTimeXml(new Date(d.getTime() + 7 * 3600_000))}</tt:LocalDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`
      );
    }
    case 'GetDeviceInformation':
      return (
        `<tds:GetDeviceInformationResponse><tds:Manufacturer>${xmlEscape(cam.manufacturer)}</tds:Manufacturer><tds:Model>${xmlEscape(cam.hardware)}</tds:Model>` +
        `<tds:FirmwareVersion>V5.7.3 build 220112</tds:FirmwareVersion><tds:SerialNumber>${xmlEscape(cam.serialNumber)}</tds:SerialNumber><tds:HardwareId>88</tds:HardwareId></tds:GetDeviceInformationResponse>`
      );
    case 'GetCapabilities': {
      const ptzCap = cam.hasPtz ? `<tt:PTZ><tt:XAddr>${base}/onvif/ptz_service</tt:XAddr></tt:PTZ>` : '';
      return (
        `<tds:GetCapabilitiesResponse><tds:Capabilities>` +
        `<tt:Device><tt:XAddr>${base}/onvif/device_service</tt:XAddr><tt:Network><tt:IPFilter>false</tt:IPFilter><tt:ZeroConfiguration>false</tt:ZeroConfiguration><tt:IPVersion6>false</tt:IPVersion6><tt:DynDNS>false</tt:DynDNS></tt:Network>` +
        `<tt:System><tt:DiscoveryResolve>false</tt:DiscoveryResolve><tt:DiscoveryBye>true</tt:DiscoveryBye><tt:RemoteDiscovery>false</tt:RemoteDiscovery><tt:SystemBackup>false</tt:SystemBackup><tt:SystemLogging>false</tt:SystemLogging><tt:FirmwareUpgrade>false</tt:FirmwareUpgrade>` +
        `<tt:SupportedVersions><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tt:SupportedVersions></tt:System>` +
        `<tt:Security><tt:TLS1.1>false</tt:TLS1.1><tt:TLS1.2>false</tt:TLS1.2><tt:OnboardKeyGeneration>false</tt:OnboardKeyGeneration><tt:AccessPolicyConfig>false</tt:AccessPolicyConfig><tt:X.509Token>false</tt:X.509Token><tt:SAMLToken>false</tt:SAMLToken><tt:KerberosToken>false</tt:KerberosToken><tt:RELToken>false</tt:RELToken></tt:Security></tt:Device>` +
        `<tt:Events><tt:XAddr>${base}/onvif/event_service</tt:XAddr><tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport><tt:WSPullPointSupport>true</tt:WSPullPointSupport><tt:WSPausableSubscriptionManagerInterfaceSupport>false</tt:WSPausableSubscriptionManagerInterfaceSupport></tt:Events>` +
        (cam.quirks.media2Only
          ? ''
          : `<tt:Media><tt:XAddr>${base}/onvif/media_service</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>`) +
        ptzCap +
        `</tds:Capabilities></tds:GetCapabilitiesResponse>`
      );
    }
    case 'GetServices': {
      const withCaps = str(r.IncludeCapability) === 'true';
      const svc = (ns: string, path: string, caps: string): string =>
        `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${base}${path}</tds:XAddr>${withCaps ? `<tds:Capabilities>${caps}</tds:Capabilities>` : ''}<tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>`;
      return (
        `<tds:GetServicesResponse>` +
        svc('http://www.onvif.org/ver10/device/wsdl', '/onvif/device_service', '<tds:Capabilities><tds:Network IPFilter="false" ZeroConfiguration="false" IPVersion6="false" DynDNS="false"/><tds:Security UsernameToken="true" HttpDigest="true"/><tds:System DiscoveryResolve="false" DiscoveryBye="true" RemoteDiscovery="false"/></tds:Capabilities>') +
        (cam.quirks.media2Only
          ? ''
          : svc('http://www.onvif.org/ver10/media/wsdl', '/onvif/media_service', '<trt:Capabilities SnapshotUri="true" Rotation="false"><trt:ProfileCapabilities MaximumNumberOfProfiles="2"/><trt:StreamingCapabilities RTPMulticast="false" RTP_TCP="true" RTP_RTSP_TCP="true"/></trt:Capabilities>')) +
        svc('http://www.onvif.org/ver20/media/wsdl', '/onvif/media2_service', '<tr2:Capabilities SnapshotUri="true" Rotation="false"><tr2:ProfileCapabilities MaximumNumberOfProfiles="2"/><tr2:StreamingCapabilities RTSPStreaming="true" RTPMulticast="false" RTP_RTSP_TCP="true"/></tr2:Capabilities>') +
        svc('http://www.onvif.org/ver10/events/wsdl', '/onvif/event_service', '<tev:Capabilities WSSubscriptionPolicySupport="false" WSPullPointSupport="true" WSPausableSubscriptionManagerInterfaceSupport="false" MaxPullPoints="10"/>') +
        (cam.hasPtz ? svc('http://www.onvif.org/ver20/ptz/wsdl', '/onvif/ptz_service', '<tptz:Capabilities EFlip="false" Reverse="false" GetCompatibleConfigurations="false"/>') : '') +
        `</tds:GetServicesResponse>`
      );
    }
    case 'GetServiceCapabilities':
      return `<tds:GetServiceCapabilitiesResponse><tds:Capabilities><tds:Network IPFilter="false" ZeroConfiguration="false" IPVersion6="false" DynDNS="false"/><tds:Security UsernameToken="true" HttpDigest="true"/><tds:System DiscoveryResolve="false" DiscoveryBye="true" RemoteDiscovery="false"/></tds:Capabilities></tds:GetServiceCapabilitiesResponse>`;
    case 'GetScopes': {
      const scopes = [
        'onvif://www.onvif.org/type/video_encoder',
        'onvif://www.onvif.org/type/Network_Video_Transmitter',
        'onvif://www.onvif.org/Profile/Streaming',
        ...(cam.hasPtz ? ['onvif://www.onvif.org/type/ptz'] : []),
        `onvif://www.onvif.org/name/${encodeURIComponent(cam.name)}`,
        `onvif://www.onvif.org/hardware/${encodeURIComponent(cam.hardware)}`,
        `onvif://www.onvif.org/location/${cam.location ? encodeURIComponent(cam.location.address) : 'unknown'}`,
        ...(cam.location ? [`onvif://www.onvif.org/location/geo/${cam.location.lat},${cam.location.lon}`] : []),
        `onvif://www.onvif.org/serial/${encodeURIComponent(cam.serialNumber)}`,
        `onvif://www.onvif.org/id/${encodeURIComponent(cam.id)}`,
      ];
      return `<tds:GetScopesResponse>${scopes.map((s) => `<tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>${xmlEscape(s)}</tt:ScopeItem></tds:Scopes>`).join('')}</tds:GetScopesResponse>`;
    }
    case 'GetHostname':
      return `<tds:GetHostnameResponse><tds:HostnameInformation><tt:FromDHCP>false</tt:FromDHCP><tt:Name>${xmlEscape(cam.id)}</tt:Name></tds:HostnameInformation></tds:GetHostnameResponse>`;
    case 'SystemReboot':
      setTimeout(() => void cam.reboot(3000), 200);
      return `<tds:SystemRebootResponse><tds:Message>Rebooting in 1 second</tds:Message></tds:SystemRebootResponse>`;
    default:
      throw notSupported(action);
  }
}

function videoSourceConfig(cam: OnvifDevice, channel = 1, tag = 'tt:VideoSourceConfiguration'): string {
  const s = cam.mainSettings;
  return `<${tag} token="VideoSourceConfig_${channel}"><tt:Name>VideoSourceConfig</tt:Name><tt:UseCount>2</tt:UseCount><tt:SourceToken>VideoSource_${channel}</tt:SourceToken><tt:Bounds x="0" y="0" width="${s.width}" height="${s.height}"/></${tag}>`;
}

function encoderConfig(cam: OnvifDevice, p: SimProfile, tag = 'tt:VideoEncoderConfiguration'): string {
  const s = p.stream === 'main' ? cam.mainSettings : cam.subSettings;
  // H.265 quirk: Hikvision/EZVIZ put the true codec in an attribute while <Encoding> keeps saying H264.
  const h265 = cam.quirks.h265 && p.stream === 'main' ? ' encoding="H265"' : '';
  return (
    `<${tag} token="${p.encoder}"${h265}><tt:Name>VideoEncoder_${p.stream}</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>` +
    `<tt:Resolution><tt:Width>${s.width}</tt:Width><tt:Height>${s.height}</tt:Height></tt:Resolution><tt:Quality>3</tt:Quality>` +
    `<tt:RateControl><tt:FrameRateLimit>${s.fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>${s.bitrateKbps}</tt:BitrateLimit></tt:RateControl>` +
    `<tt:H264><tt:GovLength>${s.gop}</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>` +
    `<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port><tt:TTL>0</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>` +
    `<tt:SessionTimeout>PT60S</tt:SessionTimeout></${tag}>`
  );
}

function ptzConfig(tag = 'tt:PTZConfiguration'): string {
  return (
    `<${tag} token="PTZConfig_1"><tt:Name>PTZ</tt:Name><tt:UseCount>2</tt:UseCount><tt:NodeToken>PTZNode_1</tt:NodeToken>` +
    `<tt:DefaultAbsolutePantTiltPositionSpace>http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace</tt:DefaultAbsolutePantTiltPositionSpace>` +
    `<tt:DefaultAbsoluteZoomPositionSpace>http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace</tt:DefaultAbsoluteZoomPositionSpace>` +
    `<tt:DefaultRelativePanTiltTranslationSpace>http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationGenericSpace</tt:DefaultRelativePanTiltTranslationSpace>` +
    `<tt:DefaultRelativeZoomTranslationSpace>http://www.onvif.org/ver10/tptz/ZoomSpaces/TranslationGenericSpace</tt:DefaultRelativeZoomTranslationSpace>` +
    `<tt:DefaultContinuousPanTiltVelocitySpace>http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace</tt:DefaultContinuousPanTiltVelocitySpace>` +
    `<tt:DefaultContinuousZoomVelocitySpace>http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace</tt:DefaultContinuousZoomVelocitySpace>` +
    `<tt:DefaultPTZSpeed><tt:PanTilt x="1" y="1" space="http://www.onvif.org/ver10/tptz/PanTiltSpaces/GenericSpeedSpace"/><tt:Zoom x="1" space="http://www.onvif.org/ver10/tptz/ZoomSpaces/ZoomGenericSpeedSpace"/></tt:DefaultPTZSpeed>` +
    `<tt:DefaultPTZTimeout>PT5S</tt:DefaultPTZTimeout>` +
    `<tt:PanTiltLimits><tt:Range><tt:URI>http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange><tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange></tt:Range></tt:PanTiltLimits>` +
    `<tt:ZoomLimits><tt:Range><tt:URI>http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace</tt:URI><tt:XRange><tt:Min>0</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:Range></tt:ZoomLimits></${tag}>`
  );
}

function profileXml(cam: OnvifDevice, p: SimProfile, tag = 'trt:Profiles'): string {
  return (
    `<${tag} token="${p.token}" fixed="true"><tt:Name>${p.name}</tt:Name>${videoSourceConfig(cam, p.channel)}${encoderConfig(cam, p)}` +
    (cam.hasPtz ? ptzConfig() : '') +
    `</${tag}>`
  );
}

function profileFor(cam: OnvifDevice, r: Req): SimProfile {
  const token = str(r.ProfileToken);
  const p = profilesOf(cam).find((x) => x.token === token);
  if (!p) throw soapFaultError(400, 'env:Sender', 'ter:InvalidArgVal', 'ter:NoProfile', `The requested profile token ${token} does not exist`);
  return p;
}

function media(cam: OnvifDevice, action: string, r: Req): string {
  switch (action) {
    case 'GetProfiles':
      return `<trt:GetProfilesResponse>${profilesOf(cam).map((p) => profileXml(cam, p)).join('')}</trt:GetProfilesResponse>`;
    case 'GetProfile':
      return `<trt:GetProfileResponse>${profileXml(cam, profileFor(cam, r), 'trt:Profile')}</trt:GetProfileResponse>`;
    case 'GetVideoSources': {
      const s = cam.mainSettings;
      return `<trt:GetVideoSourcesResponse><trt:VideoSources token="VideoSource_1"><tt:Framerate>${s.fps}</tt:Framerate><tt:Resolution><tt:Width>${s.width}</tt:Width><tt:Height>${s.height}</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>`;
    }
    case 'GetVideoSourceConfigurations':
      return `<trt:GetVideoSourceConfigurationsResponse>${videoSourceConfig(cam).replace(/tt:VideoSourceConfiguration/g, 'trt:Configurations')}</trt:GetVideoSourceConfigurationsResponse>`;
    case 'GetVideoEncoderConfigurations':
      return `<trt:GetVideoEncoderConfigurationsResponse>${profilesOf(cam).map((p) => encoderConfig(cam, p, 'trt:Configurations')).join('')}</trt:GetVideoEncoderConfigurationsResponse>`;
    case 'GetVideoEncoderConfiguration': {
      const token = str(r.ConfigurationToken);
      const p = profilesOf(cam).find((x) => x.encoder === token);
      if (!p) throw soapFaultError(400, 'env:Sender', 'ter:InvalidArgVal', 'ter:NoConfig', `No configuration ${token}`);
      return `<trt:GetVideoEncoderConfigurationResponse>${encoderConfig(cam, p, 'trt:Configuration')}</trt:GetVideoEncoderConfigurationResponse>`;
    }
    case 'GetStreamUri': {
      const p = profileFor(cam, r);
      return `<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>${xmlEscape(streamUri(cam, p))}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT60S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>`;
    }
    case 'GetSnapshotUri': {
      profileFor(cam, r);
      return `<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>${xmlEscape(cam.snapshotUrl)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT60S</tt:Timeout></trt:MediaUri></trt:GetSnapshotUriResponse>`;
    }
    case 'GetServiceCapabilities':
      return `<trt:GetServiceCapabilitiesResponse><trt:Capabilities SnapshotUri="true" Rotation="false"><trt:ProfileCapabilities MaximumNumberOfProfiles="2"/><trt:StreamingCapabilities RTPMulticast="false" RTP_TCP="true" RTP_RTSP_TCP="true"/></trt:Capabilities></trt:GetServiceCapabilitiesResponse>`;
    default:
      throw notSupported(action);
  }
}

/** The RTSP URI of a profile: every NVR channel serves the camera's stream, told apart by a `channel` query. */
function streamUri(cam: OnvifDevice, p: SimProfile): string {
  return p.channel === 1 ? cam.rtspUrl[p.stream] : `${cam.rtspUrl[p.stream]}?channel=${p.channel}`;
}

function media2ProfileXml(cam: OnvifDevice, p: SimProfile): string {
  const s = p.stream === 'main' ? cam.mainSettings : cam.subSettings;
  const encoding = cam.quirks.h265 && p.stream === 'main' ? 'H265' : 'H264';
  return (
    `<tr2:Profiles token="${p.token}" fixed="true"><tr2:Name>${p.name}</tr2:Name><tr2:Configurations>${videoSourceConfig(cam, p.channel, 'tr2:VideoSource')}` +
    `<tr2:VideoEncoder token="${p.encoder}" GovLength="${s.gop}" Profile="Main"><tt:Name>VideoEncoder_${p.stream}</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>${encoding}</tt:Encoding>` +
    `<tt:Resolution><tt:Width>${s.width}</tt:Width><tt:Height>${s.height}</tt:Height></tt:Resolution><tt:RateControl ConstantBitRate="false"><tt:FrameRateLimit>${s.fps}</tt:FrameRateLimit><tt:BitrateLimit>${s.bitrateKbps}</tt:BitrateLimit></tt:RateControl></tr2:VideoEncoder>` +
    (cam.hasPtz ? ptzConfig('tr2:PTZ') : '') +
    `</tr2:Configurations></tr2:Profiles>`
  );
}

function media2(cam: OnvifDevice, action: string, r: Req): string {
  switch (action) {
    case 'GetProfiles': {
      const wanted = str(r.Token);
      const profiles = profilesOf(cam).filter((p) => !wanted || p.token === wanted);
      return `<tr2:GetProfilesResponse>${profiles.map((p) => media2ProfileXml(cam, p)).join('')}</tr2:GetProfilesResponse>`;
    }
    case 'GetStreamUri':
      return `<tr2:GetStreamUriResponse><tr2:Uri>${xmlEscape(streamUri(cam, profileFor(cam, r)))}</tr2:Uri></tr2:GetStreamUriResponse>`;
    case 'GetSnapshotUri':
      profileFor(cam, r);
      return `<tr2:GetSnapshotUriResponse><tr2:Uri>${xmlEscape(cam.snapshotUrl)}</tr2:Uri></tr2:GetSnapshotUriResponse>`;
    case 'GetServiceCapabilities':
      return `<tr2:GetServiceCapabilitiesResponse><tr2:Capabilities SnapshotUri="true" Rotation="false"><tr2:ProfileCapabilities MaximumNumberOfProfiles="2"/><tr2:StreamingCapabilities RTSPStreaming="true" RTPMulticast="false" RTP_RTSP_TCP="true"/></tr2:Capabilities></tr2:GetServiceCapabilitiesResponse>`;
    default:
      throw notSupported(action);
  }
}

function vectorOf(node: unknown): Partial<PtzPosition> {
  const n = (node && typeof node === 'object' ? node : {}) as Req;
  const pt = (n.PanTilt && typeof n.PanTilt === 'object' ? n.PanTilt : {}) as Req;
  const z = (n.Zoom && typeof n.Zoom === 'object' ? n.Zoom : {}) as Req;
  const num = (v: unknown): number | undefined => {
    if (v === undefined) return undefined;
    const x = Number(v);
    if (!Number.isFinite(x)) throw soapFaultError(400, 'env:Sender', 'ter:InvalidArgVal', 'ter:InvalidPosition', `Not a number: ${String(v)}`);
    return x;
  };
  return { pan: num(pt['@_x']), tilt: num(pt['@_y']), zoom: num(z['@_x']) };
}

function ptzStatus(cam: OnvifDevice): string {
  const p = cam.ptzPosition();
  const moving = cam.ptz.moving ? 'MOVING' : 'IDLE';
  return (
    `<tt:Position><tt:PanTilt x="${p.pan}" y="${p.tilt}" space="http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"/><tt:Zoom x="${p.zoom}" space="http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace"/></tt:Position>` +
    `<tt:MoveStatus><tt:PanTilt>${moving}</tt:PanTilt><tt:Zoom>${moving}</tt:Zoom></tt:MoveStatus><tt:UtcTime>${iso(cam.now())}</tt:UtcTime>`
  );
}

function ptz(cam: OnvifDevice, action: string, r: Req): string {
  const needProfile = (): void => void profileFor(cam, r);
  switch (action) {
    case 'GetNodes':
    case 'GetNode': {
      const node =
        `<tptz:PTZNode token="PTZNode_1" FixedHomePosition="false"><tt:Name>PTZ</tt:Name><tt:SupportedPTZSpaces>` +
        `<tt:AbsolutePanTiltPositionSpace><tt:URI>http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange><tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange></tt:AbsolutePanTiltPositionSpace>` +
        `<tt:AbsoluteZoomPositionSpace><tt:URI>http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace</tt:URI><tt:XRange><tt:Min>0</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:AbsoluteZoomPositionSpace>` +
        `<tt:ContinuousPanTiltVelocitySpace><tt:URI>http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange><tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange></tt:ContinuousPanTiltVelocitySpace>` +
        `<tt:ContinuousZoomVelocitySpace><tt:URI>http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:ContinuousZoomVelocitySpace>` +
        `</tt:SupportedPTZSpaces><tt:MaximumNumberOfPresets>64</tt:MaximumNumberOfPresets><tt:HomeSupported>true</tt:HomeSupported></tptz:PTZNode>`;
      return action === 'GetNodes' ? `<tptz:GetNodesResponse>${node}</tptz:GetNodesResponse>` : `<tptz:GetNodeResponse>${node.replace(/tptz:PTZNode/g, 'tptz:PTZNode')}</tptz:GetNodeResponse>`;
    }
    case 'GetConfigurations':
      return `<tptz:GetConfigurationsResponse>${ptzConfig('tptz:PTZConfiguration')}</tptz:GetConfigurationsResponse>`;
    case 'GetStatus':
      needProfile();
      return `<tptz:GetStatusResponse><tptz:PTZStatus>${ptzStatus(cam)}</tptz:PTZStatus></tptz:GetStatusResponse>`;
    case 'AbsoluteMove':
      needProfile();
      cam.ptz.absolute(vectorOf(r.Position));
      return '<tptz:AbsoluteMoveResponse/>';
    case 'RelativeMove':
      needProfile();
      cam.ptz.relative(vectorOf(r.Translation));
      return '<tptz:RelativeMoveResponse/>';
    case 'ContinuousMove': {
      needProfile();
      const timeout = parseDuration(str(r.Timeout)) ?? 5000;
      cam.ptz.continuous(vectorOf(r.Velocity), timeout);
      return '<tptz:ContinuousMoveResponse/>';
    }
    case 'Stop':
      needProfile();
      cam.ptz.stop();
      return '<tptz:StopResponse/>';
    case 'GetPresets': {
      needProfile();
      const presets = [...cam.ptz.presets.values()]
        .map(
          (p) =>
            `<tptz:Preset token="${xmlEscape(p.token)}"><tt:Name>${xmlEscape(p.name)}</tt:Name><tt:PTZPosition><tt:PanTilt x="${p.position.pan}" y="${p.position.tilt}"/><tt:Zoom x="${p.position.zoom}"/></tt:PTZPosition></tptz:Preset>`,
        )
        .join('');
      return `<tptz:GetPresetsResponse>${presets}</tptz:GetPresetsResponse>`;
    }
    case 'SetPreset': {
      needProfile();
      const token = cam.ptz.setPreset(str(r.PresetName) || undefined, str(r.PresetToken) || undefined);
      return `<tptz:SetPresetResponse><tptz:PresetToken>${xmlEscape(token)}</tptz:PresetToken></tptz:SetPresetResponse>`;
    }
    case 'GotoPreset':
      needProfile();
      if (!cam.ptz.gotoPreset(str(r.PresetToken))) throw soapFaultError(400, 'env:Sender', 'ter:InvalidArgVal', 'ter:NoToken', `No preset ${str(r.PresetToken)}`);
      return '<tptz:GotoPresetResponse/>';
    case 'RemovePreset':
      needProfile();
      if (!cam.ptz.removePreset(str(r.PresetToken))) throw soapFaultError(400, 'env:Sender', 'ter:InvalidArgVal', 'ter:NoToken', `No preset ${str(r.PresetToken)}`);
      return '<tptz:RemovePresetResponse/>';
    case 'GotoHomePosition':
      needProfile();
      cam.ptz.gotoHome();
      return '<tptz:GotoHomePositionResponse/>';
    case 'SetHomePosition':
      needProfile();
      cam.ptz.setHome();
      return '<tptz:SetHomePositionResponse/>';
    case 'GetServiceCapabilities':
      return '<tptz:GetServiceCapabilitiesResponse><tptz:Capabilities EFlip="false" Reverse="false" GetCompatibleConfigurations="false"/></tptz:GetServiceCapabilitiesResponse>';
    default:
      throw notSupported(action);
  }
}

const TOPIC_SET =
  `<wstop:TopicSet><tns1:VideoSource wstop:topic="false"><MotionAlarm wstop:topic="true"/><GlobalSceneChange><ImagingService wstop:topic="true"/></GlobalSceneChange><ImageTooDark><ImagingService wstop:topic="true"/></ImageTooDark><ImageTooBlurry><ImagingService wstop:topic="true"/></ImageTooBlurry></tns1:VideoSource>` +
  `<tns1:RuleEngine wstop:topic="false"><CellMotionDetector><Motion wstop:topic="true"/></CellMotionDetector><TamperDetector><Tamper wstop:topic="true"/></TamperDetector></tns1:RuleEngine></wstop:TopicSet>`;

function events(cam: OnvifDevice, action: string, r: Req, base: string): string {
  switch (action) {
    case 'GetEventProperties':
      return (
        `<tev:GetEventPropertiesResponse><tev:TopicNamespaceLocation>http://www.onvif.org/onvif/ver10/topics/topicns.xml</tev:TopicNamespaceLocation><wsnt:FixedTopicSet>true</wsnt:FixedTopicSet>${TOPIC_SET}` +
        `<wsnt:TopicExpressionDialect>http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet</wsnt:TopicExpressionDialect><wsnt:TopicExpressionDialect>http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete</wsnt:TopicExpressionDialect>` +
        `<tev:MessageContentFilterDialect>http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter</tev:MessageContentFilterDialect><tev:MessageContentSchemaLocation>http://www.onvif.org/onvif/ver10/schema/onvif.xsd</tev:MessageContentSchemaLocation></tev:GetEventPropertiesResponse>`
      );
    case 'CreatePullPointSubscription': {
      const now = cam.now();
      const termination = terminationFrom(str(r.InitialTerminationTime), now) ?? now + DEFAULT_SUBSCRIPTION_MS;
      if (termination <= now) throw soapFaultError(400, 'env:Sender', 'wsnt:UnacceptableInitialTerminationTimeFault', undefined, 'Termination time is in the past');
      const sub = cam.events.subscribe(termination);
      const reference = cam.quirks.referenceParameters
        ? `<wsa:Address>${base}/onvif/subscription</wsa:Address><wsa:ReferenceParameters><dom0:SubscriptionId xmlns:dom0="http://www.axis.com/2009/event">${sub.id}</dom0:SubscriptionId></wsa:ReferenceParameters>`
        : `<wsa:Address>${base}/onvif/subscription/${sub.id}</wsa:Address>`;
      return (
        `<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference>${reference}</tev:SubscriptionReference>` +
        `<wsnt:CurrentTime>${iso(now)}</wsnt:CurrentTime><wsnt:TerminationTime>${iso(termination)}</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>`
      );
    }
    case 'GetServiceCapabilities':
      return '<tev:GetServiceCapabilitiesResponse><tev:Capabilities WSSubscriptionPolicySupport="false" WSPullPointSupport="true" WSPausableSubscriptionManagerInterfaceSupport="false" MaxNotificationProducers="0" MaxPullPoints="10"/></tev:GetServiceCapabilitiesResponse>';
    default:
      throw notSupported(action);
  }
}

function messageXml(m: CameraEventMessage): string {
  const items = (o: Record<string, string>): string => Object.entries(o).map(([k, v]) => `<tt:SimpleItem Name="${xmlEscape(k)}" Value="${xmlEscape(v)}"/>`).join('');
  return (
    `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">${xmlEscape(m.topic)}</wsnt:Topic>` +
    `<wsnt:Message><tt:Message UtcTime="${m.time.toISOString()}" PropertyOperation="${m.operation}"><tt:Source>${items(m.source)}</tt:Source><tt:Data>${items(m.data)}</tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`
  );
}

async function subscription(cam: OnvifDevice, action: string, r: Req, id: string): Promise<string> {
  cam.events.expire();
  const sub = cam.events.subscriptions.get(id);
  if (!sub) throw soapFaultError(400, 'env:Sender', 'ter:InvalidArgVal', 'wsrf-rw:ResourceUnknownFault', `Subscription ${id} does not exist or has expired`);
  switch (action) {
    case 'PullMessages': {
      const timeout = Math.min(MAX_PULL_TIMEOUT_MS, parseDuration(str(r.Timeout)) ?? 10_000);
      const limit = Math.max(1, Math.min(1000, Number(str(r.MessageLimit)) || 100));
      // A pull does not outlive its subscription.
      const wait = Math.max(0, Math.min(timeout, sub.terminationTime - cam.now()));
      const messages = await sub.pull(limit, wait);
      const now = cam.now();
      return `<tev:PullMessagesResponse><tev:CurrentTime>${iso(now)}</tev:CurrentTime><tev:TerminationTime>${iso(sub.terminationTime)}</tev:TerminationTime>${messages.map(messageXml).join('')}</tev:PullMessagesResponse>`;
    }
    case 'Renew': {
      const now = cam.now();
      const termination = terminationFrom(str(r.TerminationTime), now) ?? now + DEFAULT_SUBSCRIPTION_MS;
      sub.terminationTime = termination;
      return `<wsnt:RenewResponse><wsnt:TerminationTime>${iso(termination)}</wsnt:TerminationTime><wsnt:CurrentTime>${iso(now)}</wsnt:CurrentTime></wsnt:RenewResponse>`;
    }
    case 'Unsubscribe':
      cam.events.unsubscribe(id);
      return '<wsnt:UnsubscribeResponse/>';
    case 'SetSynchronizationPoint':
      return '<tev:SetSynchronizationPointResponse/>';
    default:
      throw notSupported(action);
  }
}
