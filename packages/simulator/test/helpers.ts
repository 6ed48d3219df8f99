import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The bundled ffmpeg 4.x (always present) and Debian's ffmpeg 5.1 when installed. */
export const BUNDLED_FFMPEG = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
export const BUNDLED_FFPROBE = (require('@ffprobe-installer/ffprobe') as { path: string }).path;
export const SYSTEM_FFMPEG = existsSync('/usr/bin/ffmpeg') ? '/usr/bin/ffmpeg' : undefined;

/** ffmpeg builds to run client tests with: [label, ffmpeg]. */
export const FFMPEG_BUILDS: Array<[string, string]> = [['bundled', BUNDLED_FFMPEG], ...(SYSTEM_FFMPEG ? [['system', SYSTEM_FFMPEG] as [string, string]] : [])];

/** Small, cheap stream settings for tests. */
export const TINY = {
  main: { width: 320, height: 180, fps: 5, gop: 5, bitrateKbps: 200 },
  sub: { width: 160, height: 90, fps: 5, gop: 5, bitrateKbps: 80 },
};

/** The RTSP socket-timeout option of an ffmpeg build (`-stimeout` in 4.x, `-timeout` in 5.x), in µs. */
export function rtspTimeoutArgs(ffmpeg: string, seconds: number): string[] {
  const help = execFileSync(ffmpeg, ['-hide_banner', '-h', 'demuxer=rtsp'], { encoding: 'utf8' });
  const us = String(Math.round(seconds * 1e6));
  return /-stimeout\s/.test(help) ? ['-stimeout', us] : ['-timeout', us];
}

/** Adds credentials to an RTSP URL. */
export function withCredentials(url: string, user: string, pass: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(pass);
  return u.toString();
}

/** Result of a process run. */
export interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  ms: number;
}

/** Runs a process to completion (killed after `timeoutMs`). */
export function run(bin: string, args: string[], timeoutMs = 30_000): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      if (err.length > 20_000) err = err.slice(-10_000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: err, ms: Date.now() - started });
    });
  });
}

/** Decodes `frames` gray frames (w×h) from an RTSP URL with a real ffmpeg. */
export async function grabGrayFrames(ffmpeg: string, url: string, transport: 'tcp' | 'udp', w: number, h: number, frames: number, extra: string[] = []): Promise<Buffer[]> {
  const r = await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', transport, ...extra, '-i', url, '-frames:v', String(frames), '-vf', `scale=${w}:${h},format=gray`, '-f', 'rawvideo', 'pipe:1'], 40_000);
  if (r.code !== 0) throw new Error(`ffmpeg failed (${r.code}): ${r.stderr.slice(-500)}`);
  const size = w * h;
  const out: Buffer[] = [];
  for (let i = 0; i + size <= r.stdout.length; i += size) out.push(r.stdout.subarray(i, i + size));
  return out;
}

/** Mean and standard deviation of gray pixels. */
export function lumaStats(frame: Buffer): { mean: number; std: number } {
  let sum = 0;
  let sq = 0;
  for (const v of frame) {
    sum += v;
    sq += v * v;
  }
  const mean = sum / frame.length;
  return { mean, std: Math.sqrt(Math.max(0, sq / frame.length - mean * mean)) };
}

/** Mean squared horizontal gradient (sharpness; blur lowers it, noise raises it) of a gray frame of width `w`. */
export function sharpness(frame: Buffer, w: number): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i + 1 < frame.length; i++) {
    if ((i + 1) % w === 0) continue;
    const d = frame[i + 1]! - frame[i]!;
    sum += d * d;
    n++;
  }
  return sum / n;
}

/** HTTP GET/POST with Digest auth (one 401 round trip), as an ONVIF client does. */
export async function httpDigest(url: string, user: string, pass: string, method = 'GET', body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const first = await httpRaw(url, method, body, {});
  if (first.status !== 401) return first;
  const challenge = String(first.headers['www-authenticate'] ?? '');
  const param = (k: string): string => new RegExp(`${k}="([^"]*)"`).exec(challenge)?.[1] ?? '';
  const realm = param('realm');
  const nonce = param('nonce');
  const u = new URL(url);
  const uri = u.pathname + u.search;
  const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
  const cnonce = 'abcdef0123456789';
  const nc = '00000001';
  const ha1 = md5(`${user}:${realm}:${pass}`);
  const ha2 = md5(`${method}:${uri}`);
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  const auth = `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}"`;
  return httpRaw(url, method, body, { Authorization: auth });
}

/** A plain HTTP request. */
export function httpRaw(url: string, method: string, body: string | undefined, headers: Record<string, string>, timeoutMs = 20_000): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, ...(body ? { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)) } : {}) }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** A SOAP 1.2 request body (no security header). */
export function soap(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>${body}</s:Body></s:Envelope>`;
}

/** Whether a process with this pid is alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until `check` returns true (polling, bounded). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, stepMs = 100): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/** A long-running ffmpeg RTSP client decoding gray frames; records every frame it receives. */
export class FrameCollector {
  readonly frames: Array<{ at: number; data: Buffer }> = [];
  exitCode: number | null | undefined = undefined;
  stderr = '';
  private readonly child;
  private pending = Buffer.alloc(0);
  readonly exited: Promise<number | null>;

  constructor(ffmpeg: string, url: string, transport: 'tcp' | 'udp', readonly w: number, readonly h: number, extra: string[] = []) {
    this.child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', transport, ...extra, '-i', url, '-vf', `scale=${w}:${h},format=gray`, '-f', 'rawvideo', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const size = w * h;
    this.child.stdout.on('data', (c: Buffer) => {
      this.pending = Buffer.concat([this.pending, c]);
      while (this.pending.length >= size) {
        this.frames.push({ at: Date.now(), data: Buffer.from(this.pending.subarray(0, size)) });
        this.pending = this.pending.subarray(size);
        if (this.frames.length > 400) this.frames.shift();
      }
    });
    this.child.stderr.on('data', (c: Buffer) => {
      this.stderr = (this.stderr + c.toString()).slice(-4000);
    });
    this.exited = new Promise((resolve) =>
      this.child.on('close', (code) => {
        this.exitCode = code;
        resolve(code);
      }),
    );
  }

  /** Frames received after `t`. */
  since(t: number): Buffer[] {
    return this.frames.filter((f) => f.at > t).map((f) => f.data);
  }

  /** Kills the client (by its own pid) and waits for it. */
  async stop(): Promise<void> {
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** Decodes a JPEG to gray pixels (w×h of the image) with a real ffmpeg. */
export async function jpegToGray(ffmpeg: string, jpeg: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-f', 'image2pipe', '-c:v', 'mjpeg', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`ffmpeg exited ${code}`))));
    child.stdin.end(jpeg);
  });
}
