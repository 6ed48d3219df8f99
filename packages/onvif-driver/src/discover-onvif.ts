import { createSocket } from 'node:dgram';
import { randomUUID } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { Observable } from 'rxjs';
import { WardwatchError, silentLogger, systemClock, type Clock, type DiscoverOptions, type DiscoveredCamera, type Logger } from '@wardwatch/core';
import { parseScopes } from './parse-scopes.js';
import { asArray, path, text, parseXml, type XmlNode } from './xml-tree.js';

/** Builds a WS-Discovery Probe for ONVIF network video transmitters. */
export function wsDiscoveryProbe(messageId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"' +
    ' xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
    '<s:Header>' +
    `<a:MessageID>urn:uuid:${messageId}</a:MessageID>` +
    '<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>' +
    '<a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>' +
    '</s:Header>' +
    '<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body>' +
    '</s:Envelope>'
  );
}

/** Reads the cameras of one ProbeMatches datagram (driver id `driverId`). */
export function parseProbeMatches(xml: string, driverId: string, senderAddress: string): DiscoveredCamera[] {
  const doc: XmlNode = parseXml(xml);
  const matches = path(doc, 'Envelope', 'Body', 'ProbeMatches');
  return asArray<XmlNode>(matches?.ProbeMatch).flatMap((match) => {
    const xaddrs = (text(match, 'XAddrs') ?? '').split(/\s+/).filter((x) => /^https?:\/\//i.test(x));
    if (xaddrs.length === 0) return [];
    const endpoint = text(path(match, 'EndpointReference'), 'Address');
    const scopes = (text(match, 'Scopes') ?? '').split(/\s+/).filter((s) => s.length > 0);
    const chosen = xaddrs.map((x) => new URL(x)).find((u) => u.hostname === senderAddress) ?? new URL(xaddrs[0]!);
    const facts = parseScopes(scopes);
    const camera: DiscoveredCamera = {
      driver: driverId,
      host: chosen.hostname.replace(/^\[|\]$/g, ''),
      // https XAddrs keep their scheme's port (443), so the camera is not later reached in clear on 80.
      port: chosen.port ? Number(chosen.port) : chosen.protocol === 'https:' ? 443 : 80,
      xaddrs,
      scopes,
      ...(endpoint ? { endpoint } : {}),
      ...facts,
    };
    return [camera];
  });
}

/** Settings of {@link discoverOnvif} beyond core's {@link DiscoverOptions}. */
export interface DiscoverOnvifSettings {
  driverId?: string;
  clock?: Clock;
  logger?: Logger;
}

/**
 * WS-Discovery: sends a Probe (multicast 239.255.255.250:3702 by default, or unicast to
 * `address:port`) from all interfaces or `interfaceAddress`, emits each camera once (by endpoint
 * or device address) and completes after `timeoutMs`.
 */
export function discoverOnvif(options: DiscoverOptions = {}, settings: DiscoverOnvifSettings = {}): Observable<DiscoveredCamera> {
  const clock = settings.clock ?? systemClock;
  const logger = settings.logger ?? silentLogger;
  const driverId = settings.driverId ?? 'onvif';
  const timeoutMs = options.timeoutMs ?? 3000;
  const port = options.port ?? 3702;
  const address = options.address ?? '239.255.255.250';
  return new Observable<DiscoveredCamera>((subscriber) => {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    const seen = new Set<string>();
    const messageId = randomUUID();
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      socket.close();
    };
    socket.on('error', (cause) => {
      close();
      subscriber.error(
        new WardwatchError('CAMERA_UNREACHABLE', `WS-Discovery socket failed: ${cause.message}`, { cause, details: { operation: 'discover', address: `${address}:${port}` } }),
      );
    });
    socket.on('message', (message, rinfo) => {
      const xml = message.toString('utf8');
      if (!xml.includes(messageId)) {
        // Answers to other probes (or stray datagrams) are not ours.
        if (!/ProbeMatches/.test(xml)) return;
      }
      let cameras: DiscoveredCamera[];
      try {
        cameras = parseProbeMatches(xml, driverId, rinfo.address);
      } catch (error) {
        logger.warn({ from: rinfo.address, error: (error as Error).message }, 'malformed WS-Discovery answer ignored');
        return;
      }
      for (const camera of cameras) {
        const key = camera.endpoint ?? camera.xaddrs?.[0] ?? camera.host;
        if (seen.has(key)) continue;
        seen.add(key);
        subscriber.next(camera);
      }
    });
    const probe = Buffer.from(wsDiscoveryProbe(messageId), 'utf8');
    const multicast = /^2(2[4-9]|3\d)\./.test(address);
    // Multicast from every IPv4 interface (a station PC often has one card for cameras, one for the office).
    const outgoing = options.interfaceAddress
      ? [options.interfaceAddress]
      : multicast
        ? Object.values(networkInterfaces())
            .flat()
            .filter((i) => i !== undefined && i.family === 'IPv4' && !i.internal)
            .map((i) => i!.address)
        : [];
    socket.bind({ port: 0, ...(options.interfaceAddress ? { address: options.interfaceAddress } : {}) }, () => {
      if (closed) return;
      // One send at a time: the multicast interface applies to the datagram being sent.
      const queue: (string | undefined)[] = outgoing.length === 0 ? [undefined] : [...outgoing];
      const sendNext = (): void => {
        if (closed || queue.length === 0) return;
        const iface = queue.shift();
        try {
          if (iface && multicast) socket.setMulticastInterface(iface);
        } catch (error) {
          logger.warn({ interface: iface, error: (error as Error).message }, 'could not select the multicast interface');
        }
        socket.send(probe, port, address, (error) => {
          if (error) logger.warn({ interface: iface, error: error.message }, 'WS-Discovery probe could not be sent');
          sendNext();
        });
      };
      sendNext();
    });
    const timer = clock.schedule(() => {
      close();
      subscriber.complete();
    }, timeoutMs);
    return () => {
      timer.unsubscribe();
      close();
    };
  });
}
