import { randomBytes } from 'node:crypto';
import { accessSync, constants as fsConstants } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo, Server } from 'node:net';
import { defined, redactUrlsIn, WardwatchError, silentLogger, type Logger } from '@wardwatch/core';
import type NodeMediaServerClass from 'node-media-server';
import type { NmsSession } from 'node-media-server';
import { createLiveUrlSigner } from './live-url-signer.js';

/** Options of {@link createLiveGateway}. */
export interface LiveGatewayOptions {
  /** RTMP port the recording processes publish to; 0 = ephemeral. @default 0 */
  rtmpPort?: number;
  /** HTTP-FLV / WS-FLV port viewers play from (over TLS when `tls` is set); 0 = ephemeral. @default 0 */
  httpPort?: number;
  /**
   * Serve viewers over TLS (`wss://` / `https://` play URLs) on `httpPort` instead of plain `ws://` / `http://`: PEM
   * key and certificate files, checked to be readable at start (`INVALID_CONFIG` otherwise). No plain listener is
   * opened then. @default undefined (plain, meant for 127.0.0.1 or a TLS proxy in front)
   */
  tls?: LiveGatewayTls;
  /** Bind address. @default '127.0.0.1' */
  host?: string;
  /** Secret for signed play and publish URLs; random per gateway when omitted. */
  secret?: string | Uint8Array;
  /** Lifetime of a signed play URL, seconds. @default 300 */
  playTtlSeconds?: number;
  /** Host name put into play URLs (e.g. the station's public name). @default the bind host */
  publicHost?: string;
  logger?: Logger;
}

/** TLS files of the live relay's viewer listener (see {@link LiveGatewayOptions.tls}). */
export interface LiveGatewayTls {
  /** Path of the PEM certificate (chain). */
  certFile: string;
  /** Path of the PEM private key. */
  keyFile: string;
}

/** Play URLs of one camera's live stream. */
export interface LivePlayUrls {
  /** WebSocket FLV (for mpegts.js / flv.js); `wss://` when the gateway serves TLS. */
  wsFlv: string;
  /** HTTP FLV; `https://` when the gateway serves TLS. */
  httpFlv: string;
  /** When the signature expires, UTC ms. */
  expiresAt: number;
}

/** One viewer of the live relay as a play policy sees it: the stream and the query of the URL it opened. */
export interface LiveViewer {
  streamPath: string;
  query: Readonly<Record<string, unknown>>;
}

/** The live relay: node-media-server fed by the recording processes, viewers on signed WS-FLV/HTTP-FLV URLs. */
export interface LiveGateway {
  /** Starts listening; resolves with the bound ports. */
  start(): Promise<{ rtmpPort: number; httpPort: number }>;
  /** Stops the servers and drops viewers; recording processes keep recording. */
  stop(): Promise<void>;
  /** The RTMP URL a recording process publishes a camera to (signed); undefined while stopped. */
  publishUrl(cameraId: string): string | undefined;
  /** Signed play URLs for a camera, valid for `ttlSeconds` (to start playing); `extraQuery` is added to them (e.g. a grant id the play policy checks). */
  playUrls(cameraId: string, ttlSeconds?: number, extraQuery?: Readonly<Record<string, string>>): LivePlayUrls;
  /** Sets the policy every play must pass besides a valid signature (e.g. "the viewer's session still has the right"), or removes it. */
  setPlayPolicy(policy: ((viewer: LiveViewer) => boolean) | undefined): void;
  /** Cuts the open viewers matching `match` (e.g. those the play policy no longer allows); resolves with how many. */
  dropViewers(match: (viewer: LiveViewer) => boolean): number;
  /** Whether a stream path (`/live/<name>`) with this query is allowed to play now. */
  verifyPlay(streamPath: string, query: Record<string, unknown>): boolean;
  /** Whether the gateway is running. */
  readonly running: boolean;
}

const APP = 'live';
/**
 * Lifetime of a publish URL, seconds: long enough for a recording process to connect to its camera (connect timeout,
 * probing) and open its live output, short enough that a URL read from the process list is soon worthless.
 */
