import { randomBytes, randomInt } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { CameraStream } from './camera-stream.js';
import { checkAuthorization, newNonce, type Credentials } from './digest-auth.js';
import type { TimedAccessUnit } from './h264-feed.js';
import { packetizeAccessUnit, rtcpSenderReport, writeRtpHeader } from './rtp-packetizer.js';
import { SimulatorError } from './simulator-error.js';

/** What the RTSP server of one camera needs from the camera. */
export interface RtspContext {
  /** Digest realm. */
  realm: string;
  /** Accepted authentication. */
  auth(): 'digest' | 'basic' | 'none';
  /** Credentials accepted now. */
  credentials(): Credentials;
  /** Streams by URL path (e.g. `/Streaming/Channels/101`). */
  streams: ReadonlyMap<string, CameraStream>;
  /** When true, DESCRIBE answers a malformed SDP. */
  malformedSdp(): boolean;
  /** Device name for the SDP `s=` line. */
  sessionName: string;
  /** Reports a server-side socket error (the server keeps serving). */
  warn(what: string, error: Error): void;
}

const PAYLOAD_TYPE = 96;
const SESSION_TIMEOUT_S = 60;
const MAX_REQUEST_BYTES = 64 * 1024;

interface Session {
  id: string;
  connection: Connection;
  stream: CameraStream;
  path: string;
  transport: { kind: 'tcp'; rtp: number; rtcp: number } | { kind: 'udp'; host: string; rtpPort: number; rtcpPort: number };
  ssrc: number;
  seq: number;
  tsBase: number;
  playing: boolean;
  waitingKeyframe: boolean;
  unsubscribe: (() => void) | undefined;
  packets: number;
  octets: number;
  lastRtpTs: number;
  lastWallMs: number;
  lastSr: number;
  lastSeen: number;
}

interface Connection {
  socket: Socket;
  buffer: Buffer;
  nonce: string;
  pending: Buffer[];
}

/**
 * A small RTSP 1.0 server for one camera: OPTIONS, DESCRIBE (SDP with sprop-parameter-sets), SETUP
 * (RTP/AVP/TCP interleaved or RTP/AVP unicast UDP), PLAY, PAUSE, TEARDOWN, GET_PARAMETER/SET_PARAMETER
 * keep-alives, Basic or Digest auth, any number of clients; RTP per RFC 6184 and RTCP sender reports.
 * Fault hooks: `stall`, `drop`, `close`/`listen` (reboot).
 */
export class RtspServer {
  private server: Server | undefined;
  private readonly connections = new Set<Connection>();
  private readonly sessions = new Map<string, Session>();
  private rtpSocket: UdpSocket | undefined;
  private rtcpSocket: UdpSocket | undefined;
  private stalled = false;
  private housekeeping: NodeJS.Timeout | undefined;
  /** Bound TCP port. */
  port = 0;
  /** RTP packets sent since start, over every session. */
  packetsSent = 0;

  constructor(private readonly host: string, private readonly ctx: RtspContext) {}

  /** Number of RTSP sessions currently set up. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Number of open TCP connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Starts listening (on `port`, 0 = ephemeral) and binds the UDP RTP/RTCP pair. */
  async listen(port: number): Promise<void> {
    const server = createServer((socket) => this.onConnection(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => this.ctx.warn('RTSP server error', error));
    this.server = server;
    this.port = (server.address() as { port: number }).port;
    if (!this.rtpSocket) await this.bindUdpPair();
    if (!this.housekeeping) {
      this.housekeeping = setInterval(() => this.expireSessions(), 5000);
      this.housekeeping.unref();
    }
  }

  /** Stops accepting connections and resets every open one (used by `reboot` and `stop`). */
  async close(options: { udp?: boolean } = {}): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.drop();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (options.udp !== false) {
      if (this.housekeeping) clearInterval(this.housekeeping);
      this.housekeeping = undefined;
      this.rtpSocket?.close();
      this.rtcpSocket?.close();
      this.rtpSocket = undefined;
      this.rtcpSocket = undefined;
    }
  }

