import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { parseCameraSpec, type CameraSpec } from '@wardwatch/core';
import type { SimCamera } from '@wardwatch/simulator';

/** A camera spec for a simulator camera (ONVIF driver). */
export function simSpec(cam: SimCamera, options: Record<string, unknown> = {}, overrides: { username?: string; password?: string } = {}): CameraSpec {
  return parseCameraSpec({
    id: cam.id,
    name: cam.name,
    site: { ward: 'Phường 1', station: 'CA Phường 1' },
    location: { lat: 21.03, lon: 105.85 },
    ownership: 'station',
    driver: 'onvif',
    connection: {
      host: cam.host,
      port: cam.onvifPort,
      username: overrides.username ?? cam.username,
      password: overrides.password ?? cam.password,
      options,
    },
  });
}

/** A local TCP port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Pulls one video frame from `uri` with ffmpeg (RTSP over TCP); resolves with the exit code and stderr tail. */
export function ffmpegGrabFrame(ffmpeg: string, uri: string, timeoutMs = 20_000): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', uri, '-frames:v', '1', '-f', 'null', '-'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** Waits until `predicate` holds, polling every 50 ms, at most `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