const PUBLISH_TTL_SECONDS = 120;

/** Defaults of {@link LiveGatewayOptions}. */
const GATEWAY_DEFAULTS = { rtmpPort: 0, httpPort: 0, host: '127.0.0.1', playTtlSeconds: 300, logger: silentLogger as Logger };

/** node-media-server's logger singleton (`src/core/logger.js`). */
interface NmsLogger {
  level: string;
  log(message: string, level?: string): void;
}

/** Sends NMS's log lines to `logger` instead of `console.log`. */
function routeNmsLogger(nmsLogger: NmsLogger, logger: Logger): void {
  nmsLogger.log = (message: string, level = 'info') => {
    const fields = { component: 'node-media-server' };
    // NMS may print stream URLs with their signatures
    const text = redactUrlsIn(String(message));
    if (level === 'error') logger.error(fields, text);
    else if (level === 'warn') logger.warn(fields, text);
    else logger.debug(fields, text);
  };
}

/**
 * Makes sure NMS's LightweightStore can never touch the host process: no SIGINT/SIGTERM handlers (they flush and
 * re-raise the signal, killing an embedding app without its own handler), no lock file, no `./data` directory.
 * The gateway never calls NMS's `run()`, which is what would open the store; this guards against it anyway.
 */
function neutraliseStore(server: NodeMediaServerClass): void {
  const store = (server as unknown as { store?: { options?: Record<string, unknown>; open?: () => Promise<void> } }).store;
  if (!store) return;
  if (store.options) {
    store.options.signals = false;
    store.options.lock = false;
  }
  store.open = () => Promise.reject(new WardwatchError('INVALID_STATE', 'the NMS store is disabled inside WardWatch'));
}
let activeGateway = false;