  /** Stall on/off: connections stay open but get neither packets nor answers. */
  setStalled(stalled: boolean): void {
    this.stalled = stalled;
    if (!stalled) {
      for (const c of this.connections) {
        const queued = c.pending;
        c.pending = [];
        for (const chunk of queued) this.onData(c, chunk);
      }
    }
  }

  /** Resets (TCP RST) every connection and forgets every session. */
  drop(): void {
    for (const session of [...this.sessions.values()]) this.endSession(session);
    for (const c of [...this.connections]) {
      if (typeof c.socket.resetAndDestroy === 'function') c.socket.resetAndDestroy();
      else c.socket.destroy();
    }
    this.connections.clear();
  }

  private async bindUdpPair(): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const rtp = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        rtp.once('error', reject);
        rtp.bind(0, this.host, () => resolve());
      });
      const port = rtp.address().port;
      if (port % 2 === 0 && port < 65535) {
        const rtcp = createSocket('udp4');
        const ok = await new Promise<boolean>((resolve) => {
          rtcp.once('error', () => resolve(false));
          rtcp.bind(port + 1, this.host, () => resolve(true));
        });
        if (ok) {
          rtp.on('error', (error) => this.ctx.warn('RTP socket error', error));
          rtcp.on('error', (error) => this.ctx.warn('RTCP socket error', error));
          rtp.on('message', () => undefined);
          rtcp.on('message', () => undefined);
          this.rtpSocket = rtp;
          this.rtcpSocket = rtcp;
          return;
        }
        rtcp.close();
      }
      rtp.close();
    }
    throw new SimulatorError('CAMERA_UNREACHABLE', 'could not bind an RTP/RTCP UDP port pair');
  }

  private onConnection(socket: Socket): void {
    const c: Connection = { socket, buffer: Buffer.alloc(0), nonce: newNonce(), pending: [] };
    this.connections.add(c);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (this.stalled) c.pending.push(chunk);
      else this.onData(c, chunk);
    });
    // A client's socket error (reset, drop() fault) ends that connection: 'close' below cleans its sessions up.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.connections.delete(c);
      for (const s of [...this.sessions.values()]) if (s.connection === c) this.endSession(s);
    });
  }

  private onData(c: Connection, chunk: Buffer): void {
    c.buffer = c.buffer.length === 0 ? chunk : Buffer.concat([c.buffer, chunk]);
    for (let guard = 0; guard < 1000 && c.buffer.length > 0; guard++) {
      if (c.buffer[0] === 0x24) {
        // Interleaved binary data from the client (RTCP receiver reports): skip it.
        if (c.buffer.length < 4) return;
        const len = c.buffer.readUInt16BE(2);
        if (c.buffer.length < 4 + len) return;
        c.buffer = c.buffer.subarray(4 + len);
        for (const s of this.sessions.values()) if (s.connection === c) s.lastSeen = Date.now();
        continue;
      }
      const end = c.buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        if (c.buffer.length > MAX_REQUEST_BYTES) c.socket.destroy();
        return;
      }
      const head = c.buffer.subarray(0, end).toString('utf8');
      const headers = parseHeaders(head);
      const length = Number(headers.get('content-length') ?? 0);
      if (c.buffer.length < end + 4 + length) return;
      c.buffer = c.buffer.subarray(end + 4 + length);
      this.handle(c, head, headers);
    }
  }

  private reply(c: Connection, status: string, cseq: string | undefined, headers: Record<string, string> = {}, body = ''): void {
    const lines = [`RTSP/1.0 ${status}`, `CSeq: ${cseq ?? '0'}`, `Server: WardWatch-Sim RTSP/1.0`, `Date: ${new Date().toUTCString()}`];
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    const bodyBytes = Buffer.from(body, 'utf8');
    if (bodyBytes.length > 0) lines.push(`Content-Length: ${bodyBytes.length}`);
    c.socket.write(Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'utf8'), bodyBytes]));
  }

  private handle(c: Connection, head: string, headers: Map<string, string>): void {
    const [requestLine] = head.split('\r\n');
    const [method = '', url = ''] = (requestLine ?? '').split(' ');
    const cseq = headers.get('cseq');
    const auth = this.ctx.auth();
    if (auth !== 'none' && method !== 'OPTIONS') {
      const ok = checkAuthorization(headers.get('authorization'), method, this.ctx.credentials(), this.ctx.realm, {
        basic: auth === 'basic',
        digest: auth === 'digest',
      });
      if (!ok) {
        const challenge = auth === 'digest' ? `Digest realm="${this.ctx.realm}", nonce="${c.nonce}", stale="FALSE"` : `Basic realm="${this.ctx.realm}"`;
        this.reply(c, '401 Unauthorized', cseq, { 'WWW-Authenticate': challenge });
        return;
      }
    }
    const path = urlPath(url);
    switch (method) {
      case 'OPTIONS':
        this.reply(c, '200 OK', cseq, { Public: 'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER' });
        return;
      case 'DESCRIBE': {
        const stream = this.ctx.streams.get(path);
        if (!stream) return this.reply(c, '404 Not Found', cseq);
        const base = url.endsWith('/') ? url : `${url}/`;
        this.reply(c, '200 OK', cseq, { 'Content-Type': 'application/sdp', 'Content-Base': base }, this.sdp(stream));
        return;
      }
      case 'SETUP':
        return this.setup(c, url, cseq, headers);
      case 'PLAY': {
        const session = this.sessions.get(sessionId(headers));
        if (!session) return this.reply(c, '454 Session Not Found', cseq);
        session.lastSeen = Date.now();
        this.play(session);
        const rtpInfo = `url=${url.replace(/\/$/, '')}/trackID=1;seq=${session.seq & 0xffff};rtptime=${session.tsBase >>> 0}`;
        this.reply(c, '200 OK', cseq, { Session: `${session.id};timeout=${SESSION_TIMEOUT_S}`, Range: 'npt=0.000-', 'RTP-Info': rtpInfo });
        return;
      }
      case 'PAUSE': {
        const session = this.sessions.get(sessionId(headers));
        if (!session) return this.reply(c, '454 Session Not Found', cseq);
        session.playing = false;
        this.reply(c, '200 OK', cseq, { Session: session.id });
        return;
      }
      case 'TEARDOWN': {
        const session = this.sessions.get(sessionId(headers));
        if (session) this.endSession(session);
        this.reply(c, '200 OK', cseq, session ? { Session: session.id } : {});
        return;
      }
      case 'GET_PARAMETER':
      case 'SET_PARAMETER': {
        const session = this.sessions.get(sessionId(headers));
        if (session) session.lastSeen = Date.now();
        this.reply(c, '200 OK', cseq, session ? { Session: `${session.id};timeout=${SESSION_TIMEOUT_S}` } : {});
        return;
      }
      default:
        this.reply(c, '405 Method Not Allowed', cseq, { Allow: 'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER' });
    }
  }

  private sdp(stream: CameraStream): string {
    if (this.ctx.malformedSdp()) {
      return 'v=0\r\no=- garbage\r\nm=video PORT RTP/AVP ninety-six\r\na=rtpmap:96 H264/notaclock\r\n\u0000\u0001broken\r\n';
    }
    const s = stream.settings;
    const sps = stream.sps;
    const pps = stream.pps;
    const fmtp = [`packetization-mode=1`];
    if (sps && sps.length >= 4) fmtp.push(`profile-level-id=${sps.subarray(1, 4).toString('hex')}`);
    if (sps && pps) fmtp.push(`sprop-parameter-sets=${sps.toString('base64')},${pps.toString('base64')}`);
    const lines = [
      'v=0',
      `o=- ${Date.now()} 1 IN IP4 ${this.host}`,
      `s=${this.ctx.sessionName}`,
      `c=IN IP4 0.0.0.0`,
      't=0 0',
      'a=control:*',
      'a=range:npt=0-',
      `m=video 0 RTP/AVP ${PAYLOAD_TYPE}`,
      `a=rtpmap:${PAYLOAD_TYPE} H264/90000`,
      `a=fmtp:${PAYLOAD_TYPE} ${fmtp.join(';')}`,
      ...(s ? [`a=framerate:${s.fps}`, `a=x-dimensions:${s.width},${s.height}`] : []),
      'a=recvonly',
      'a=control:trackID=1',
    ];
    return lines.join('\r\n') + '\r\n';
  }

  private setup(c: Connection, url: string, cseq: string | undefined, headers: Map<string, string>): void {
    const path = urlPath(url).replace(/\/trackID=\d+$/, '');
    const stream = this.ctx.streams.get(path);
    if (!stream) return this.reply(c, '404 Not Found', cseq);
    const transportHeader = headers.get('transport') ?? '';
    // Clients may offer several transports separated by commas: take the first we support.
    const offers = transportHeader.split(',').map((t) => t.trim());
    let chosen: Session['transport'] | undefined;
    let transportReply = '';
    for (const offer of offers) {
      const params = offer.split(';').map((p) => p.trim());
      const proto = params[0] ?? '';
      if (/^RTP\/AVP\/TCP$/i.test(proto)) {
        const il = params.find((p) => p.startsWith('interleaved='))?.slice(12).split('-') ?? [];
        const rtp = Number(il[0] ?? 0);
        const rtcp = Number(il[1] ?? rtp + 1);
        chosen = { kind: 'tcp', rtp, rtcp };
        transportReply = `RTP/AVP/TCP;unicast;interleaved=${rtp}-${rtcp}`;
        break;
      }
      if (/^RTP\/AVP(\/UDP)?$/i.test(proto) && params.some((p) => p.startsWith('client_port='))) {
        if (params.includes('multicast')) continue;
        const ports = params.find((p) => p.startsWith('client_port='))!.slice(12).split('-');
        const rtpPort = Number(ports[0]);
        const rtcpPort = Number(ports[1] ?? rtpPort + 1);
        if (!this.rtpSocket || !Number.isInteger(rtpPort)) continue;
        const remote = c.socket.remoteAddress ?? '127.0.0.1';
        chosen = { kind: 'udp', host: remote.replace(/^::ffff:/, ''), rtpPort, rtcpPort };
        const sp = this.rtpSocket.address().port;
        transportReply = `RTP/AVP;unicast;client_port=${rtpPort}-${rtcpPort};server_port=${sp}-${sp + 1}`;
        break;
      }
    }
    if (!chosen) return this.reply(c, '461 Unsupported Transport', cseq);
    const existing = this.sessions.get(sessionId(headers));
    if (existing) this.endSession(existing);
    const ssrc = randomInt(1, 0xffffffff);
    const session: Session = {
      id: existing?.id ?? randomBytes(6).toString('hex').toUpperCase(),
      connection: c,
      stream,
      path,
      transport: chosen,
      ssrc,
      seq: randomInt(0, 0xffff),
      tsBase: randomInt(0, 0xffffffff),
      playing: false,
      waitingKeyframe: true,
      unsubscribe: undefined,
      packets: 0,
      octets: 0,
      lastRtpTs: 0,
      lastWallMs: 0,
      lastSr: 0,
      lastSeen: Date.now(),
    };
    this.sessions.set(session.id, session);
    this.reply(c, '200 OK', cseq, { Transport: `${transportReply};ssrc=${ssrc.toString(16).toUpperCase().padStart(8, '0')};mode="play"`, Session: `${session.id};timeout=${SESSION_TIMEOUT_S}` });
  }

  private play(session: Session): void {
    session.playing = true;
    if (session.unsubscribe) return;
    session.waitingKeyframe = true;
    session.unsubscribe = session.stream.subscribe((au) => this.send(session, au));
  }

  private send(session: Session, au: TimedAccessUnit): void {
    if (!session.playing || this.stalled) return;
    if (session.waitingKeyframe) {
      if (!au.keyframe) return;
      session.waitingKeyframe = false;
    }
    const nals = au.keyframe ? withParameterSets(au.nals, session.stream.sps, session.stream.pps) : au.nals;
    const payloads = packetizeAccessUnit(nals);
    // RTP time follows the monotonic media clock; RTCP SRs pair it with the camera (wall + drift) clock.
    const ts = (session.tsBase + Math.round(au.mediaMs * 90)) >>> 0;
    const tcp = session.transport.kind === 'tcp';
    const prefix = tcp ? 4 : 0;
    const buffers: Buffer[] = [];
    for (let i = 0; i < payloads.length; i++) {
      const payload = payloads[i]!;
      const packet = Buffer.allocUnsafe(prefix + 12 + payload.length);
      if (tcp) {
        packet[0] = 0x24;
        packet[1] = (session.transport as { rtp: number }).rtp;
        packet.writeUInt16BE(12 + payload.length, 2);
      }
      writeRtpHeader(packet, prefix, i === payloads.length - 1, PAYLOAD_TYPE, session.seq, ts, session.ssrc);
      payload.copy(packet, prefix + 12);
      session.seq = (session.seq + 1) & 0xffff;
      session.packets++;
      session.octets += payload.length;
      this.packetsSent++;
      buffers.push(packet);
    }
    session.lastRtpTs = ts;
    session.lastWallMs = au.timeMs;
    const sendSr = au.timeMs - session.lastSr >= 2000;
    if (sendSr) session.lastSr = au.timeMs;
    const sr = sendSr ? rtcpSenderReport(session.ssrc, au.timeMs, ts, session.packets, session.octets) : undefined;
    if (session.transport.kind === 'tcp') {
      const socket = session.connection.socket;
      if (socket.destroyed || !socket.writable) return;
      // A client that does not read (or a full socket) does not grow memory without bound: skip frames.
      if (socket.writableLength > 4 * 1024 * 1024) {
        session.waitingKeyframe = true;
        return;
      }
      if (sr) {
        const head = Buffer.from([0x24, session.transport.rtcp, 0, 0]);
        head.writeUInt16BE(sr.length, 2);
        buffers.push(head, sr);
      }
      socket.write(Buffer.concat(buffers));
    } else {
      const t = session.transport;
      const rtp = this.rtpSocket;
      if (!rtp) return;
      for (const b of buffers) rtp.send(b, t.rtpPort, t.host);
      if (sr) this.rtcpSocket?.send(sr, t.rtcpPort, t.host);
    }
  }

  private endSession(session: Session): void {
    session.unsubscribe?.();
    session.unsubscribe = undefined;
    session.playing = false;
    this.sessions.delete(session.id);
  }

  private expireSessions(): void {
    if (this.stalled) return;
    const now = Date.now();
    for (const s of [...this.sessions.values()]) {
      // TCP sessions live as long as their connection; UDP sessions need keep-alives.
      if (s.transport.kind === 'udp' && now - s.lastSeen > SESSION_TIMEOUT_S * 1000 * 1.5) this.endSession(s);
    }
  }
}

function parseHeaders(head: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of head.split('\r\n').slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) map.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return map;
}

function sessionId(headers: Map<string, string>): string {
  return (headers.get('session') ?? '').split(';')[0]!.trim();
}

function urlPath(url: string): string {
  if (!URL.canParse(url)) return url;
  return new URL(url).pathname.replace(/\/+$/, '') || '/';
}

function withParameterSets(nals: readonly Buffer[], sps: Buffer | undefined, pps: Buffer | undefined): Buffer[] {
  const hasSps = nals.some((n) => (n[0]! & 0x1f) === 7);
  if (hasSps || !sps || !pps) return [...nals];
  return [sps, pps, ...nals];
}
