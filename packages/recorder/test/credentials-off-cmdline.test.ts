import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { firstValueFrom, type Subscription } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, type RecorderSignal } from '@wardwatch/core';
import { startSimulator, type Simulator } from '@wardwatch/simulator';
import { createLiveGateway, createRecorder, detectCapabilities, type LiveGateway } from '../src/index.js';
import { openRtspCredentialProxy } from '../src/rtsp-credential-proxy.js';
import { ffmpegBuilds } from './ffmpeg-builds.js';
import { lightCameras } from './sim-cameras.js';
import { makeContext, makeSession, makeSpec, tempDir, waitFor } from './helpers.js';

const PASSWORD = 'Pw-0f-the-camera';
let sim: Simulator;
let gateway: LiveGateway;
const gatewayLog: string[] = [];
const cleanups: Array<() => void | Promise<void>> = [];
beforeAll(async () => {
  sim = await startSimulator({
    cameras: lightCameras(['cam-digest', 'cam-basic', 'cam-wrong']).map((c) => ({ ...c, username: 'viewer', password: PASSWORD, rtspAuth: c.id === 'cam-basic' ? ('basic' as const) : ('digest' as const) })),
  });
  const log = (level: string) => (fields: object, message?: string) => gatewayLog.push(`${level} ${message ?? ''}`);
  const logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: () => logger } as unknown as typeof silentLogger;
  gateway = createLiveGateway({ logger });
  await gateway.start();
}, 60_000);
afterAll(async () => {
  await gateway?.stop();
  await sim?.stop();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const withCredentials = (url: string, password = PASSWORD): string => url.replace('rtsp://', `rtsp://viewer:${encodeURIComponent(password)}@`);
/** The process's command line; '' once it has exited (its /proc entry is empty, then gone). */
const cmdline = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ESRCH') return '';
    throw error;
  }
};

/** Records one camera with a build of ffmpeg until `until` holds; returns what was seen. */
async function recordWith(ffmpegPath: string, cameraId: string, password: string, until: (signals: RecorderSignal[]) => boolean, transport: 'tcp' | 'udp' = 'tcp') {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const recorder = createRecorder({ root: dir, segmentSeconds: 1, ffmpegPath, live: gateway, transport });
  await recorder.start(makeContext());
  cleanups.push(() => recorder.stop());
  const signals: RecorderSignal[] = [];
  const url = withCredentials(sim.camera(cameraId).rtspUrl.main, password);
  const sub: Subscription = recorder.record(makeSpec(cameraId), makeSession(url)).subscribe((s) => signals.push(s));
  cleanups.push(() => sub.unsubscribe());
  await waitFor(() => until(signals), 30_000, `${cameraId} with ${ffmpegPath}`);
  return { recorder, signals };
}

