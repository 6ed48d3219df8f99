import { describe, expect, it } from 'vitest';
import { rewriteMediaHost, withCredentials, withoutCredentials } from '../src/media-uri.js';
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
    const uri = withCredentials('rtsp://10.0.0.5:554/live', 'ad@min', 'p:ss/w@rd#1');
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
