import { readFileSync, readdirSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the captured device answers live: one folder per device. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A request the fixture server received. */
export interface FixtureRequest {
  method: string;
  url: string;
  /** `namespace.Action` key of a SOAP request (e.g. `media2.GetProfiles`), or `GET` for other requests. */
  key: string;
  action: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** An answer: a fixture file (`folder/File.xml`) or a function giving status, body and headers. */
export type FixtureAnswer = string | ((request: FixtureRequest) => { status?: number; body: string | Buffer; headers?: Record<string, string> });

/** Settings of {@link startFixtureServer}. */
export interface FixtureServerOptions {
  /** Device folder whose `Action.xml` / `namespace.Action.xml` files answer every SOAP action. */
  device: string;
  /** Per-key answers that replace the folder's (`GetProfiles`, `media2.GetProfiles`, `GET /snap.jpg`…). */
  answers?: Record<string, FixtureAnswer>;
  /** The `Date` header every answer carries (the camera's clock); the real time when omitted. */
  date?: () => Date;
  /** Serve HTTPS with this key and certificate instead of HTTP. */
  tls?: { key: string; cert: string };
}

/** A running fixture server. */
export interface FixtureServer {
  port: number;
  /** `http(s)://127.0.0.1:port/onvif/device_service`. */
  url: string;
  requests: FixtureRequest[];
  answers: Map<string, FixtureAnswer>;
  close(): Promise<void>;
}

const NAMESPACES: Record<string, string> = {
  'http://www.onvif.org/ver10/device/wsdl': 'device',
  'http://www.onvif.org/ver10/media/wsdl': 'media',
  'http://www.onvif.org/ver20/media/wsdl': 'media2',
  'http://www.onvif.org/ver20/ptz/wsdl': 'ptz',
  'http://www.onvif.org/ver10/events/wsdl': 'events',
  'http://docs.oasis-open.org/wsn/b-2': 'wsn',
};

/** A fixture file's text. */
export function fixture(file: string): string {
  return readFileSync(join(FIXTURES, file), 'utf8');
}

function soapKey(body: string): { key: string; action: string } {
  const element = /<(?:[\w-]+:)?Body\b[^>]*>\s*<(?:([\w-]+):)?(\w+)([^>]*)>/.exec(body) ?? /<(?:[\w-]+:)?Body\b[^>]*>\s*<(?:([\w-]+):)?(\w+)([^>]*)\/>/.exec(body);
  if (!element) return { key: 'unknown', action: 'unknown' };
  const action = element[2]!;
  const ns = /xmlns="([^"]+)"/.exec(element[3] ?? '')?.[1] ?? '';
  return { key: `${NAMESPACES[ns] ?? 'other'}.${action}`, action };
}

/**
 * Replays captured device answers by SOAP action on 127.0.0.1:0: `namespace.Action.xml` first, then
 * `Action.xml` of the device folder, unless a per-key answer replaces it. Unknown actions get an
 * `ActionNotSupported` fault. Every request is recorded.
 */
export async function startFixtureServer(options: FixtureServerOptions): Promise<FixtureServer> {
  const files = new Set(readdirSync(join(FIXTURES, options.device)));
  const requests: FixtureRequest[] = [];
  const answers = new Map<string, FixtureAnswer>(Object.entries(options.answers ?? {}));
  const sockets = new Set<Socket>();
  const reply = (res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void => {
    res.sendDate = false;
    res.writeHead(status, { 'Content-Type': 'application/soap+xml; charset=utf-8', Date: (options.date?.() ?? new Date()).toUTCString(), ...headers }).end(body);
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { key, action } = req.method === 'POST' ? soapKey(body) : { key: `GET ${req.url ?? ''}`, action: 'GET' };
      const request: FixtureRequest = { method: req.method ?? '', url: req.url ?? '', key, action, headers: req.headers, body };
      requests.push(request);
      const answer = answers.get(key) ?? answers.get(action) ?? (files.has(`${key}.xml`) ? `${options.device}/${key}.xml` : files.has(`${action}.xml`) ? `${options.device}/${action}.xml` : undefined);
      if (answer === undefined) {
        reply(
          res,
          400,
          `<?xml version="1.0"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value><env:Subcode><env:Value>ter:ActionNotSupported</env:Value></env:Subcode></env:Code><env:Reason><env:Text>${action}</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>`,
        );
        return;
      }
      if (typeof answer === 'string') {
        reply(res, 200, fixture(answer));
        return;
      }
      const out = answer(request);
      reply(res, out.status ?? 200, out.body, out.headers);
    });
  };
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createHttpServer(handler);
  server.on(options.tls ? 'secureConnection' : 'connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/onvif/device_service`,
    requests,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
