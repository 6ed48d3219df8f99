import { WardwatchError } from '@wardwatch/core';

/** One RTSP request or response: its first line, headers (in order) and body. */
export interface RtspMessage {
  startLine: string;
  headers: Array<[string, string]>;
  body: Buffer;
}

/** What an RTSP byte stream holds: messages, and interleaved binary frames (`$`, channel, length, data) kept raw. */
export type RtspChunk = { type: 'message'; message: RtspMessage } | { type: 'frames'; data: Buffer };

/** Largest header block accepted from either side, bytes. */
const MAX_HEADER_BYTES = 64 * 1024;
/** Largest message body accepted (an SDP), bytes. */
const MAX_BODY_BYTES = 1024 * 1024;

/** The value of a header (case-insensitive name), the first one. */
export function rtspHeader(message: RtspMessage, name: string): string | undefined {
  const lower = name.toLowerCase();
  return message.headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/** Serialises a message, with `Content-Length` set to its body. */
export function serializeRtspMessage(message: RtspMessage): Buffer {
  const headers = message.headers.filter(([n]) => n.toLowerCase() !== 'content-length');
  if (message.body.length > 0) headers.push(['Content-Length', String(message.body.length)]);
  const head = `${message.startLine}\r\n${headers.map(([n, v]) => `${n}: ${v}`).join('\r\n')}${headers.length ? '\r\n' : ''}\r\n`;
  return Buffer.concat([Buffer.from(head, 'utf8'), message.body]);
}

/**
 * Creates an incremental reader of an RTSP byte stream: `push(bytes)` returns the complete chunks it now holds,
 * consecutive interleaved frames joined into one raw buffer. Oversized headers or bodies are coded
 * `CAMERA_PROTOCOL_ERROR`.
 */
export function createRtspMessageReader(): (bytes: Buffer) => RtspChunk[] {
  let pending: Buffer = Buffer.alloc(0);
  return (bytes) => {
    pending = pending.length ? Buffer.concat([pending, bytes]) : bytes;
    const out: RtspChunk[] = [];
    let at = 0;
    let framesFrom = -1;
    const flushFrames = (): void => {
      if (framesFrom >= 0 && at > framesFrom) out.push({ type: 'frames', data: pending.subarray(framesFrom, at) });
      framesFrom = -1;
    };
    while (at < pending.length) {
      if (pending[at] === 0x24) {
        if (at + 4 > pending.length) break;
        const length = pending.readUInt16BE(at + 2);
        if (at + 4 + length > pending.length) break;
        if (framesFrom < 0) framesFrom = at;
        at += 4 + length;
        continue;
      }
      flushFrames();
      const end = pending.indexOf('\r\n\r\n', at, 'latin1');
      if (end < 0) {
        if (pending.length - at > MAX_HEADER_BYTES) throw new WardwatchError('CAMERA_PROTOCOL_ERROR', 'RTSP header block too large');
        break;
      }
      const lines = pending.toString('utf8', at, end).split('\r\n');
      const headers = lines.slice(1).flatMap((line): Array<[string, string]> => {
        const colon = line.indexOf(':');
        return colon > 0 ? [[line.slice(0, colon).trim(), line.slice(colon + 1).trim()]] : [];
      });
      const lengthHeader = headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1];
      const bodyLength = lengthHeader === undefined ? 0 : Number.parseInt(lengthHeader, 10);
      if (!(bodyLength >= 0 && bodyLength <= MAX_BODY_BYTES)) throw new WardwatchError('CAMERA_PROTOCOL_ERROR', 'RTSP body length is invalid or too large');
      if (end + 4 + bodyLength > pending.length) break;
      out.push({ type: 'message', message: { startLine: lines[0] ?? '', headers, body: Buffer.from(pending.subarray(end + 4, end + 4 + bodyLength)) } });
      at = end + 4 + bodyLength;
    }
    flushFrames();
    pending = at >= pending.length ? Buffer.alloc(0) : Buffer.from(pending.subarray(at));
    return out;
  };
}
