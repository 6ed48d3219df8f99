import { createHash, randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { SimCamera } from './sim-camera.js';
import { xmlEscape } from './soap-envelope.js';

/** Stable urn:uuid endpoint reference of a camera, derived from its id. */
export function cameraEndpointUuid(id: string): string {
  const h = createHash('sha1').update(`wardwatch-sim:${id}`).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * WS-Discovery responder (SOAP-over-UDP): answers `Probe` messages (types `dn:NetworkVideoTransmitter`,
 * `tds:Device`, or none) with one `ProbeMatches` per camera, sent unicast to the prober. Listens on a
 * configurable port, so discovery works on loopback without privileges or multicast.
 */
export class WsDiscoveryResponder {
  private socket: Socket | undefined;
  /** Bound UDP port. */
  port = 0;

  constructor(private readonly host: string, private readonly cameras: readonly SimCamera[]) {}

  /** Binds the UDP port (0 = ephemeral). */
  async listen(port: number): Promise<void> {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, this.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', (error) => process.emitWarning(`simulator WS-Discovery responder: ${error.message}`));
    socket.on('message', (msg, rinfo) => this.onMessage(msg.toString('utf8'), rinfo.address, rinfo.port));
    this.socket = socket;
    this.port = socket.address().port;
  }

  /** Closes the socket. */
  async close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private onMessage(text: string, address: string, port: number): void {
    if (!/<([a-zA-Z0-9]+:)?Probe[\s>/]/.test(text)) return;
    const messageId = /<([a-zA-Z0-9]+:)?MessageID[^>]*>([^<]+)</.exec(text)?.[2]?.trim() ?? '';
    const types = /<([a-zA-Z0-9]+:)?Types[^>]*>([^<]*)</.exec(text)?.[2]?.trim() ?? '';
    if (types && !/NetworkVideoTransmitter|Device/.test(types)) return;
    for (const cam of this.cameras) {
      const xml = this.probeMatch(cam, messageId);
      this.socket?.send(Buffer.from(xml, 'utf8'), port, address);
    }
  }

  private probeMatch(cam: SimCamera, relatesTo: string): string {
    const scopes = [
      'onvif://www.onvif.org/type/video_encoder',
      'onvif://www.onvif.org/type/Network_Video_Transmitter',
      'onvif://www.onvif.org/Profile/Streaming',
      `onvif://www.onvif.org/name/${encodeURIComponent(cam.name)}`,
      `onvif://www.onvif.org/hardware/${encodeURIComponent(cam.hardware)}`,
      `onvif://www.onvif.org/id/${encodeURIComponent(cam.id)}`,
    ].join(' ');
    return (
      `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" ` +
      `xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">` +
      `<SOAP-ENV:Header><wsa:MessageID>urn:uuid:${randomUUID()}</wsa:MessageID><wsa:RelatesTo>${xmlEscape(relatesTo)}</wsa:RelatesTo>` +
      `<wsa:To SOAP-ENV:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>` +
      `<wsa:Action SOAP-ENV:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action></SOAP-ENV:Header>` +
      `<SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch><wsa:EndpointReference><wsa:Address>${cameraEndpointUuid(cam.id)}</wsa:Address></wsa:EndpointReference>` +
      `<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types><d:Scopes>${xmlEscape(scopes)}</d:Scopes><d:XAddrs>${xmlEscape(cam.onvifUrl)}</d:XAddrs>` +
      `<d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>`
    );
  }
}
