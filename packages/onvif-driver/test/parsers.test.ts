import { describe, expect, it } from 'vitest';
import { withRtspCredentials } from '@wardwatch/core/driver-kit';
import { rewriteMediaHost, withoutCredentials } from '../src/media-uri.js';
import { parseScopes } from '../src/parse-scopes.js';
import { parseProbeMatches } from '../src/discover-onvif.js';
import { selectProfiles } from '../src/select-profiles.js';
import { parseSystemDateAndTime } from '../src/system-date-and-time.js';
import { parseXml, path } from '../src/xml-tree.js';
import { dateTimeAnswer, envelope } from './helpers/fake-http-server.js';
import type { OnvifProfile } from '../src/onvif-profiles.js';

describe('GetSystemDateAndTime', () => {
  it('reads UTCDateTime', () => {
    const date = new Date(Date.UTC(2026, 10, 23, 1, 2, 3));
    const body = path(parseXml(dateTimeAnswer(date)), 'Envelope', 'Body')!;
    expect(parseSystemDateAndTime(body, 'x')).toBe(date.getTime());
  });

  it('converts LocalDateTime with a POSIX TZ when no UTC is given', () => {
    const xml = envelope(
      '<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:TimeZone><tt:TZ>ICT-7</tt:TZ></tt:TimeZone><tt:LocalDateTime><tt:Time><tt:Hour>10</tt:Hour><tt:Minute>0</tt:Minute><tt:Second>0</tt:Second></tt:Time><tt:Date><tt:Year>2026</tt:Year><tt:Month>1</tt:Month><tt:Day>2</tt:Day></tt:Date></tt:LocalDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>',
    );
    expect(parseSystemDateAndTime(path(parseXml(xml), 'Envelope', 'Body')!, 'x')).toBe(Date.UTC(2026, 0, 2, 3, 0, 0));
  });

  it('rejects an answer without a date with CAMERA_PROTOCOL_ERROR', () => {
    const body = path(parseXml(envelope('<tds:GetSystemDateAndTimeResponse/>')), 'Envelope', 'Body')!;
    expect(() => parseSystemDateAndTime(body, 'http://cam')).toThrow(expect.objectContaining({ code: 'CAMERA_PROTOCOL_ERROR' }));
  });
});

describe('media URIs', () => {
  it('rewrites the internal camera host to the reached host, keeping port and path', () => {
    expect(rewriteMediaHost('rtsp://192.168.1.64:554/Streaming/Channels/101', '10.0.0.5', ['192.168.1.64'])).toBe('rtsp://10.0.0.5:554/Streaming/Channels/101');
    expect(rewriteMediaHost('rtsp://0.0.0.0/live', 'cam.local', [])).toBe('rtsp://cam.local/live');
    expect(rewriteMediaHost('rtsp://media.example.org/live', '10.0.0.5', ['192.168.1.64'])).toBe('rtsp://media.example.org/live');
  });

  it('injects percent-encoded credentials and strips them again', () => {
    const uri = withRtspCredentials('rtsp://10.0.0.5:554/live', 'ad@min', 'p:ss/w@rd#1');
    expect(uri).toBe('rtsp://ad%40min:p%3Ass%2Fw%40rd%231@10.0.0.5:554/live');
    const parsed = new URL(uri);
    expect(decodeURIComponent(parsed.password)).toBe('p:ss/w@rd#1');
    expect(withoutCredentials(uri)).toBe('rtsp://10.0.0.5:554/live');
  });
});

