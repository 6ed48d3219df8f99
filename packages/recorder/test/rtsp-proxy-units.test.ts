import { describe, expect, it } from 'vitest';
import { parseRtspChallenge, rtspAuthorization } from '../src/rtsp-authorization.js';
import { createRtspMessageReader, serializeRtspMessage } from '../src/rtsp-message-reader.js';

describe('RTSP credential proxy units', () => {
  it('answers a Digest challenge as RFC 2617 computes it (its worked example), counting nonce uses', () => {
    const challenge = parseRtspChallenge(['Basic realm="x"', 'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"'])!;
    expect(challenge).toMatchObject({ scheme: 'digest', realm: 'testrealm@host.com', qop: 'auth', nc: 0 });
    const header = rtspAuthorization(challenge, 'GET', '/dir/index.html', 'Mufasa', 'Circle Of Life', '0a4f113b');
    expect(header).toContain('response="6629fae49393a05397450978507c4ef1"');
    expect(header).toContain('nc=00000001');
    expect(header).toContain('opaque="5ccc069c403ebaf9f0171e9517f40e41"');
    expect(rtspAuthorization(challenge, 'GET', '/dir/index.html', 'Mufasa', 'Circle Of Life', '0a4f113b')).toContain('nc=00000002');
  });

  it('prefers Digest, falls back to Basic, and ignores algorithms it cannot compute', () => {
    expect(parseRtspChallenge(['Basic realm="cam"'])).toEqual({ scheme: 'basic' });
    expect(rtspAuthorization({ scheme: 'basic' }, 'DESCRIBE', 'rtsp://h/x', 'admin', 'pw')).toBe(`Basic ${Buffer.from('admin:pw').toString('base64')}`);
    expect(parseRtspChallenge(['Digest realm="r", nonce="n", algorithm=SHA-256'])).toBeUndefined();
    expect(parseRtspChallenge(['Digest realm="r", nonce="n"'])).toEqual({ scheme: 'digest', realm: 'r', nonce: 'n', nc: 0 });
  });

  it('reads messages and interleaved frames from a stream cut anywhere, and writes Content-Length itself', () => {
    const describe = serializeRtspMessage({ startLine: 'RTSP/1.0 200 OK', headers: [['CSeq', '2'], ['Content-Length', '999']], body: Buffer.from('v=0\r\n') });
    expect(describe.toString()).toBe('RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Length: 5\r\n\r\nv=0\r\n');
    const frame = (n: number): Buffer => Buffer.concat([Buffer.from([0x24, 0, 0, 3]), Buffer.from([n, n, n])]);
    const stream = Buffer.concat([describe, frame(1), frame(2), Buffer.from('GET_PARAMETER rtsp://h/x RTSP/1.0\r\nCSeq: 3\r\n\r\n'), frame(3)]);
    for (const cut of [1, 7, 30, stream.length - 2]) {
      const read = createRtspMessageReader();
      const chunks = [...read(stream.subarray(0, cut)), ...read(stream.subarray(cut))];
      const frames = Buffer.concat(chunks.flatMap((c) => (c.type === 'frames' ? [c.data] : [])));
      expect(frames).toEqual(Buffer.concat([frame(1), frame(2), frame(3)]));
      const messages = chunks.flatMap((c) => (c.type === 'message' ? [c.message] : []));
      expect(messages.map((m) => m.startLine)).toEqual(['RTSP/1.0 200 OK', 'GET_PARAMETER rtsp://h/x RTSP/1.0']);
      expect(messages[0]!.body.toString()).toBe('v=0\r\n');
    }
  });

  it('refuses endless headers and huge bodies with a coded error', () => {
    const read = createRtspMessageReader();
    expect(() => read(Buffer.alloc(70 * 1024, 0x41))).toThrow(expect.objectContaining({ code: 'CAMERA_PROTOCOL_ERROR' }));
    expect(() => createRtspMessageReader()(Buffer.from('RTSP/1.0 200 OK\r\nContent-Length: 99999999\r\n\r\n'))).toThrow(expect.objectContaining({ code: 'CAMERA_PROTOCOL_ERROR' }));
  });
});
