import { dateTimeAnswer, envelope, startFakeHttpServer, type FakeHttpServer } from './fake-http-server.js';

/** A canned ONVIF camera that reports an internal LAN address (192.168.1.64) in every URI it gives. */
export interface CannedCamera {
  server: FakeHttpServer;
  /** Camera clock minus real clock, ms. */
  skewMs: number;
  /** Per-action overrides: return a raw [status, body] to answer instead. */
  override: Map<string, () => [number, string]>;
  /** Actions received, in order. */
  actions: string[];
}

const INTERNAL = 'http://192.168.1.64:80';
/** A 1x1 JPEG-looking body (SOI ... EOI). */
export const TINY_JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0xff, 0xd9]);

function profile(token: string, width: number, height: number, ptz: boolean): string {
  return (
    `<trt:Profiles token="${token}" fixed="true"><tt:Name>${token}</tt:Name>` +
    `<tt:VideoEncoderConfiguration token="enc_${token}"><tt:Name>enc</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>` +
    `<tt:Resolution><tt:Width>${width}</tt:Width><tt:Height>${height}</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>` +
    `<tt:RateControl><tt:FrameRateLimit>15</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>1024</tt:BitrateLimit></tt:RateControl></tt:VideoEncoderConfiguration>` +
    (ptz ? `<tt:PTZConfiguration token="ptz0"><tt:Name>ptz</tt:Name><tt:UseCount>1</tt:UseCount><tt:NodeToken>node0</tt:NodeToken></tt:PTZConfiguration>` : '') +
    `</trt:Profiles>`
  );
}

const ns =
  'xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl"';

export async function startCannedCamera(options: { ptz?: boolean } = {}): Promise<CannedCamera> {
  const server = await startFakeHttpServer();
  const cam: CannedCamera = { server, skewMs: 0, override: new Map(), actions: [] };
  server.handle = (req, res, body) => {
    if (req.method === 'GET' && req.url === '/snap.jpg') {
      res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(TINY_JPEG);
      return;
    }
    const action = /<(?:\w+:)?Body[^>]*>\s*<(?:\w+:)?(\w+)/.exec(body)?.[1] ?? '?';
    cam.actions.push(action);
    const custom = cam.override.get(action);
    if (custom) {
      const [status, xml] = custom();
      res.writeHead(status, { 'Content-Type': 'application/soap+xml' }).end(xml);
      return;
    }
    const reply = (xml: string) => res.writeHead(200, { 'Content-Type': 'application/soap+xml' }).end(xml.replace('<env:Envelope ', `<env:Envelope ${ns} `));
    const ptz = options.ptz ?? false;
    switch (action) {
      case 'GetSystemDateAndTime':
        return reply(dateTimeAnswer(new Date(Date.now() + cam.skewMs)));
      case 'GetCapabilities':
        return reply(
          envelope(
            `<tds:GetCapabilitiesResponse><tds:Capabilities>` +
              `<tt:Device><tt:XAddr>${INTERNAL}/onvif/device_service</tt:XAddr></tt:Device>` +
              `<tt:Events><tt:XAddr>${INTERNAL}/onvif/events</tt:XAddr><tt:WSPullPointSupport>true</tt:WSPullPointSupport></tt:Events>` +
              `<tt:Media><tt:XAddr>${INTERNAL}/onvif/media</tt:XAddr></tt:Media>` +
              (ptz ? `<tt:PTZ><tt:XAddr>${INTERNAL}/onvif/ptz</tt:XAddr></tt:PTZ>` : '') +
              `</tds:Capabilities></tds:GetCapabilitiesResponse>`,
          ),
        );
      case 'GetDeviceInformation':
        return reply(
          envelope(
            '<tds:GetDeviceInformationResponse><tds:Manufacturer>Acme</tds:Manufacturer><tds:Model>X1</tds:Model><tds:FirmwareVersion>1.0</tds:FirmwareVersion><tds:SerialNumber>0042</tds:SerialNumber><tds:HardwareId>hw</tds:HardwareId></tds:GetDeviceInformationResponse>',
          ),
        );
      case 'GetProfiles':
        return reply(envelope(`<trt:GetProfilesResponse>${profile('sub_1', 640, 360, false)}${profile('main_1', 1280, 720, ptz)}</trt:GetProfilesResponse>`));
      case 'GetStreamUri': {
        const token = /ProfileToken>([^<]+)</.exec(body)?.[1] ?? '';
        return reply(
          envelope(
            `<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>rtsp://192.168.1.64:554/${token === 'main_1' ? 'Streaming/Channels/101' : 'Streaming/Channels/102'}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>`,
          ),
        );
      }
      case 'GetSnapshotUri':
        return reply(
          envelope(
            `<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>http://192.168.1.64:${server.port}/snap.jpg</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetSnapshotUriResponse>`,
          ),
        );
      case 'SetPreset':
        return reply(envelope('<tptz:SetPresetResponse><tptz:PresetToken>preset_7</tptz:PresetToken></tptz:SetPresetResponse>'));
      case 'GetPresets':
        return reply(
          envelope('<tptz:GetPresetsResponse><tptz:Preset token="preset_7"><tt:Name>Gate</tt:Name></tptz:Preset><tptz:Preset token="preset_8"><tt:Name>Market</tt:Name></tptz:Preset></tptz:GetPresetsResponse>'),
        );
      case 'GetStatus':
        return reply(
          envelope(
            '<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position><tt:PanTilt x="0.25" y="-0.5"/><tt:Zoom x="0.1"/></tt:Position><tt:MoveStatus><tt:PanTilt>IDLE</tt:PanTilt></tt:MoveStatus><tt:UtcTime>2026-01-01T00:00:00Z</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>',
          ),
        );
      case 'ContinuousMove':
      case 'AbsoluteMove':
      case 'RelativeMove':
      case 'Stop':
      case 'GotoPreset':
      case 'GotoHomePosition':
        return reply(envelope(`<tptz:${action}Response/>`));
      default:
        res.writeHead(400).end(envelope(`<env:Fault><env:Code><env:Value>env:Receiver</env:Value><env:Subcode><env:Value>ter:ActionNotSupported</env:Value></env:Subcode></env:Code><env:Reason><env:Text>no ${action}</env:Text></env:Reason></env:Fault>`));
    }
  };
  return cam;
}