describe('secrets on ffmpeg command lines (issue 24 #4)', () => {
  it('records a Digest and a Basic camera with every ffmpeg build, and no password is in /proc/<pid>/cmdline', async () => {
    for (const ffmpegPath of ffmpegBuilds()) {
      const version = (await detectCapabilities(ffmpegPath)).version;
      for (const cameraId of ['cam-digest', 'cam-basic']) {
        const { recorder, signals } = await recordWith(ffmpegPath, cameraId, PASSWORD, (s) => s.some((x) => x.type === 'segment'));
        const lines = recorder.pids().map(cmdline);
        expect(lines.length, version).toBeGreaterThanOrEqual(1);
        for (const line of lines) {
          expect(line, version).not.toContain(PASSWORD);
          expect(line, version).not.toContain(encodeURIComponent(PASSWORD));
          expect(line, version).not.toMatch(/rtsps?:\/\/[^\s/]*@/);
          expect(line, version).toMatch(/-i rtsp:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}\//);
        }
        expect(signals.find((x) => x.type === 'segment'), `${cameraId} ${version}`).toBeDefined();
        for (const c of cleanups.splice(0).reverse()) await c();
      }
    }
  }, 180_000);

  it('snapshots and analysis frames of a camera with credentials go through the proxy too', async () => {
    const { recorder } = await recordWith(ffmpegBuilds()[0]!, 'cam-digest', PASSWORD, (s) => s.some((x) => x.type === 'connected'));
    const recordingPids = new Set(recorder.pids());
    const seen: string[] = [];
    // every new ffmpeg (the frame decoder, the snapshot's) is looked at while it runs; one that has just exited and
    // is not reaped yet has an empty command line (nothing to check)
    const watch = setInterval(() => {
      for (const pid of recorder.pids()) {
        if (recordingPids.has(pid)) continue;
        const line = cmdline(pid);
        if (line.trim() !== '') seen.push(line);
      }
    }, 20);
    try {
      const frame = await firstValueFrom(recorder.frames('cam-digest', { width: 64, height: 36, fps: 2 }));
      expect(frame.data.length).toBe(64 * 36);
      const jpeg = await recorder.snapshot('cam-digest');
      expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
    } finally {
      clearInterval(watch);
    }
    expect(seen.length).toBeGreaterThanOrEqual(1);
    for (const line of seen) {
      expect(line).not.toContain(PASSWORD);
      expect(line).toMatch(/-i rtsp:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}\//);
    }
  }, 60_000);

  it('records over RTP/UDP through the proxy too (only the RTSP control connection goes through it), with every build', async () => {
    for (const ffmpegPath of ffmpegBuilds()) {
      const version = (await detectCapabilities(ffmpegPath)).version;
      const { recorder, signals } = await recordWith(ffmpegPath, 'cam-digest', PASSWORD, (s) => s.some((x) => x.type === 'segment'), 'udp');
      const line = cmdline(recorder.pids()[0]!);
      expect(line, version).toContain('-rtsp_transport udp');
      expect(line, version).not.toContain(PASSWORD);
      expect(signals.find((x) => x.type === 'segment'), version).toBeDefined();
      for (const c of cleanups.splice(0).reverse()) await c();
    }
  }, 120_000);

  it('the proxy URL read from the command line is useless: single-use', async () => {
    const ffmpegPath = ffmpegBuilds()[0]!;
    const { recorder } = await recordWith(ffmpegPath, 'cam-digest', PASSWORD, (s) => s.some((x) => x.type === 'segment'));
    const line = cmdline(recorder.pids()[0]!);
    const proxyUrl = /-i (rtsp:\/\/\S+)/.exec(line)![1]!;
    expect(proxyUrl).toMatch(/^rtsp:\/\/127\.0\.0\.1:/);
    // another local user replays the proxy URL: nobody answers (the token was spent, the port closed)
    const { port } = new URL(proxyUrl);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      let got = '';
      socket.on('data', (d) => (got += String(d)));
      socket.on('connect', () => socket.write(`DESCRIBE ${proxyUrl} RTSP/1.0\r\nCSeq: 1\r\n\r\n`));
      socket.on('error', () => resolve(`refused:${got}`));
      socket.on('close', () => resolve(`closed:${got}`));
      setTimeout(() => {
        socket.destroy();
        resolve(`open:${got}`);
      }, 3000);
    });
    expect(answer).toMatch(/^(refused|closed):$/);
  }, 60_000);

  it('the RTMP publish URL read from the command line lives minutes and is spent by its first use', async () => {
    const ffmpegPath = ffmpegBuilds()[0]!;
    const { recorder } = await recordWith(ffmpegPath, 'cam-basic', PASSWORD, (s) => s.some((x) => x.type === 'segment'));
    const publishUrl = /rtmp:\/\/[^|\s\]]+/.exec(cmdline(recorder.pids()[0]!))![0]!;
    const exp = Number(new URL(publishUrl).searchParams.get('exp'));
    expect(exp * 1000 - Date.now()).toBeLessThanOrEqual(120_000);
    // the recording ends (its publish ends too); a local user who copied the URL publishes with it
    for (const c of cleanups.splice(0).reverse()) await c();
    gatewayLog.length = 0;
    const replay = spawn(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=5', '-t', '12', '-c:v', 'libx264', '-f', 'flv', publishUrl], { stdio: 'ignore' });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => replay.kill('SIGKILL'), 11_000);
      replay.on('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    // refused by the gateway: the nonce was spent by the recording's own publish
    expect(gatewayLog).toContain('warn live publish refused: the publish URL was already used');
  }, 90_000);

  it('wrong credentials through the proxy are still reported as auth-failed', async () => {
    const { signals } = await recordWith(ffmpegBuilds()[0]!, 'cam-wrong', 'not-the-password', (s) => s.some((x) => x.type === 'disconnected'));
    expect(signals.find((x) => x.type === 'disconnected')).toMatchObject({ cause: 'auth-failed' });
  }, 60_000);

  it('speaks TLS to an rtsps: camera (self-signed, as ffmpeg would accept it) while ffmpeg talks plain RTSP to the proxy', async () => {
    // an rtsps: front for the simulator camera: TLS on the outside, the camera's RTSP inside
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=camera'], { stdio: 'ignore' });
    const inner = new URL(sim.camera('cam-digest').rtspUrl.main);
    const front = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (tls) => {
      const plain = connect(Number(inner.port), inner.hostname);
      tls.pipe(plain).pipe(tls);
      tls.on('error', () => plain.destroy());
      plain.on('error', () => tls.destroy());
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => front.close(() => resolve())));
    const tlsUrl = `rtsps://viewer:${PASSWORD}@127.0.0.1:${(front.address() as AddressInfo).port}${inner.pathname}`;
    const recorder = createRecorder({ root: dir, segmentSeconds: 1, ffmpegPath: ffmpegBuilds()[0]! });
    await recorder.start(makeContext());
    cleanups.push(() => recorder.stop());
    const signals: RecorderSignal[] = [];
    const sub = recorder.record(makeSpec('cam-tls'), makeSession(tlsUrl)).subscribe((s) => signals.push(s));
    cleanups.push(() => sub.unsubscribe());
    await waitFor(() => signals.some((s) => s.type === 'segment'), 30_000, 'a segment over rtsps');
    const line = cmdline(recorder.pids()[0]!);
    expect(line).toMatch(/-i rtsp:\/\/127\.0\.0\.1:\d+\//);
    expect(line).not.toContain(PASSWORD);
  }, 60_000);

  it('an unreachable camera behind the proxy is connection-refused, and the proxy only connects to its target', async () => {
    const proxy = await openRtspCredentialProxy({ target: new URL('rtsp://u:p@127.0.0.1:9/x'), logger: silentLogger, acceptTimeoutMs: 5000 });
    cleanups.push(() => proxy.close());
    const { port } = new URL(proxy.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(`OPTIONS ${proxy.url} RTSP/1.0\r\nCSeq: 1\r\n\r\n`));
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    await waitFor(() => proxy.failure() !== undefined, 5000, 'proxy failure');
    expect(proxy.failure()).toBe('connection-refused');
  }, 20_000);
});