/** Maps a camera id to an NMS-safe stream name (`[A-Za-z0-9_-]`), injectively. */
export function liveStreamName(cameraId: string): string {
  return cameraId.replace(/[^A-Za-z0-9-]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Fails with `INVALID_CONFIG` unless both TLS files exist and are readable. */
function checkTlsFiles(tls: LiveGatewayTls): void {
  for (const [name, path] of [['certFile', tls.certFile], ['keyFile', tls.keyFile]] as const) {
    try {
      accessSync(path, fsConstants.R_OK);
    } catch (error) {
      throw new WardwatchError('INVALID_CONFIG', `live gateway TLS ${name} is not a readable file: ${path}`, { cause: error });
    }
  }
}

/** A host as it goes into a URL: IPv6 addresses in brackets. */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Creates the live relay around node-media-server 4: auto-record off, its web admin off, bound to
 * 127.0.0.1 unless configured, play and publish URLs signed with HMAC-SHA256 over the stream path and
 * expiry (checked in NMS's pre-play / pre-publish hooks). node-media-server keeps global state, so one
 * gateway runs per process at a time.
 */
export function createLiveGateway(options: LiveGatewayOptions = {}): LiveGateway {
  const signer = createLiveUrlSigner(options.secret ?? randomBytes(32));
  const { host, playTtlSeconds: ttl, logger, rtmpPort: rtmpPortOption, httpPort: httpPortOption } = { ...GATEWAY_DEFAULTS, ...defined(options) };
  let nms: NodeMediaServerClass | undefined;
  let ports: { rtmpPort: number; httpPort: number } | undefined;
  const hooks: Array<[string, (s: NmsSession) => void]> = [];
  const tls = options.tls;
  /** Open connections of the TLS listener, destroyed at stop. */
  const tlsSockets = new Set<import('node:net').Socket>();
  /** The listener viewers connect to: NMS's TLS server when `tls` is set, its plain one otherwise. */
  const viewerServer = (server: NodeMediaServerClass): Server | undefined => {
    const own = server.httpServer;
    return (tls ? own.httpsServer : own.httpServer) as Server | undefined;
  };
  let playPolicy: ((viewer: LiveViewer) => boolean) | undefined;
  /** Ends a viewer's connection outright (node-media-server's `close()` alone only half-closes HTTP-FLV). */
  const cut = (session: NmsSession): void => {
    session.close();
    session.req?.socket.destroy();
    session.res?.terminate?.();
  };

  /** Takes the gateway's hooks off node-media-server's global state (one per process) and returns that state. */
  const removeHooks = (): { sessions: Map<string, unknown>; broadcasts: Map<string, unknown>; eventEmitter: import('node:events').EventEmitter } => {
    const context = createRequire(import.meta.url)('node-media-server/src/core/context.js') as ReturnType<typeof removeHooks>;
    for (const [event, listener] of hooks.splice(0)) context.eventEmitter.off(event, listener as (...args: unknown[]) => void);
    return context;
  };

  const listen = (server: Server, port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.removeAllListeners('error'); // NMS's own handler exits the process
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        server.on('error', (error) => logger.error({ err: error }, 'live gateway server error'));
        resolve((server.address() as AddressInfo).port);
      });
    });

  const gateway: LiveGateway = {
    get running() {
      return nms !== undefined;
    },
    async start() {
      if (nms && ports) return ports;
      if (tls) checkTlsFiles(tls);
      if (activeGateway) throw new WardwatchError('INVALID_STATE', 'a live gateway already runs in this process (node-media-server keeps global state)');
      activeGateway = true;
      let startingServer: NodeMediaServerClass | undefined;
      try {
        const require = createRequire(import.meta.url);
        const NodeMediaServer = require('node-media-server') as typeof NodeMediaServerClass;
        const nmsLogger = require('node-media-server/src/core/logger.js') as NmsLogger;
        // NMS logs with console.log (its banner included, printed by the constructor): route it to our logger
        // (its servers log their close asynchronously, so it stays routed after stop): the host's stdout stays untouched
        routeNmsLogger(nmsLogger, logger);
        // placeholder ports make NMS create its servers; we listen ourselves (ephemeral ports, no process.exit).
        // The store path points into the OS temp dir; it is never opened below (we never call `run()`), so
        // nothing is written anywhere and its SIGINT/SIGTERM/exit hooks are never installed.
        const server = new NodeMediaServer({
          bind: host,
          rtmp: { port: 1 },
          // with TLS only the secure listener exists: no plain path to the same streams
          ...(tls ? { https: { port: 1, key: tls.keyFile, cert: tls.certFile } } : { http: { port: 1 } }),
          webadmin: { enable: false },
          store: { path: join(tmpdir(), `wardwatch-nms-unused-${process.pid}`) },
        });
        startingServer = server;
        neutraliseStore(server);
        nmsLogger.level = 'warn';
        const onPrePlay = (session: NmsSession): void => {
          if (!signer.verifyPlay(session.streamPath, session.streamQuery)) {
            logger.warn({ streamPath: session.streamPath, ip: session.ip }, 'live play refused: bad or expired signature');
            session.close();
          } else if (playPolicy && !playPolicy({ streamPath: session.streamPath, query: session.streamQuery ?? {} })) {
            logger.warn({ streamPath: session.streamPath, ip: session.ip }, 'live play refused by the play policy');
            cut(session);
          }
        };
        const onPrePublish = (session: NmsSession): void => {
          const verdict = signer.checkPublish(session.streamPath, session.streamQuery);
          if (verdict !== 'ok') {
            logger.warn({ streamPath: session.streamPath, ip: session.ip }, verdict === 'spent' ? 'live publish refused: the publish URL was already used' : 'live publish refused: bad or expired signature');
            // node-media-server goes on with the publish after this hook and `close()` only half-closes the
            // connection: the connection itself is destroyed, so not one byte of the refused stream reaches a viewer
            session.socket?.destroy();
            session.req?.socket.destroy();
            session.res?.terminate?.();
            session.close();
          }
        };
        server.on('prePlay', onPrePlay);
        server.on('prePublish', onPrePublish);
        hooks.push(['prePlay', onPrePlay], ['prePublish', onPrePublish]);
        const rtmpServer = server.rtmpServer.tcpServer;
        const httpServer = viewerServer(server);
        if (!rtmpServer || !httpServer) throw new WardwatchError('INTERNAL', 'node-media-server did not create its servers');
        // NMS's express app answers every viewer with `Access-Control-Allow-Origin: *` and `X-Powered-By`: not from us
        httpServer.prependListener('request', (_request: unknown, response: import('node:http').ServerResponse) => {
          const setHeader = response.setHeader.bind(response);
          response.setHeader = (name, value) => (/^(access-control-allow-origin|x-powered-by)$/i.test(name) ? response : setHeader(name, value));
        });
        if (tls) {
          httpServer.on('connection', (socket: import('node:net').Socket) => {
            tlsSockets.add(socket);
            socket.once('close', () => tlsSockets.delete(socket));
          });
        }
        const rtmpPort = await listen(rtmpServer, rtmpPortOption);
        const httpPort = await listen(httpServer, httpPortOption);
        nms = server;
        ports = { rtmpPort, httpPort };
        logger.info({ host, rtmpPort, httpPort, tls: Boolean(tls) }, 'live gateway started');
        return ports;
      } catch (error) {
        // nothing half-started stays behind: listening sockets closed, hooks removed
        for (const listening of [startingServer?.rtmpServer.tcpServer, startingServer && viewerServer(startingServer)]) {
          if (listening?.listening) listening.close();
        }
        removeHooks();
        activeGateway = false;
        throw error instanceof WardwatchError ? error : new WardwatchError('INVALID_CONFIG', `live gateway could not start: ${(error as Error).message}`, { cause: error });
      }
    },
    async stop() {
      const server = nms;
      if (!server) return;
      nms = undefined;
      ports = undefined;
      await server.stop();
      // HTTP-FLV viewers hold open responses that `close()` would wait for (the TLS server has no closeAllConnections)
      (server.httpServer.httpServer as unknown as import('node:http').Server | undefined)?.closeAllConnections?.();
      for (const socket of tlsSockets) socket.destroy();
      tlsSockets.clear();
      const context = removeHooks();
      context.sessions.clear();
      context.broadcasts.clear();
      // NMS's logger stays routed to ours: its servers log their close asynchronously, after this
      activeGateway = false;
      logger.info({}, 'live gateway stopped');
    },
    publishUrl(cameraId) {
      if (!ports) return undefined;
      const path = `/${APP}/${liveStreamName(cameraId)}`;
      // visible in the process list, so short-lived and single-use: a recording process publishes once per run,
      // soon after it starts, and asks for a new URL at each reconnect
      return `rtmp://${urlHost(host)}:${ports.rtmpPort}${path}?${signer.publishQuery(path, PUBLISH_TTL_SECONDS)}`;
    },
    playUrls(cameraId, ttlSeconds = ttl, extraQuery = {}) {
      if (!ports) throw new WardwatchError('INVALID_STATE', 'live gateway is not running');
      const path = `/${APP}/${liveStreamName(cameraId)}`;
      const { query, exp } = signer.playQuery(path, ttlSeconds);
      const extra = Object.entries(extraQuery).map(([k, v]) => `&${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('');
      const where = `${urlHost(options.publicHost ?? host)}:${ports.httpPort}${path}.flv?${query}${extra}`;
      const secure = tls ? 's' : '';
      return { wsFlv: `ws${secure}://${where}`, httpFlv: `http${secure}://${where}`, expiresAt: exp * 1000 };
    },
    verifyPlay: (streamPath, query) => signer.verifyPlay(streamPath, query),
    setPlayPolicy(policy) {
      playPolicy = policy;
    },
    dropViewers(match) {
      if (!nms) return 0;
      const context = createRequire(import.meta.url)('node-media-server/src/core/context.js') as { sessions: Map<string, NmsSession & { isPublisher?: boolean }> };
      let dropped = 0;
      for (const session of [...context.sessions.values()]) {
        if (session.isPublisher || !session.ip || !match({ streamPath: session.streamPath, query: session.streamQuery ?? {} })) continue;
        cut(session);
        dropped += 1;
      }
      if (dropped > 0) logger.info({ dropped }, 'live viewers dropped');
      return dropped;
    },
  };
  return gateway;
}
