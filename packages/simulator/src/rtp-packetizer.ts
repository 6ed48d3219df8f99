/** Largest RTP payload the packetiser emits (fits a 1500-byte MTU with IP/UDP/RTP headers). */
export const MAX_RTP_PAYLOAD = 1400;

/**
 * Splits the NAL units of one access unit into RTP payloads per RFC 6184: a NAL that fits is sent as a
 * single NAL unit packet, a bigger one as FU-A fragments. Returns payloads in order; the last one gets the marker bit.
 */
export function packetizeAccessUnit(nals: readonly Buffer[], maxPayload = MAX_RTP_PAYLOAD): Buffer[] {
  const out: Buffer[] = [];
  for (const nal of nals) {
    if (nal.length <= maxPayload) {
      out.push(nal);
      continue;
    }
    const header = nal[0]!;
    const indicator = (header & 0xe0) | 28;
    const type = header & 0x1f;
    let offset = 1;
    while (offset < nal.length) {
      const size = Math.min(maxPayload - 2, nal.length - offset);
      const first = offset === 1;
      const last = offset + size >= nal.length;
      const fu = Buffer.allocUnsafe(2 + size);
      fu[0] = indicator;
      fu[1] = (first ? 0x80 : 0) | (last ? 0x40 : 0) | type;
      nal.copy(fu, 2, offset, offset + size);
      out.push(fu);
      offset += size;
    }
  }
  return out;
}

/** Writes a 12-byte RTP header (version 2, payload type `pt`) into `target` at `at`. */
export function writeRtpHeader(target: Buffer, at: number, marker: boolean, pt: number, seq: number, timestamp: number, ssrc: number): void {
  target[at] = 0x80;
  target[at + 1] = (marker ? 0x80 : 0) | (pt & 0x7f);
  target.writeUInt16BE(seq & 0xffff, at + 2);
  target.writeUInt32BE(timestamp >>> 0, at + 4);
  target.writeUInt32BE(ssrc >>> 0, at + 8);
}

/** Builds an RTCP sender report (RFC 3550) carrying the camera-clock NTP time of an RTP timestamp. */
export function rtcpSenderReport(ssrc: number, wallMs: number, rtpTimestamp: number, packets: number, octets: number): Buffer {
  const b = Buffer.alloc(28);
  b[0] = 0x80;
  b[1] = 200;
  b.writeUInt16BE(6, 2);
  b.writeUInt32BE(ssrc >>> 0, 4);
  const ntpSeconds = Math.floor(wallMs / 1000) + 2208988800;
  const fraction = Math.floor(((wallMs % 1000) / 1000) * 0x100000000);
  b.writeUInt32BE(ntpSeconds >>> 0, 8);
  b.writeUInt32BE(fraction >>> 0, 12);
  b.writeUInt32BE(rtpTimestamp >>> 0, 16);
  b.writeUInt32BE(packets >>> 0, 20);
  b.writeUInt32BE(octets >>> 0, 24);
  return b;
}
