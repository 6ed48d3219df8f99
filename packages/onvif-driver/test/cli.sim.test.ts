import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@wardwatch/simulator';
import { runOnvifCli } from '../src/index.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({
    discovery: { port: 0 },
    cameras: [{ id: 'cli-cam', name: 'Cổng trường', ptz: true, password: 'Secr3t:pw', main: { width: 320, height: 180, fps: 5, gop: 10 }, sub: { width: 160, height: 90, fps: 5, gop: 10 } }],
  });
}, 120_000);
afterAll(async () => {
  await sim?.stop();
});

async function run(args: string[]) {
  let out = '';
  let err = '';
  const code = await runOnvifCli(args, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('wardwatch-onvif CLI', () => {
  it('probe prints device, profiles, masked URIs, PTZ and events', async () => {
    const cam = sim.camera('cli-cam');
    const { code, out } = await run(['probe', `127.0.0.1:${cam.onvifPort}`, '-u', 'admin', '-p', 'Secr3t:pw']);
    expect(code).toBe(0);
    expect(out).toMatch(/Probe:\s+ok/);
    expect(out).toContain(`Main:       rtsp://admin:***@127.0.0.1:${cam.rtspPort}/Streaming/Channels/101`);
    expect(out).toMatch(/PTZ:\s+yes/);
    expect(out).toMatch(/Events:\s+pull-point/);
    expect(out).not.toContain('Secr3t');
  });

  it('probe --json gives machine-readable output without the password', async () => {
    const cam = sim.camera('cli-cam');
    const { code, out } = await run(['probe', `127.0.0.1:${cam.onvifPort}`, '-u', 'admin', '-p', 'Secr3t:pw', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.streams.sub.uri).toBe(`rtsp://admin:***@127.0.0.1:${cam.rtspPort}/Streaming/Channels/102`);
    expect(report.ptz).toBe(true);
    expect(report.profiles.length).toBeGreaterThanOrEqual(2);
    expect(out).not.toContain('Secr3t');
  });

  it('probe with a wrong password exits 1 with CAMERA_AUTH_FAILED', async () => {
    const cam = sim.camera('cli-cam');
    const { code, err } = await run(['probe', `127.0.0.1:${cam.onvifPort}`, '-u', 'admin', '-p', 'nope']);
    expect(code).toBe(1);
    expect(err).toMatch(/^CAMERA_AUTH_FAILED: /);
  });

  it('discover lists the simulator camera', async () => {
    const { code, out } = await run(['discover', '--address', '127.0.0.1', '--port', String(sim.discoveryPort), '--timeout', '1000', '--json']);
    expect(code).toBe(0);
    const cams = JSON.parse(out);
    expect(cams).toEqual([expect.objectContaining({ name: 'Cổng trường', port: sim.camera('cli-cam').onvifPort })]);
  });

  it('rejects bad usage with exit code 2', async () => {
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['probe'])).code).toBe(2);
    expect((await run(['discover', '--timeout', 'soon'])).code).toBe(2);
  });
});
