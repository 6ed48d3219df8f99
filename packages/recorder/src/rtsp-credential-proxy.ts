import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { toWardwatchError, type Logger } from '@wardwatch/core';
import type { FfmpegFailureCause } from './ffmpeg-failure.js';
import { relayRtspSession } from './relay-rtsp-session.js';
import { createRtspMessageReader, type RtspChunk } from './rtsp-message-reader.js';

/** A loopback RTSP endpoint that adds a camera's credentials to what ffmpeg sends (see {@link openRtspCredentialProxy}). */
export interface RtspCredentialProxy {
  /** The URL ffmpeg opens: `rtsp://127.0.0.1:<port>/<one-time token>/<camera path>`, without credentials. */
  readonly url: string;
  /** Why the connection to the camera failed, when it did (ffmpeg only sees the proxy). */
  failure(): FfmpegFailureCause | undefined;
  /** Ends the proxy and its connections. */
  close(): void;
}

/** Options of {@link openRtspCredentialProxy}. */
export interface RtspCredentialProxyOptions {
  /** The camera's stream URL, with its credentials (already checked with `checkStreamUri`). */
  target: URL;
  /** The camera's logger. */
  logger: Logger;
  /** The proxy stops accepting when nobody presented its token this long after it opened, ms. */
  acceptTimeoutMs: number;
}

/** An absolute RTSP URL's scheme and authority (what the camera calls itself in its answers). */
const RTSP_AUTHORITY = /rtsps?:\/\/[^/\s;,"']*/gi;


/**
 * Opens a one-time RTSP proxy on 127.0.0.1 that holds a camera's credentials, so that they never appear on ffmpeg's
 * command line (`ps`, `/proc/<pid>/cmdline`): ffmpeg 4.x and 5.x take RTSP credentials only inside the input URL.
 * ffmpeg opens the proxy's URL; the proxy forwards each request to the camera with the camera's URL and, once the
 * camera has challenged it, an `Authorization` header (Digest MD5, with or without `qop=auth`, else Basic); answers
 * are passed back with the camera's URLs rewritten to the proxy's. Once the camera has answered `PLAY`, media flows
 * back unparsed. The URL's random token is accepted once: the first connection presenting it is served and the
 * proxy stops listening, so the URL a local user can read is useless after ffmpeg has used it. The proxy only ever
 * connects to the target's host and port.
 */
export async function openRtspCredentialProxy(options: RtspCredentialProxyOptions): Promise<RtspCredentialProxy> {
  const { target, logger } = options;
  const username = decodeURIComponent(target.username);
  const password = decodeURIComponent(target.password);
  const token = randomBytes(16).toString('hex');
  const targetBase = `${target.protocol}//${target.host}`;
  const sockets = new Set<Socket>();
  let failure: FfmpegFailureCause | undefined;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.warn({ err: error }, 'stream proxy listener failed'));
  const port = (server.address() as AddressInfo).port;
  const proxyBase = `rtsp://127.0.0.1:${port}/${token}`;
  const toCamera = (uri: string): string | undefined => {
    if (uri === proxyBase || uri.startsWith(`${proxyBase}/`) || uri.startsWith(`${proxyBase}?`)) return targetBase + uri.slice(proxyBase.length);
    return uri === '*' ? uri : undefined;
  };
  const toProxy = (text: string): string => text.replace(RTSP_AUTHORITY, proxyBase);
  const stopListening = (): void => {
    clearTimeout(acceptTimer);
    if (server.listening) server.close();
  };
  const acceptTimer = setTimeout(stopListening, options.acceptTimeoutMs);
  acceptTimer.unref();

  server.on('connection', (client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const readFirst = createRtspMessageReader();
    const onFirst = (data: Buffer): void => {
      let chunks: RtspChunk[];
      try {
        chunks = readFirst(data);
      } catch (error) {
        logger.warn({ err: toWardwatchError(error, 'CAMERA_PROTOCOL_ERROR') }, 'stream proxy: malformed first request; connection dropped');
        client.destroy();
        return;
      }
      const request = chunks.find((c): c is Extract<RtspChunk, { type: 'message' }> => c.type === 'message');
      if (!request) return;
      client.off('data', onFirst);
      // one connection, with the token: anyone else (another local user who read the URL) is turned away
      const uri = request.message.startLine.split(' ')[1] ?? '';
      if (!server.listening || toCamera(uri) === undefined || uri === '*') {
        logger.warn({}, 'stream proxy: a connection without the one-time token was refused');
        client.destroy();
        return;
      }
      stopListening();
      relayRtspSession(client, chunks, { target, username, password, toCamera, toProxy, logger, sockets, onFailure: (cause) => (failure ??= cause) });
    };
    client.on('data', onFirst);
  });

  return {
    url: `${proxyBase}${target.pathname}${target.search}`,
    failure: () => failure,
    close() {
      stopListening();
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
  };
}