describe('profile selection', () => {
  const p = (token: string, width: number, height: number): OnvifProfile => ({ token, name: token, width, height, encoding: 'h264', hasPtz: false, service: 'media' });
  it('takes the largest as main and the smallest smaller one as sub', () => {
    const chosen = selectProfiles([p('sub', 640, 360), p('main', 1920, 1080), p('third', 1280, 720)]);
    expect(chosen.main.token).toBe('main');
    expect(chosen.sub?.token).toBe('sub');
  });
  it('has no sub when only one resolution exists', () => {
    expect(selectProfiles([p('a', 640, 360), p('b', 640, 360)]).sub).toBeUndefined();
  });
  it('honours preferred tokens and rejects unknown ones', () => {
    expect(selectProfiles([p('a', 640, 360), p('b', 1280, 720)], { main: 'a' }).main.token).toBe('a');
    expect(() => selectProfiles([p('a', 640, 360)], { main: 'zzz' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});

describe('WS-Discovery parsing', () => {
  const match = (xaddrs: string, scopes: string) =>
    `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"><s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:1234</a:Address></a:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>${scopes}</d:Scopes><d:XAddrs>${xaddrs}</d:XAddrs></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`;

  it('reads address, XAddrs and name/location/hardware from scopes', () => {
    const cams = parseProbeMatches(
      match(
        'http://10.1.1.1:8000/onvif/device_service http://192.168.1.64/onvif/device_service',
        'onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/name/C%E1%BB%95ng%20ch%E1%BB%A3 onvif://www.onvif.org/location/city/HaNoi onvif://www.onvif.org/hardware/DS-2CD2043',
      ),
      'onvif',
      '192.168.1.64',
    );
    expect(cams).toEqual([
      {
        driver: 'onvif',
        host: '192.168.1.64',
        port: 80,
        xaddrs: ['http://10.1.1.1:8000/onvif/device_service', 'http://192.168.1.64/onvif/device_service'],
        endpoint: 'urn:uuid:1234',
        name: 'Cổng chợ',
        location: 'city/HaNoi',
        hardware: 'DS-2CD2043',
        scopes: expect.arrayContaining(['onvif://www.onvif.org/type/video_encoder']),
      },
    ]);
  });

  it('parses scopes on their own', () => {
    expect(parseScopes(['onvif://www.onvif.org/name/Cam+1', 'onvif://www.onvif.org/hardware/X'])).toEqual({ name: 'Cam 1', hardware: 'X' });
  });

  it('throws on garbage datagrams', () => {
    expect(() => parseProbeMatches('<not xml', 'onvif', '1.2.3.4')).toThrow();
  });
});

describe('POSIX TZ with DST (issue 25.11)', () => {
  it('reads offsets and M-rules, and converts local readings either side of both transitions', async () => {
    const { parsePosixTz, localToUtc } = await import('../src/posix-tz.js');
    const cet = parsePosixTz('CET-1CEST,M3.5.0,M10.5.0/3')!;
    expect(cet.standardOffsetMs).toBe(3_600_000);
    expect(cet.dst?.offsetMs).toBe(7_200_000);
    // 2026: DST from Sunday 29 March 02:00 CET to Sunday 25 October 03:00 CEST.
    expect(localToUtc(Date.UTC(2026, 2, 29, 1, 59), cet)).toBe(Date.UTC(2026, 2, 29, 0, 59));
    expect(localToUtc(Date.UTC(2026, 2, 29, 3, 0), cet)).toBe(Date.UTC(2026, 2, 29, 1, 0));
    expect(localToUtc(Date.UTC(2026, 6, 1, 12, 0), cet)).toBe(Date.UTC(2026, 6, 1, 10, 0));
    expect(localToUtc(Date.UTC(2026, 9, 25, 1, 59), cet)).toBe(Date.UTC(2026, 9, 24, 23, 59));
    expect(localToUtc(Date.UTC(2026, 9, 25, 3, 0), cet)).toBe(Date.UTC(2026, 9, 25, 2, 0));
    expect(localToUtc(Date.UTC(2026, 11, 24, 12, 0), cet)).toBe(Date.UTC(2026, 11, 24, 11, 0));
    // Southern hemisphere (DST across the new year), and zones without DST.
    const aest = parsePosixTz('AEST-10AEDT,M10.1.0,M4.1.0/3')!;
    expect(localToUtc(Date.UTC(2026, 0, 15, 12, 0), aest)).toBe(Date.UTC(2026, 0, 15, 1, 0));
    expect(localToUtc(Date.UTC(2026, 6, 15, 12, 0), aest)).toBe(Date.UTC(2026, 6, 15, 2, 0));
    expect(parsePosixTz('ICT-7')).toEqual({ standardOffsetMs: 7 * 3_600_000 });
    expect(parsePosixTz('<+07>-7')).toEqual({ standardOffsetMs: 7 * 3_600_000 });
    expect(parsePosixTz('GMT-07:00')).toEqual({ standardOffsetMs: 7 * 3_600_000 });
    expect(parsePosixTz('MoroccoStandardTime0')).toEqual({ standardOffsetMs: 0 });
    expect(parsePosixTz('W. Europe Standard Time')).toBeUndefined();
  });
});

describe('service addresses (issue 25.6)', () => {
  it('repairs a port written twice and rebases to the reached address', async () => {
    const { rebaseServiceUrl, repairUrl } = await import('../src/service-url.js');
    expect(repairUrl('http://192.168.1.106:8106:8106/onvif/Subscription?Idx=43')).toBe('http://192.168.1.106:8106/onvif/Subscription?Idx=43');
    expect(repairUrl('http://[fe80::1]:80/onvif')).toBe('http://[fe80::1]:80/onvif');
    expect(rebaseServiceUrl('http://192.168.1.106:8106:8106/onvif/Subscription?Idx=43', 'http://10.0.0.5:8080/onvif/device_service')).toBe('http://10.0.0.5:8080/onvif/Subscription?Idx=43');
    expect(rebaseServiceUrl('not a url', 'http://10.0.0.5/onvif/device_service')).toBeUndefined();
  });
});

describe('WS-Addressing reference parameters (issue 25.7)', () => {
  it('turns each ReferenceParameters element into a header block marked IsReferenceParameter, keeping its namespace', async () => {
    const { referenceParameterHeaders } = await import('../src/reference-parameters.js');
    const xml =
      '<e:Envelope xmlns:e="x" xmlns:wsa5="http://www.w3.org/2005/08/addressing" xmlns:vnd="urn:vendor"><e:Body><tev:CreatePullPointSubscriptionResponse xmlns:tev="t"><tev:SubscriptionReference><wsa5:Address>http://cam/onvif/services</wsa5:Address>' +
      '<wsa5:ReferenceParameters><dom0:SubscriptionId xmlns:dom0="http://www.axis.com/2009/event">297</dom0:SubscriptionId><vnd:Slot/></wsa5:ReferenceParameters></tev:SubscriptionReference></tev:CreatePullPointSubscriptionResponse></e:Body></e:Envelope>';
    expect(referenceParameterHeaders(xml)).toEqual([
      '<dom0:SubscriptionId a:IsReferenceParameter="true" xmlns:dom0="http://www.axis.com/2009/event">297</dom0:SubscriptionId>',
      '<vnd:Slot xmlns:vnd="urn:vendor" a:IsReferenceParameter="true"/>',
    ]);
    expect(referenceParameterHeaders(xml.replace(/<wsa5:ReferenceParameters>.*<\/wsa5:ReferenceParameters>/, ''))).toEqual([]);
  });
});

describe('discovery of https devices (issue 25.12)', () => {
  it('keeps port 443 for an https XAddr without a port', () => {
    const xml = `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"><s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:1</a:Address></a:EndpointReference><d:Scopes></d:Scopes><d:XAddrs>https://10.0.0.9/onvif/device_service</d:XAddrs></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`;
    expect(parseProbeMatches(xml, 'onvif', '10.0.0.9')[0]).toMatchObject({ host: '10.0.0.9', port: 443, xaddrs: ['https://10.0.0.9/onvif/device_service'] });
  });
});

describe('scope decoding', () => {
  it('decodes UTF-8 escapes and keeps going on malformed ones', () => {
    expect(parseScopes(['onvif://www.onvif.org/name/C%E1%BB%95ng+ch%E1%BB%A3', 'onvif://www.onvif.org/location/50%_off%E1'])).toEqual({ name: 'Cổng chợ', location: '50%_off\uFFFD' });
  });
});
