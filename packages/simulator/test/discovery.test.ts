import { createSocket } from 'node:dgram';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraEndpointUuid, startSimulator, type Simulator } from '../src/index.js';
import { TINY } from './helpers.js';

function probe(port: number, types: string): Promise<string[]> {
  const messageId = `urn:uuid:${randomUUID()}`;
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?><Envelope xmlns="http://www.w3.org/2003/05/soap-envelope" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">` +
    `<Header><wsa:MessageID xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">${messageId}</wsa:MessageID>` +
    `<wsa:To xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>` +
    `<wsa:Action xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action></Header>` +
    `<Body><Probe xmlns="http://schemas.xmlsoap.org/ws/2005/04/discovery"><Types>${types}</Types><Scopes/></Probe></Body></Envelope>`;
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const answers: string[] = [];
    socket.on('message', (m) => answers.push(m.toString('utf8')));
    socket.bind(0, '127.0.0.1', () => socket.send(xml, port, '127.0.0.1'));
    setTimeout(() => {
      socket.close();
      resolve(answers.filter((a) => a.includes(messageId)));
    }, 800);
  });
}

describe('WS-Discovery responder', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ discovery: { port: 0 }, cameras: [{ id: 'd1', name: 'Chợ', ...TINY }, { id: 'd2', ...TINY }] });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('answers a Probe for NetworkVideoTransmitter with one ProbeMatch per camera, with XAddrs and scopes', async () => {
    expect(sim.discoveryPort).toBeGreaterThan(0);
    const answers = await probe(sim.discoveryPort!, 'dn:NetworkVideoTransmitter');
    expect(answers).toHaveLength(2);
    const xaddrs = answers.map((a) => /<d:XAddrs>([^<]+)</.exec(a)?.[1]).sort();
    expect(xaddrs).toEqual(sim.cameras.map((c) => c.onvifUrl).sort());
    expect(answers.join('')).toContain(cameraEndpointUuid('d1'));
    expect(answers.join('')).toContain(`onvif://www.onvif.org/name/${encodeURIComponent('Chợ')}`);
  });

  it('ignores probes for other device types', async () => {
    const answers = await probe(sim.discoveryPort!, 'wsdp:Printer');
    expect(answers).toEqual([]);
  });
});
