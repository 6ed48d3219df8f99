import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/index.js';
import { TINY, waitFor } from './helpers.js';

/** A raw RTSP connection that records responses and interleaved packets. */
class RawRtsp {
  readonly socket: Socket;
  private buf = Buffer.alloc(0);
  readonly responses: string[] = [];
  readonly packets: Array<{ channel: number; data: Buffer }> = [];
  private cseq = 0;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('error', () => undefined);
    this.socket.on('data', (c: Buffer) => {
      this.buf = Buffer.concat([this.buf, c]);
      for (let guard = 0; guard < 10_000 && this.buf.length > 0; guard++) {
        if (this.buf[0] === 0x24) {
          if (this.buf.length < 4) return;
          const len = this.buf.readUInt16BE(2);
          if (this.buf.length < 4 + len) return;
          this.packets.push({ channel: this.buf[1]!, data: Buffer.from(this.buf.subarray(4, 4 + len)) });
          this.buf = this.buf.subarray(4 + len);
          continue;
        }
        const end = this.buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = this.buf.subarray(0, end).toString();
        const len = Number(/Content-Length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (this.buf.length < end + 4 + len) return;
        this.responses.push(this.buf.subarray(0, end + 4 + len).toString());
        this.buf = this.buf.subarray(end + 4 + len);
      }
    });
  }

  async request(method: string, url: string, headers: Record<string, string> = {}): Promise<string> {
    const n = this.responses.length;
    const lines = [`${method} ${url} RTSP/1.0`, `CSeq: ${++this.cseq}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    this.socket.write(lines.join('\r\n') + '\r\n\r\n');
    await waitFor(() => this.responses.length > n, 10_000, 10);
    return this.responses[n]!;
  }
}

describe('RTSP protocol details (raw client)', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: [{ id: 'raw', rtspAuth: 'none', ...TINY, main: { ...TINY.main, bitrateKbps: 400 } }] });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('OPTIONS, DESCRIBE, SETUP, PLAY, GET_PARAMETER, TEARDOWN with RFC 6184 packets and RTCP SR', async () => {
    const cam = sim.camera('raw');
    const c = new RawRtsp(cam.rtspPort);
    try {
      const options = await c.request('OPTIONS', cam.rtspUrl.main);
      expect(options).toMatch(/^RTSP\/1.0 200 OK/);
      expect(options).toMatch(/Public: .*GET_PARAMETER/);
      expect(options).toMatch(/CSeq: 1/);
      const describe = await c.request('DESCRIBE', cam.rtspUrl.main, { Accept: 'application/sdp' });
      expect(describe).toMatch(/Content-Type: application\/sdp/);
      expect(describe).toMatch(/a=rtpmap:96 H264\/90000/);
      expect(describe).toMatch(/sprop-parameter-sets=Z[A-Za-z0-9+/=]+,aM[A-Za-z0-9+/=]+/);
      const setup = await c.request('SETUP', `${cam.rtspUrl.main}/trackID=1`, { Transport: 'RTP/AVP/TCP;unicast;interleaved=4-5' });
      expect(setup).toMatch(/Transport: RTP\/AVP\/TCP;unicast;interleaved=4-5/);
      const session = /Session: ([^;\r\n]+);timeout=60/.exec(setup)![1]!;
      const play = await c.request('PLAY', cam.rtspUrl.main, { Session: session, Range: 'npt=0.000-' });
      expect(play).toMatch(/RTP-Info: url=.*;seq=\d+;rtptime=\d+/);
      await waitFor(() => c.packets.filter((p) => p.channel === 5).length >= 1 && c.packets.filter((p) => p.channel === 4 && p.data[1]! & 0x80).length >= 4, 15_000);
      const rtp = c.packets.filter((p) => p.channel === 4).map((p) => p.data);
      expect(rtp.length).toBeGreaterThan(10);
      // RTP v2, PT 96, consecutive sequence numbers, one SSRC.
      expect(rtp.every((p) => p[0] === 0x80 && (p[1]! & 0x7f) === 96)).toBe(true);
      const seqs = rtp.map((p) => p.readUInt16BE(2));
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe((seqs[i - 1]! + 1) & 0xffff);
      expect(new Set(rtp.map((p) => p.readUInt32BE(8))).size).toBe(1);
      // The first frame is an IDR preceded by SPS and PPS; the IDR is FU-A fragmented.
      const types = rtp.map((p) => p[12]! & 0x1f);
      expect(types.slice(0, 2)).toEqual([7, 8]);
      expect(types).toContain(28);
      // Marker bit on the last packet of each frame; timestamps at 90 kHz / 5 fps.
      const frameStamps = [...new Set(rtp.filter((p) => p[1]! & 0x80).map((p) => p.readUInt32BE(4)))];
      expect(frameStamps.length).toBeGreaterThan(2);
      expect(frameStamps[2]! - frameStamps[1]!).toBe(18_000);
      const sr = c.packets.find((p) => p.channel === 5)!.data;
      expect(sr[1]).toBe(200);
      const ntpMs = (sr.readUInt32BE(8) - 2208988800) * 1000 + (sr.readUInt32BE(12) / 2 ** 32) * 1000;
      expect(Math.abs(ntpMs - Date.now())).toBeLessThan(5000);

      const keepalive = await c.request('GET_PARAMETER', cam.rtspUrl.main, { Session: session });
      expect(keepalive).toMatch(/^RTSP\/1.0 200 OK/);
      expect(cam.rtspSessionCount).toBe(1);
      const teardown = await c.request('TEARDOWN', cam.rtspUrl.main, { Session: session });
      expect(teardown).toMatch(/^RTSP\/1.0 200 OK/);
      expect(cam.rtspSessionCount).toBe(0);
      const bad = await c.request('PLAY', cam.rtspUrl.main, { Session: session });
      expect(bad).toMatch(/^RTSP\/1.0 454/);
    } finally {
      c.socket.destroy();
    }
  });
});
