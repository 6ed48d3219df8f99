import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/index.js';
import { TINY, httpDigest } from './helpers.js';

const env = (body: string, header = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">${header ? `<s:Header>${header}</s:Header>` : ''}<s:Body>${body}</s:Body></s:Envelope>`;

describe('device quirks worth keeping in demos', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({
      cameras: [
        { id: 'nvr', onvifAuth: 'digest', ...TINY, quirks: { media2Only: true, h265: true, channels: 3, referenceParameters: true } },
        { id: 'plain', onvifAuth: 'digest', ...TINY },
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await sim?.stop();
  });

  const post = async (id: string, path: string, body: string, header = '') => {
    const cam = sim.camera(id);
    const res = await httpDigest(`http://${cam.host}:${cam.onvifPort}${path}`, cam.username, cam.password, 'POST', env(body, header));
    return { status: res.status, xml: res.body.toString('utf8') };
  };

  it('media2Only: no Media in GetCapabilities, ver20/media in GetServices, Media1 calls fault', async () => {
    const caps = await post('nvr', '/onvif/device_service', '<GetCapabilities xmlns="http://www.onvif.org/ver10/device/wsdl"/>');
    expect(caps.xml).not.toContain('<tt:Media>');
    const services = await post('nvr', '/onvif/device_service', '<GetServices xmlns="http://www.onvif.org/ver10/device/wsdl"><IncludeCapability>false</IncludeCapability></GetServices>');
    expect(services.xml).toContain('<tds:Namespace>http://www.onvif.org/ver20/media/wsdl</tds:Namespace>');
    expect(services.xml).not.toContain('<tds:Namespace>http://www.onvif.org/ver10/media/wsdl</tds:Namespace>');
    const media1 = await post('nvr', '/onvif/media_service', '<GetProfiles xmlns="http://www.onvif.org/ver10/media/wsdl"/>');
    expect(media1.status).toBe(400);
    expect(media1.xml).toContain('ter:ActionNotSupported');
    // A camera without quirks lists both.
    const plain = await post('plain', '/onvif/device_service', '<GetServices xmlns="http://www.onvif.org/ver10/device/wsdl"><IncludeCapability>false</IncludeCapability></GetServices>');
    expect(plain.xml).toContain('<tds:Namespace>http://www.onvif.org/ver10/media/wsdl</tds:Namespace>');
    expect(plain.xml).toContain('<tds:Namespace>http://www.onvif.org/ver20/media/wsdl</tds:Namespace>');
  });

  it('h265 + channels: Media2 profiles per channel, main reported as H265, stream URIs per channel', async () => {
    const profiles = await post('nvr', '/onvif/media2_service', '<GetProfiles xmlns="http://www.onvif.org/ver20/media/wsdl"><Type>All</Type></GetProfiles>');
    expect([...profiles.xml.matchAll(/<tr2:Profiles token="([^"]+)"/g)].map((m) => m[1])).toEqual(['Profile_1', 'Profile_2', 'Profile_201', 'Profile_202', 'Profile_301', 'Profile_302']);
    expect([...profiles.xml.matchAll(/<tt:Encoding>(\w+)</g)].map((m) => m[1])).toEqual(['H265', 'H264', 'H265', 'H264', 'H265', 'H264']);
    expect(profiles.xml).toContain('<tt:SourceToken>VideoSource_3</tt:SourceToken>');
    const uri = await post('nvr', '/onvif/media2_service', '<GetStreamUri xmlns="http://www.onvif.org/ver20/media/wsdl"><Protocol>RTSP</Protocol><ProfileToken>Profile_202</ProfileToken></GetStreamUri>');
    expect(uri.xml).toContain(`<tr2:Uri>${sim.camera('nvr').rtspUrl.sub}?channel=2</tr2:Uri>`);
    const media1 = await post('plain', '/onvif/media_service', '<GetProfiles xmlns="http://www.onvif.org/ver10/media/wsdl"/>');
    expect(media1.xml).not.toContain('encoding="H265"');
    expect(() => sim.camera('plain').triggerMotion(100, 2)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    await expect(startSimulator({ cameras: [{ id: 'x', quirks: { channels: 0 } }] })).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('quirks.channels') });
  });

  it('referenceParameters: one subscription address, SubscriptionId required on every pull, events name their channel', async () => {
    const created = await post('nvr', '/onvif/event_service', '<CreatePullPointSubscription xmlns="http://www.onvif.org/ver10/events/wsdl"><InitialTerminationTime>PT60S</InitialTerminationTime></CreatePullPointSubscription>');
    expect(created.xml).toMatch(/<wsa:Address>http:\/\/[^<]+\/onvif\/subscription<\/wsa:Address>/);
    const id = /<dom0:SubscriptionId xmlns:dom0="http:\/\/www\.axis\.com\/2009\/event">([^<]+)</.exec(created.xml)?.[1];
    expect(id).toBeTruthy();
    const pull = '<PullMessages xmlns="http://www.onvif.org/ver10/events/wsdl"><Timeout>PT1S</Timeout><MessageLimit>100</MessageLimit></PullMessages>';
    const without = await post('nvr', '/onvif/subscription', pull);
    expect(without.status).toBe(400);
    expect(without.xml).toContain('ter:InvalidArgs');
    // Drain the Initialized states, then raise motion on channel 2.
    await post('nvr', '/onvif/subscription', pull, `<dom0:SubscriptionId xmlns:dom0="http://www.axis.com/2009/event">${id}</dom0:SubscriptionId>`);
    sim.camera('nvr').triggerMotion(60_000, 2);
    const got = await post('nvr', '/onvif/subscription', pull, `<dom0:SubscriptionId xmlns:dom0="http://www.axis.com/2009/event">${id}</dom0:SubscriptionId>`);
    expect(got.status).toBe(200);
    expect(got.xml).toContain('<tt:SimpleItem Name="Source" Value="VideoSource_2"/>');
    expect(got.xml).toContain('<tt:SimpleItem Name="VideoSourceConfigurationToken" Value="VideoSourceConfig_2"/>');
  });
});
