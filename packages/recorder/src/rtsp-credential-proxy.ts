import { randomBytes } from 'node:crypto';
import { createServer, connect as connectTcp, type AddressInfo, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { redactUrl, toWardwatchError, type Logger } from '@wardwatch/core';
import { ffmpegFailureCause, type FfmpegFailureCause } from './ffmpeg-failure.js';
import { parseRtspChallenge, rtspAuthorization, type RtspChallenge } from './rtsp-authorization.js';
import { createRtspMessageReader, rtspHeader, serializeRtspMessage, type RtspChunk, type RtspMessage } from './rtsp-message-reader.js';

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

const DEFAULT_PORTS: Record<string, number> = { 'rtsp:': 554, 'rtsps:': 322 };
/** An absolute RTSP URL's scheme and authority (what the camera calls itself in its answers). */
const RTSP_AUTHORITY = /rtsps?:\/\/[^/\s;,"']*/gi;

interface PendingRequest {
  method: string;
  uri: string;
  message: RtspMessage;
  retried: boolean;
}

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

  const serve = (client: Socket, first: RtspChunk[]): void => {
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    const portNumber = Number(target.port) || DEFAULT_PORTS[target.protocol] || 554;
    const camera = target.protocol === 'rtsps:' ? connectTls({ host, port: portNumber, servername: host.includes(':') ? undefined : host, rejectUnauthorized: false }) : connectTcp({ host, port: portNumber });
    sockets.add(camera);
    let challenge: RtspChallenge | undefined;
    let raw = false;
    const pending = new Map<string, PendingRequest>();
    const send = (request: PendingRequest): void => {
      const headers = request.message.headers.filter(([n]) => n.toLowerCase() !== 'authorization');
      if (challenge) headers.push(['Authorization', rtspAuthorization(challenge, request.method, request.uri, username, password)]);
      camera.write(serializeRtspMessage({ ...request.message, startLine: `${request.method} ${request.uri} ${request.message.startLine.split(' ')[2] ?? 'RTSP/1.0'}`, headers }));
    };
    const fromClient = (chunks: RtspChunk[]): void => {
      for (const chunk of chunks) {
        if (chunk.type === 'frames') {
          camera.write(chunk.data);
          continue;
        }
        const [method = '', uri = ''] = chunk.message.startLine.split(' ');
        const cameraUri = toCamera(uri);
        if (cameraUri === undefined) {
          client.destroy();
          return;
        }
        const request: PendingRequest = { method, uri: cameraUri, message: chunk.message, retried: false };
        const cseq = rtspHeader(chunk.message, 'CSeq');
        if (cseq !== undefined) pending.set(cseq, request);
        send(request);
      }
    };
    const fromCamera = (chunks: RtspChunk[]): void => {
      for (const chunk of chunks) {
        if (chunk.type === 'frames') {
          client.write(chunk.data);
          continue;
        }
        const message = chunk.message;
        const status = Number(message.startLine.split(' ')[1]);
        const cseq = rtspHeader(message, 'CSeq');
        const request = cseq === undefined ? undefined : pending.get(cseq);
        if (status === 401 && request && !request.retried && (username || password)) {
          const offered = parseRtspChallenge(message.headers.filter(([n]) => n.toLowerCase() === 'www-authenticate').map(([, v]) => v));
          if (offered) {
            challenge = offered;
            request.retried = true;
            send(request);
            continue;
          }
        }
        if (cseq !== undefined) pending.delete(cseq);
        const rewritten: RtspMessage = { startLine: message.startLine, headers: message.headers.map(([n, v]) => [n, toProxy(v)]), body: message.body.length ? Buffer.from(toProxy(message.body.toString('utf8'))) : message.body };
        client.write(serializeRtspMessage(rewritten));
        // after PLAY the camera sends media (and the odd keep-alive answer): passed on as it comes
        if (status === 200 && request?.method.toUpperCase() === 'PLAY') raw = true;
      }
    };
    const readCamera = createRtspMessageReader();
    const readClient = createRtspMessageReader();
    camera.on('data', (data: Buffer) => {
      try {
        if (raw) {
          if (!client.write(data)) camera.pause();
          return;
        }
        fromCamera(readCamera(data));
      } catch (error) {
        logger.warn({ err: toWardwatchError(error, 'CAMERA_PROTOCOL_ERROR') }, 'stream proxy: the camera sent malformed RTSP');
        camera.destroy();
      }
    });
    client.on('drain', () => camera.resume());
    client.on('data', (data: Buffer) => {
      try {
        fromClient(readClient(data));
      } catch (error) {
        logger.warn({ err: toWardwatchError(error, 'CAMERA_PROTOCOL_ERROR') }, 'stream proxy: ffmpeg sent malformed RTSP');
        client.destroy();
      }
    });
    camera.on('error', (error: NodeJS.ErrnoException) => {
      failure ??= ffmpegFailureCause(`${error.code ?? ''} ${error.message}`.replace('ECONNREFUSED', 'Connection refused').replace('ETIMEDOUT', 'timed out').replace('EHOSTUNREACH', 'No route to host').replace('ECONNRESET', 'Connection reset')) ?? 'connection-lost';
      logger.info({ err: toWardwatchError(error, 'CAMERA_UNREACHABLE', { address: redactUrl(target.href) }) }, 'stream proxy: camera connection failed');
    });
    client.on('error', (error) => logger.debug({ err: error }, 'stream proxy: ffmpeg connection failed'));
    camera.on('close', () => client.destroy());
    client.on('close', () => camera.destroy());
    fromClient(first);
  };

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
      serve(client, chunks);
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
