import { connect } from 'node:net';
import { WardwatchError, redactUrl, toWardwatchError } from '@wardwatch/core';

/** The answer to an RTSP OPTIONS request. */
export interface RtspOptionsAnswer {
  /** RTSP status code, e.g. 200 or 401. */
  status: number;
  /** Methods from the `Public` header. */
  methods: string[];
}

/**
 * Sends one `OPTIONS` request over TCP and reads the status line and headers: the cheapest way to
 * ask an RTSP device whether it is alive. Rejects with CAMERA_UNREACHABLE, CAMERA_TIMEOUT or
 * CAMERA_PROTOCOL_ERROR; details carry the address without credentials.
 */
export function rtspOptions(uri: string, timeoutMs: number): Promise<RtspOptionsAnswer> {
  const url = new URL(uri);
  url.username = '';
  url.password = '';
  const address = redactUrl(url.toString());
  const details = { address, operation: 'RTSP OPTIONS' };
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 554) });
    let buffer = '';
    let done = false;
    const finish = (error: WardwatchError | undefined, answer?: RtspOptionsAnswer): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(answer!);
    };
    const timer = setTimeout(
      () => finish(new WardwatchError('CAMERA_TIMEOUT', `RTSP OPTIONS to ${address} timed out after ${timeoutMs} ms`, { details })),
      timeoutMs,
    );
    socket.setEncoding('latin1');
    socket.on('connect', () => socket.write(`OPTIONS ${url.toString()} RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: wardwatch-dvr\r\n\r\n`));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > 16 * 1024) {
        finish(new WardwatchError('CAMERA_RESPONSE_TOO_LARGE', `RTSP OPTIONS answer from ${address} is too large`, { details }));
        return;
      }
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...headers] = buffer.slice(0, end).split('\r\n');
      const match = /^RTSP\/1\.\d (\d{3})/.exec(statusLine ?? '');
      if (!match) {
        finish(new WardwatchError('CAMERA_PROTOCOL_ERROR', `${address} did not answer RTSP: ${JSON.stringify((statusLine ?? '').slice(0, 40))}`, { details }));
        return;
      }
      const publicHeader = headers.find((h) => /^public:/i.test(h));
      const methods = publicHeader ? publicHeader.slice(publicHeader.indexOf(':') + 1).split(',').map((m) => m.trim()).filter(Boolean) : [];
      finish(undefined, { status: Number(match[1]), methods });
    });
    socket.on('error', (cause) => {
      const coded = toWardwatchError(cause, 'CAMERA_UNREACHABLE', details);
      finish(new WardwatchError(coded.code, `RTSP OPTIONS to ${address} failed: ${coded.message}`, { cause, details }));
    });
    socket.on('close', () => finish(new WardwatchError('CAMERA_UNREACHABLE', `${address} closed the connection without answering`, { details })));
  });
}
