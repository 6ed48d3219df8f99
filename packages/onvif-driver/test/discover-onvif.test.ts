import { createSocket, type Socket } from 'node:dgram';
import { firstValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverOnvif } from '../src/index.js';

const match = (endpoint: string, xaddr: string, relatesTo: string) =>
  `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing">` +
  `<s:Header><a:RelatesTo>${relatesTo}</a:RelatesTo></s:Header><s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>${endpoint}</a:Address></a:EndpointReference>` +
  `<d:Scopes>onvif://www.onvif.org/name/Gate onvif://www.onvif.org/location/Market</d:Scopes><d:XAddrs>${xaddr}</d:XAddrs></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`;

describe('discoverOnvif over UDP (a fake responder on loopback)', () => {
  let responder: Socket | undefined;
  afterEach(() => {
    responder?.close();
    responder = undefined;
  });

  it('probes by unicast, ignores garbage, emits each endpoint once and completes after the timeout', async () => {
    responder = createSocket('udp4');
    const probes: string[] = [];
    responder.on('message', (msg, rinfo) => {
      const text = msg.toString();
      probes.push(text);
      const id = /<a:MessageID>([^<]+)</.exec(text)?.[1] ?? '';
      const send = (payload: string) => responder!.send(Buffer.from(payload), rinfo.port, rinfo.address);
      send('garbage that is not XML <<<');
      send(match('urn:uuid:a', 'http://127.0.0.1:8001/onvif/device_service', id));
      send(match('urn:uuid:a', 'http://127.0.0.1:8001/onvif/device_service', id));
      send(match('urn:uuid:b', 'http://127.0.0.1:8002/onvif/device_service', id));
    });
    await new Promise<void>((resolve) => responder!.bind(0, '127.0.0.1', resolve));
    const port = responder.address().port;
    const started = Date.now();
    const found = await firstValueFrom(discoverOnvif({ address: '127.0.0.1', port, timeoutMs: 600 }).pipe(toArray()));
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(probes).toHaveLength(1);
    expect(probes[0]).toContain('dn:NetworkVideoTransmitter');
    expect(found.map((c) => [c.endpoint, c.port, c.name, c.location])).toEqual([
      ['urn:uuid:a', 8001, 'Gate', 'Market'],
      ['urn:uuid:b', 8002, 'Gate', 'Market'],
    ]);
  });

  it('completes empty when nobody answers', async () => {
    const found = await firstValueFrom(discoverOnvif({ address: '127.0.0.1', port: 9, timeoutMs: 200 }).pipe(toArray()));
    expect(found).toEqual([]);
  });
});
