import { describe, expect, it } from 'vitest';
import { AnnexBSplitter, type AccessUnit } from '../src/annexb-splitter.js';
import { packetizeAccessUnit, rtcpSenderReport, writeRtpHeader } from '../src/rtp-packetizer.js';
import { parseDuration } from '../src/onvif-handlers.js';
import { checkAuthorization } from '../src/digest-auth.js';
import { createHash } from 'node:crypto';

const sc4 = Buffer.from([0, 0, 0, 1]);
const sc3 = Buffer.from([0, 0, 1]);

describe('AnnexBSplitter', () => {
  it('splits access units on AUDs across arbitrary chunk boundaries, with 3- and 4-byte start codes', () => {
    const aud = Buffer.from([0x09, 0xf0]);
    const sps = Buffer.from([0x67, 1, 2, 3]);
    const pps = Buffer.from([0x68, 4, 5]);
    const idr = Buffer.from([0x65, ...Array.from({ length: 50 }, (_, i) => (i % 7) + 1)]);
    const p = Buffer.from([0x41, 9, 8, 7]);
    // An access unit is complete when the next one's AUD has been seen (one frame of latency).
    const stream = Buffer.concat([sc4, aud, sc4, sps, sc4, pps, sc3, idr, sc4, aud, sc3, p, sc4, aud, sc4]);
    for (const step of [1, 3, 7, stream.length]) {
      const out: AccessUnit[] = [];
      const s = new AnnexBSplitter((au) => out.push(au));
      for (let i = 0; i < stream.length; i += step) s.push(stream.subarray(i, i + step));
      expect(out.map((au) => au.keyframe)).toEqual([true, false]);
      expect(out[0]!.nals).toEqual([sps, pps, idr]);
      expect(out[1]!.nals).toEqual([p]);
    }
  });
});

describe('RTP packetiser (RFC 6184)', () => {
  it('sends small NALs whole and fragments big ones as FU-A with S/E bits', () => {
    const small = Buffer.from([0x67, 1, 2, 3]);
    const big = Buffer.concat([Buffer.from([0x65]), Buffer.alloc(3000, 0xab)]);
    const payloads = packetizeAccessUnit([small, big], 1400);
    expect(payloads[0]).toEqual(small);
    const fus = payloads.slice(1);
    expect(fus.length).toBe(3);
    for (const fu of fus) {
      expect(fu[0]! & 0x1f).toBe(28);
      expect(fu[0]! & 0xe0).toBe(0x65 & 0xe0);
      expect(fu[1]! & 0x1f).toBe(5);
      expect(fu.length).toBeLessThanOrEqual(1400);
    }
    expect(fus.map((f) => f[1]! & 0xc0)).toEqual([0x80, 0, 0x40]);
    const rebuilt = Buffer.concat([Buffer.from([0x65]), ...fus.map((f) => f.subarray(2))]);
    expect(rebuilt).toEqual(big);
  });

  it('writes RTP headers and RTCP sender reports with NTP time', () => {
    const b = Buffer.alloc(12);
    writeRtpHeader(b, 0, true, 96, 0x1_0005, 0x1_0000_0010, 0xdeadbeef);
    expect([...b]).toEqual([0x80, 0xe0, 0x00, 0x05, 0, 0, 0, 0x10, 0xde, 0xad, 0xbe, 0xef]);
    const sr = rtcpSenderReport(7, Date.UTC(2026, 0, 1, 0, 0, 0, 500), 1234, 10, 2000);
    expect(sr[1]).toBe(200);
    expect(sr.readUInt32BE(8)).toBe(Date.UTC(2026, 0, 1) / 1000 + 2208988800);
    expect(sr.readUInt32BE(12)).toBe(0x80000000);
    expect(sr.readUInt32BE(16)).toBe(1234);
  });
});

describe('helpers', () => {
  it('parses xs:duration', () => {
    expect(parseDuration('PT10S')).toBe(10_000);
    expect(parseDuration('PT1M30.5S')).toBe(90_500);
    expect(parseDuration('PT1H')).toBe(3_600_000);
    expect(parseDuration('P1D')).toBe(86_400_000);
    expect(parseDuration('2026-01-01T00:00:00Z')).toBeUndefined();
    expect(parseDuration('PT')).toBeUndefined();
  });

  it('checks Digest (with and without qop) and Basic authorization', () => {
    const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
    const creds = { username: 'admin', password: 'pw' };
    const ha1 = md5('admin:IP Camera:pw');
    const ha2 = md5('DESCRIBE:rtsp://h/x');
    const plain = `Digest username="admin", realm="IP Camera", nonce="n1", uri="rtsp://h/x", response="${md5(`${ha1}:n1:${ha2}`)}"`;
    expect(checkAuthorization(plain, 'DESCRIBE', creds, 'IP Camera', { basic: false, digest: true })).toBe(true);
    expect(checkAuthorization(plain, 'SETUP', creds, 'IP Camera', { basic: false, digest: true })).toBe(false);
    expect(checkAuthorization(plain, 'DESCRIBE', { ...creds, password: 'x' }, 'IP Camera', { basic: false, digest: true })).toBe(false);
    const qop = `Digest username="admin", realm="IP Camera", nonce="n1", uri="rtsp://h/x", qop=auth, nc=00000001, cnonce="c", response="${md5(`${ha1}:n1:00000001:c:auth:${ha2}`)}"`;
    expect(checkAuthorization(qop, 'DESCRIBE', creds, 'IP Camera', { basic: false, digest: true })).toBe(true);
    const basic = `Basic ${Buffer.from('admin:pw').toString('base64')}`;
    expect(checkAuthorization(basic, 'DESCRIBE', creds, 'IP Camera', { basic: true, digest: false })).toBe(true);
    expect(checkAuthorization(basic, 'DESCRIBE', creds, 'IP Camera', { basic: false, digest: true })).toBe(false);
  });
});
