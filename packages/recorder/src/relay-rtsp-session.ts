import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { redactUrl, toWardwatchError, type Logger } from '@wardwatch/core';
import { ffmpegFailureCause, type FfmpegFailureCause } from './ffmpeg-failure.js';
import { parseRtspChallenge, rtspAuthorization, type RtspChallenge } from './rtsp-authorization.js';
import { createRtspMessageReader, rtspHeader, serializeRtspMessage, type RtspChunk, type RtspMessage } from './rtsp-message-reader.js';

/** What {@link relayRtspSession} relays between: the camera, and how URLs map between ffmpeg's view and the camera's. */
export interface RtspRelayTarget {
  target: URL;
  username: string;
  password: string;
  /** A request URI of ffmpeg as the camera's (undefined: not one of the proxy's). */
  toCamera(uri: string): string | undefined;
  /** Text of the camera (headers, SDP) with its URLs as the proxy's. */
  toProxy(text: string): string;
  logger: Logger;
  /** Every socket opened, so the proxy can end them. */
  sockets: Set<Socket>;
  /** Told once why the camera connection failed. */
  onFailure(cause: FfmpegFailureCause): void;
}

const DEFAULT_PORTS: Record<string, number> = { 'rtsp:': 554, 'rtsps:': 322 };

interface PendingRequest {
  method: string;
  uri: string;
  message: RtspMessage;
  retried: boolean;
}

/** Node's connection error as the words ffmpeg would have printed, for the failure cause. */
function failureOf(error: NodeJS.ErrnoException): FfmpegFailureCause {
  const words: Record<string, string> = { ECONNREFUSED: 'Connection refused', ETIMEDOUT: 'timed out', EHOSTUNREACH: 'No route to host', ENETUNREACH: 'Network is unreachable', ECONNRESET: 'Connection reset' };
  return ffmpegFailureCause(words[error.code ?? ''] ?? error.message) ?? 'connection-lost';
}

/**
 * Relays one ffmpeg connection (whose first chunks were already read) to the camera: requests get the camera's URL
 * and, once challenged, an `Authorization` header (a 401 is answered once per request, then passed on); answers get
 * the proxy's URLs; after a successful `PLAY` the camera's bytes are passed on unparsed, with back-pressure.
 */
export function relayRtspSession(client: Socket, first: RtspChunk[], relay: RtspRelayTarget): void {
  const { target, username, password, toCamera, toProxy, logger, sockets } = relay;
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
    relay.onFailure(failureOf(error));
    logger.info({ err: toWardwatchError(error, 'CAMERA_UNREACHABLE', { address: redactUrl(target.href) }) }, 'stream proxy: camera connection failed');
  });
  client.on('error', (error) => logger.debug({ err: error }, 'stream proxy: ffmpeg connection failed'));
  camera.on('close', () => client.destroy());
  client.on('close', () => camera.destroy());
  fromClient(first);
}
