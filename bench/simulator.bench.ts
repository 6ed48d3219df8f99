import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { BenchFigure } from './bench-types.js';

/**
 * Serving cost of @wardwatch/simulator: the `wardwatch-sim` CLI runs in its own process with N cameras
 * (shared encoder, main 1280×720@15 + sub 640×360@10), and this process plays every main and sub stream once
 * over RTSP/TCP with a minimal client (so client work is not counted). CPU and memory are read from /proc for
 * the simulator process and its ffmpeg children over a 10 s window.
 */
const require = createRequire(import.meta.url);
const tsx = require.resolve('tsx');
const cli = fileURLToPath(new URL('../packages/simulator/src/cli.ts', import.meta.url));
const CLK_TCK = 100;
const WINDOW_MS = 10_000;

function procCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

function procRssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** A minimal RTSP/TCP player: DESCRIBE (Digest), SETUP interleaved, PLAY; counts received bytes. */
class MiniRtspClient {
  bytes = 0;
  private socket: Socket | undefined;
  private buf = '';
  private cseq = 0;
  private playing = false;

  constructor(private readonly url: string, private readonly user: string, private readonly pass: string) {}

  async play(): Promise<void> {
    const u = new URL(this.url);
    const socket = connect(Number(u.port), u.hostname);
    this.socket = socket;
    socket.on('error', () => undefined);
    let waiter: ((text: string) => void) | undefined;
    socket.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      if (this.playing) return;
      this.buf += chunk.toString('latin1');
      const end = this.buf.indexOf('\r\n\r\n');
      if (end >= 0 && waiter) {
        const head = this.buf.slice(0, end);
        const len = Number(/Content-Length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (this.buf.length >= end + 4 + len) {
          const msg = this.buf.slice(0, end + 4 + len);
          this.buf = this.buf.slice(end + 4 + len);
          const w = waiter;
          waiter = undefined;
          w(msg);
        }
      }
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const request = (method: string, url: string, headers: Record<string, string>): Promise<string> =>
      new Promise((resolve) => {
        waiter = resolve;
        const lines = [`${method} ${url} RTSP/1.0`, `CSeq: ${++this.cseq}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
        socket.write(lines.join('\r\n') + '\r\n\r\n');
      });
    const first = await request('DESCRIBE', this.url, { Accept: 'application/sdp' });
    const realm = /realm="([^"]+)"/.exec(first)?.[1] ?? '';
    const nonce = /nonce="([^"]+)"/.exec(first)?.[1] ?? '';
    const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
    const auth = (method: string, uri: string): string =>
      `Digest username="${this.user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${md5(`${md5(`${this.user}:${realm}:${this.pass}`)}:${nonce}:${md5(`${method}:${uri}`)}`)}"`;
    const described = await request('DESCRIBE', this.url, { Accept: 'application/sdp', Authorization: auth('DESCRIBE', this.url) });
    if (!described.startsWith('RTSP/1.0 200')) throw new Error(`DESCRIBE failed: ${described.slice(0, 80)}`);
    const track = `${this.url}/trackID=1`;
    const setup = await request('SETUP', track, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1', Authorization: auth('SETUP', track) });
    const session = /Session: ([^;\r\n]+)/.exec(setup)?.[1] ?? '';
    const played = await request('PLAY', this.url, { Session: session, Range: 'npt=0.000-', Authorization: auth('PLAY', this.url) });
    if (!played.startsWith('RTSP/1.0 200')) throw new Error(`PLAY failed: ${played.slice(0, 80)}`);
    this.playing = true;
  }

  close(): void {
    this.socket?.destroy();
  }
}

async function measure(cameras: number): Promise<BenchFigure[]> {
  const child: ChildProcess = spawn(process.execPath, ['--import', tsx, cli, '--cameras', String(cameras), '--scene', 'static', '--shared-encoder', '--main', '1280x720', '--sub', '640x360', '--fps', '15'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const clients: MiniRtspClient[] = [];
  try {
    const until = Date.now() + 60_000;
    while (!out.includes('ready') && Date.now() < until && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    if (!out.includes('ready')) throw new Error(`simulator did not start: ${out.slice(-500)}`);
    const urls = [...out.matchAll(/rtsp (rtsp:\/\/\S+)\s+(rtsp:\/\/\S+)/g)].flatMap((m) => [m[1]!, m[2]!]);
    for (const url of urls) {
      const c = new MiniRtspClient(url, 'admin', 'admin123');
      await c.play();
      clients.push(c);
    }
    await new Promise((r) => setTimeout(r, 3000));
    const pids = [child.pid!, ...childrenOf(child.pid!)];
    const cpu0 = pids.reduce((s, p) => s + procCpuSeconds(p), 0);
    const node0 = procCpuSeconds(child.pid!);
    const bytes0 = clients.reduce((s, c) => s + c.bytes, 0);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const seconds = (Date.now() - t0) / 1000;
    const cpu = ((pids.reduce((s, p) => s + procCpuSeconds(p), 0) - cpu0) / seconds) * 100;
    const nodeCpu = ((procCpuSeconds(child.pid!) - node0) / seconds) * 100;
    const rss = pids.reduce((s, p) => s + procRssMb(p), 0);
    const mbps = ((clients.reduce((s, c) => s + c.bytes, 0) - bytes0) * 8) / seconds / 1e6;
    const silent = clients.filter((c) => c.bytes < 10_000).length;
    if (silent > 0) throw new Error(`${silent} clients received no media`);
    return [
      { name: `simulator: ${cameras} cameras (main 720p15 + sub 360p10, 1 client each), total CPU`, value: cpu, unit: '% of one core', target: '<= 100 % of one core (32 cameras within one core)', met: cpu <= 100 },
      { name: `simulator: ${cameras} cameras, CPU per camera`, value: cpu / cameras, unit: '% of one core' },
      { name: `simulator: ${cameras} cameras, RTSP/RTP serving CPU (Node process only)`, value: nodeCpu, unit: '% of one core' },
      { name: `simulator: ${cameras} cameras, memory (RSS, Node + ffmpeg)`, value: rss, unit: 'MB' },
      { name: `simulator: ${cameras} cameras, memory per camera`, value: rss / cameras, unit: 'MB' },
      { name: `simulator: ${cameras} cameras, media delivered to clients`, value: mbps, unit: 'Mbit/s' },
    ];
  } finally {
    for (const c of clients) c.close();
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  }
}

export default async function simulatorBench(): Promise<BenchFigure[]> {
  return [...(await measure(16)), ...(await measure(32))];
}
