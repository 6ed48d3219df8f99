import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/index.js';
import { BUNDLED_FFPROBE, FFMPEG_BUILDS, TINY, alive, grabGrayFrames, run, withCredentials } from './helpers.js';

describe.each(FFMPEG_BUILDS)('RTSP server with %s ffmpeg', (_label, ffmpeg) => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({
      ffmpegPath: ffmpeg,
      cameras: [
        { id: 'digest-cam', name: 'Cổng chợ', ...TINY },
        { id: 'basic-cam', rtspAuth: 'basic', username: 'op', password: 'p@ss:w/rd', ...TINY },
      ],
    });
  });
  afterAll(async () => {
    const pids = sim.encoderPids();
    await sim.stop();
    expect(pids.length).toBe(4);
    expect(pids.filter(alive)).toEqual([]);
  });

  it('serves the main stream over TCP interleaved with Digest auth (ffprobe sees H.264 at the configured size)', async () => {
    const cam = sim.camera('digest-cam');
    const r = await run(BUNDLED_FFPROBE, ['-v', 'error', '-rtsp_transport', 'tcp', '-show_entries', 'stream=codec_name,width,height,avg_frame_rate', '-of', 'json', withCredentials(cam.rtspUrl.main, 'admin', 'admin123')]);
    expect(r.code, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout.toString()) as { streams: Array<{ codec_name: string; width: number; height: number }> };
    expect(info.streams[0]).toMatchObject({ codec_name: 'h264', width: 320, height: 180 });
  });

  it('serves the sub stream over UDP and the decoder gets real pictures', async () => {
    const cam = sim.camera('digest-cam');
    const frames = await grabGrayFrames(ffmpeg, withCredentials(cam.rtspUrl.sub, 'admin', 'admin123'), 'udp', 160, 90, 6);
    expect(frames.length).toBe(6);
    // Colour bars: far from uniform.
    const f = frames[5]!;
    expect(Math.max(...f) - Math.min(...f)).toBeGreaterThan(100);
  });

  it('accepts Basic auth and rejects wrong credentials with 401', async () => {
    const cam = sim.camera('basic-cam');
    const ok = await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', withCredentials(cam.rtspUrl.main, 'op', 'p@ss:w/rd'), '-frames:v', '2', '-f', 'null', '-']);
    expect(ok.code, ok.stderr).toBe(0);
    const bad = await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', withCredentials(cam.rtspUrl.main, 'op', 'nope'), '-frames:v', '1', '-f', 'null', '-']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/401/);
    const none = await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', cam.rtspUrl.main, '-frames:v', '1', '-f', 'null', '-']);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/401/);
  });

  it('serves several clients of one stream at once, over TCP and UDP', async () => {
    const cam = sim.camera('digest-cam');
    const url = withCredentials(cam.rtspUrl.main, 'admin', 'admin123');
    const results = await Promise.all([
      grabGrayFrames(ffmpeg, url, 'tcp', 320, 180, 8),
      grabGrayFrames(ffmpeg, url, 'udp', 320, 180, 8),
      grabGrayFrames(ffmpeg, url, 'tcp', 320, 180, 8),
    ]);
    expect(results.map((r) => r.length)).toEqual([8, 8, 8]);
  });

  it('answers 404 for an unknown path', async () => {
    const cam = sim.camera('digest-cam');
    const url = withCredentials(`rtsp://${cam.host}:${cam.rtspPort}/Streaming/Channels/999`, 'admin', 'admin123');
    const r = await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', url, '-frames:v', '1', '-f', 'null', '-']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/404/);
  });
});
