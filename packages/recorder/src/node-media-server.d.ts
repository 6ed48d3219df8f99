// Type declarations for the parts of node-media-server 4.x the live gateway uses (the package ships none).
declare module 'node-media-server' {
  import type { Server as HttpServer } from 'node:http';
  import type { Server as NetServer } from 'node:net';

  /** A connection (RTMP, HTTP-FLV, WS-FLV publisher or player). */
  export interface NmsSession {
    id: string;
    ip: string;
    protocol: string;
    isPublisher: boolean;
    streamApp: string;
    streamName: string;
    streamPath: string;
    streamQuery: Record<string, string | string[] | undefined> | undefined;
    close(): void;
    /** RTMP sessions: the client's socket. */
    socket?: import('node:net').Socket;
    /** HTTP-FLV / WS-FLV sessions: the request (its socket) and the response or WebSocket. */
    req?: import('node:http').IncomingMessage;
    res?: { destroy?: () => void; terminate?: () => void };
  }

  /** Configuration sections the gateway sets; servers skip listeners whose port is unset. */
  export interface NmsConfig {
    bind?: string;
    rtmp?: { port?: number };
    http?: { port?: number };
    /** TLS viewer listener (HTTP/2 secure server allowing HTTP/1, with its WebSocket server): key and cert file paths. */
    https?: { port?: number; key: string; cert: string };
    record?: { path?: string; auto?: boolean };
    store?: { path?: string };
    webadmin?: { enable?: boolean };
    auth?: { play?: boolean; publish?: boolean; secret?: string };
  }

  class NodeMediaServer {
    constructor(config: NmsConfig, configPath?: string);
    httpServer: { httpServer?: HttpServer; httpsServer?: import('node:http2').Http2SecureServer; wsServer?: { close(): void; clients: Set<{ close(): void }> } };
    rtmpServer: { tcpServer?: NetServer; stop(): void };
    on(event: 'prePlay' | 'postPlay' | 'donePlay' | 'prePublish' | 'postPublish' | 'donePublish', listener: (session: NmsSession) => void): void;
    run(): Promise<void>;
    stop(): Promise<void>;
  }
  export default NodeMediaServer;
}

declare module 'node-media-server/src/core/logger.js' {
  const logger: { level: string };
  export default logger;
}

declare module 'node-media-server/src/core/context.js' {
  import type { EventEmitter } from 'node:events';
  const context: { sessions: Map<string, unknown>; broadcasts: Map<string, unknown>; eventEmitter: EventEmitter };
  export default context;
}
