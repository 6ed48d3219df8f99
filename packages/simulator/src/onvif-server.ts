import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { checkAuthorization, newNonce } from './digest-auth.js';
import { onvifAnswer, type OnvifCall } from './onvif-handlers.js';
import type { OnvifDevice } from './onvif-device.js';
import { SimulatorError } from './simulator-error.js';
import { soapEnvelope, soapFault } from './soap-envelope.js';

const MAX_BODY = 1024 * 1024;
const REALM = 'IP Camera';
/** Size of the `oversized-soap` answer. */
export const OVERSIZED_SOAP_BYTES = 16 * 1024 * 1024;

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, parseTagValue: false, trimValues: true });

/** Actions answered without authentication (ONVIF Core, "pre-auth" class). */
const PRE_AUTH = new Set(['GetSystemDateAndTime', 'GetWsdlUrl', 'GetServices', 'GetServiceCapabilities', 'GetEndpointReference']);

/**
 * The ONVIF HTTP endpoint of one camera: SOAP 1.2 for device, media, PTZ and events services, the snapshot
 * JPEG, WS-UsernameToken and/or HTTP Digest auth, and the stall/drop/reboot/malformed faults.
 */
export class OnvifServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private stalled = false;
  private held: Array<() => void> = [];
  private readonly nonces = new Set<string>();
  private oversized: Buffer | undefined;
  /** Bound port. */
  port = 0;

  constructor(private readonly host: string, private readonly camera: OnvifDevice) {}

  /** Listens on `port` (0 = ephemeral). */
  async listen(port: number): Promise<void> {
    const server = createServer((req, res) => this.onRequest(req, res));
    server.keepAliveTimeout = 5000;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => process.emitWarning(`simulator camera ${this.camera.id}: ONVIF server error: ${error.message}`));
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  /** Stops listening and resets every connection. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.drop();
    this.held = [];
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resets (TCP RST) every open connection. */
  drop(): void {
    for (const s of this.sockets) {
      if (typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
      else s.destroy();
    }
    this.sockets.clear();
  }

  /** Stall on/off: requests are held unanswered while stalled, answered on resume. */
  setStalled(stalled: boolean): void {
    this.stalled = stalled;
    if (!stalled) {
      const held = this.held;
      this.held = [];
      for (const run of held) run();
    }
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      const run = (): void => {
        if (res.destroyed || res.writableEnded) return;
        this.handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
          if (!res.headersSent) this.send(res, 500, soapFault('env:Receiver', 'ter:Action', undefined, (error as Error).message));
        });
      };
      if (this.stalled) this.held.push(run);
      else run();
    });
    // A client that resets mid-request (drop() fault, a killed test) ends that request only.
    req.on('error', () => req.destroy());
  }

  private send(res: ServerResponse, status: number, xml: string | Buffer, headers: Record<string, string | string[]> = {}): void {
    if (res.destroyed) return;
    if (this.stalled) {
      // Stalled while working on the answer (e.g. a long PullMessages): hold it.
      this.held.push(() => this.send(res, status, xml, headers));
      return;
    }
    const body = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
    res.writeHead(status, { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': String(body.length), Server: 'WardWatch-Sim ONVIF', ...headers });
    res.end(body);
  }

  private challenge(): string {
    const nonce = newNonce();
    this.nonces.add(nonce);
    if (this.nonces.size > 256) this.nonces.delete(this.nonces.values().next().value as string);
    return `Digest realm="${REALM}", qop="auth", nonce="${nonce}", algorithm="MD5", stale="FALSE"`;
  }

  private digestOk(req: IncomingMessage): boolean {
    return checkAuthorization(req.headers.authorization, req.method ?? 'POST', { username: this.camera.username, password: this.camera.password }, REALM, { basic: false, digest: true });
  }

  private async handle(req: IncomingMessage, res: ServerResponse, bodyText: string): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const mode = this.camera.onvifAuth;
    if (req.method === 'GET' && path === '/onvif/snapshot.jpg') {
      if (mode !== 'none' && !this.digestOk(req)) {
        res.writeHead(401, { 'WWW-Authenticate': this.challenge(), 'Content-Length': '0' }).end();
        return;
      }
      try {
        const jpeg = await this.camera.snapshot();
        if (this.stalled) return void this.held.push(() => res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': String(jpeg.length) }).end(jpeg));
        res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': String(jpeg.length) }).end(jpeg);
      } catch (error) {
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end((error as Error).message);
      }
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' }).end();
      return;
    }
    let doc: Record<string, unknown>;
    try {
      doc = parser.parse(bodyText) as Record<string, unknown>;
    } catch {
      return this.send(res, 400, soapFault('env:Sender', 'ter:WellFormed', undefined, 'Malformed XML'));
    }
    const envelope = doc.Envelope as Record<string, unknown> | undefined;
    const body = envelope?.Body as Record<string, unknown> | undefined;
    const action = body ? Object.keys(body).find((k) => !k.startsWith('@_')) : undefined;
    if (!envelope || !body || !action) return this.send(res, 400, soapFault('env:Sender', 'ter:WellFormed', undefined, 'Not a SOAP envelope'));

    if (mode !== 'none' && !PRE_AUTH.has(action)) {
      const header = envelope.Header as Record<string, unknown> | undefined;
      const wsOk = (mode === 'ws-security' || mode === 'both') && this.wsSecurityOk(header);
      const digestOk = (mode === 'digest' || mode === 'both') && this.digestOk(req);
      if (!wsOk && !digestOk) {
        const hasDigest = /^digest /i.test(req.headers.authorization ?? '');
        const hasWs = header !== undefined && typeof header === 'object' && 'Security' in header;
        const digestAllowed = mode === 'digest' || mode === 'both';
        // A failed or missing Digest gets a fresh challenge (401); a failed WS-UsernameToken gets a SOAP fault (400).
        if (digestAllowed && (hasDigest || !hasWs || mode === 'digest')) {
          return this.send(res, 401, soapFault('env:Sender', 'ter:NotAuthorized', undefined, 'Sender not authorized'), { 'WWW-Authenticate': this.challenge() });
        }
        return this.send(res, 400, soapFault('env:Sender', 'ter:NotAuthorized', undefined, 'Sender not authorized'));
      }
    }

    const malformed = this.camera.malformedFault;
    if (malformed === 'soap' && action !== 'GetSystemDateAndTime') {
      return this.send(res, 200, `<?xml version="1.0"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><${action}Response><Broken attr="unterminated></env:Body>`);
    }
    const header = envelope.Header;
    const call: OnvifCall = {
      path,
      action,
      request: body[action] as Record<string, unknown> | string | undefined,
      ...(header && typeof header === 'object' ? { header: header as Record<string, unknown> } : {}),
      host: this.host,
      port: this.port,
    };
    try {
      const answer = await onvifAnswer(this.camera, call);
      if (malformed === 'oversized-soap' && action !== 'GetSystemDateAndTime') return this.send(res, 200, this.oversizedAnswer(answer));
      this.send(res, 200, soapEnvelope(answer));
    } catch (error) {
      if (error instanceof SimulatorError && error.fault) {
        const { status, code, subcode, subsubcode } = error.fault;
        return this.send(res, status, soapFault(code, subcode, subsubcode, error.message));
      }
      throw error;
    }
  }

  private oversizedAnswer(answer: string): Buffer {
    if (!this.oversized) {
      const pad = Buffer.alloc(OVERSIZED_SOAP_BYTES, 0x20);
      pad.write('<!--', 0);
      pad.write('-->', OVERSIZED_SOAP_BYTES - 3);
      this.oversized = pad;
    }
    const xml = soapEnvelope(answer);
    const at = xml.lastIndexOf('</env:Body>');
    return Buffer.concat([Buffer.from(xml.slice(0, at)), this.oversized, Buffer.from(xml.slice(at))]);
  }

  private wsSecurityOk(header: Record<string, unknown> | undefined): boolean {
    const security = header?.Security as Record<string, unknown> | undefined;
    const token = security?.UsernameToken as Record<string, unknown> | undefined;
    if (!token) return false;
    const username = text(token.Username);
    const passwordNode = token.Password;
    const password = text(passwordNode);
    const type = typeof passwordNode === 'object' && passwordNode ? String((passwordNode as Record<string, unknown>)['@_Type'] ?? '') : '';
    if (username !== this.camera.username) return false;
    if (type.endsWith('#PasswordText')) return password === this.camera.password;
    const nonce = Buffer.from(text(token.Nonce), 'base64');
    const created = text(token.Created);
    const digest = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created, 'utf8'), Buffer.from(this.camera.password, 'utf8')])).digest('base64');
    if (digest !== password) return false;
    // Real devices reject tokens whose Created is far from their clock (replay protection).
    const createdMs = Date.parse(created);
    return Number.isFinite(createdMs) && Math.abs(createdMs - this.camera.now()) < 5 * 60_000;
  }
}

function text(node: unknown): string {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object' && '#text' in node) return String((node as Record<string, unknown>)['#text']);
  return '';
}
