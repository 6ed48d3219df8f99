import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger, type CameraSession } from '@wardwatch/core';
import { detectCapabilities } from '../src/ffmpeg-capabilities.js';
import { resolveFfmpegPath } from '../src/ffmpeg-binaries.js';
import { grabSnapshot } from '../src/grab-snapshot.js';
import { createProcessRunner } from '../src/process-runner.js';

const runner = createProcessRunner();
afterAll(() => runner.dispose(1000));

function session(uri: string): CameraSession {
  return { streams: { main: { uri } }, snapshot: () => Promise.reject(new Error('no snapshot URI')) } as unknown as CameraSession;
}

async function snapshotOf(uri: string, timeoutMs = 15_000) {
  const ffmpegPath = resolveFfmpegPath();
  const capabilities = await detectCapabilities(ffmpegPath);
  return grabSnapshot({ session: session(uri), streamPolicy: { cameraHost: new URL(uri).hostname }, ffmpegPath, capabilities, runner, transport: 'tcp', socketTimeoutMs: 1000, logger: silentLogger, timeoutMs });
}

describe('snapshot failures are the camera’s, coded', () => {
  it('a refused connection is CAMERA_UNREACHABLE', async () => {
    // a port that was just free: nothing listens there
    const probe = createServer();
    const port = await new Promise<number>((r) => probe.listen(0, '127.0.0.1', () => r((probe.address() as { port: number }).port)));
    await new Promise((r) => probe.close(r));
    await expect(snapshotOf(`rtsp://127.0.0.1:${port}/none`)).rejects.toMatchObject({ code: 'CAMERA_UNREACHABLE' });
  });

  it('a camera that accepts but never answers is CAMERA_TIMEOUT', async () => {
    const silent: Server = createServer(() => undefined); // accepts, says nothing
    const port = await new Promise<number>((r) => silent.listen(0, '127.0.0.1', () => r((silent.address() as { port: number }).port)));
    try {
      await expect(snapshotOf(`rtsp://127.0.0.1:${port}/silent`, 3000)).rejects.toMatchObject({ code: 'CAMERA_TIMEOUT' });
    } finally {
      silent.close();
    }
  });
});
