import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Subscription } from 'rxjs';
import type { Simulator } from '@wardwatch/simulator';
import type { RecorderSignal } from '@wardwatch/core';
import { spawn } from 'node:child_process';
import { createLiveGateway, createRecorder, liveStreamName, resolveFfmpegPath, type LiveGateway, type WardwatchRecorder } from '../src/index.js';
import { makeContext, makeSession, makeSpec, tempDir, waitFor } from './helpers.js';
import { startLightSimulator } from './sim-cameras.js';

/** Connects a WS-FLV client; collects the bytes it receives until `ms` elapsed or the socket closed. */
function collect(url: string, ms: number): Promise<{ bytes: Buffer; closedEarly: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const ws = new WebSocket(url);
    let closedEarly = false;
    const timer = setTimeout(() => ws.close(), ms);
    ws.on('message', (data: Buffer) => chunks.push(Buffer.from(data)));
    ws.on('close', () => {
      clearTimeout(timer);
      resolve({ bytes: Buffer.concat(chunks), closedEarly });
    });
    ws.on('error', () => {
      closedEarly = true;
    });
    ws.on('unexpected-response', () => {
      closedEarly = true;
    });
  });
}

/** Counts FLV video tags (type 9) after the 9-byte header + first previous-tag-size. */
function videoTags(flv: Buffer): number {
  if (flv.length < 13 || flv.subarray(0, 3).toString() !== 'FLV') return 0;
  let offset = 13;
  let count = 0;
  while (offset + 11 <= flv.length) {
    const type = flv[offset]! & 0x1f;
    const size = flv.readUIntBE(offset + 1, 3);
    if (type === 9) count++;
    offset += 11 + size + 4;
  }
  return count;
}

describe('live gateway', () => {
  let sim: Simulator;
  let gateway: LiveGateway;
  let recorder: WardwatchRecorder;
  let sub: Subscription;
  const log: Array<{ at: number; signal: RecorderSignal }> = [];
  const { dir, cleanup } = tempDir();

  beforeAll(async () => {
    sim = await startLightSimulator(['cam.live']);
    gateway = createLiveGateway({ secret: 'test-secret-of-32-bytes-at-least' });
    await gateway.start();
    recorder = createRecorder({ root: dir, segmentSeconds: 2, live: gateway });
    await recorder.start(makeContext());
    const cam = sim.camera('cam.live');
    sub = recorder.record(makeSpec('cam.live'), makeSession(cam.rtspUrl.main)).subscribe((signal) => log.push({ at: Date.now(), signal }));
    await waitFor(() => log.some((t) => t.signal.type === 'connected'), 20_000, 'connected');
  }, 60_000);

  afterAll(async () => {
    sub?.unsubscribe();
    await recorder?.stop();
    await gateway?.stop();
    await sim?.stop();
    cleanup();
  }, 60_000);

  it('maps camera ids to safe, distinct stream names', () => {
    expect(liveStreamName('cam.live')).toBe('cam_2elive');
    expect(liveStreamName('cam_live')).not.toBe(liveStreamName('cam.live'));
  });

  it('serves live video over signed WS-FLV while recording', async () => {
    const urls = gateway.playUrls('cam.live', 60);
    expect(urls.wsFlv).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/live\/cam_2elive\.flv\?exp=\d+&sig=/);
    const { bytes } = await collect(urls.wsFlv, 3000);
    expect(bytes.subarray(0, 3).toString()).toBe('FLV');
    expect(videoTags(bytes)).toBeGreaterThanOrEqual(10);
  });

  it('serves the same stream over signed HTTP-FLV', async () => {
    const controller = new AbortController();
    const response = await fetch(gateway.playUrls('cam.live', 60).httpFlv, { signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const chunks: Buffer[] = [];
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && Buffer.concat(chunks).length < 20_000) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
    }
    controller.abort();
    const flv = Buffer.concat(chunks);
    expect(flv.subarray(0, 3).toString()).toBe('FLV');
    expect(videoTags(flv)).toBeGreaterThanOrEqual(1);
  });

  it('refuses forged and expired play signatures', async () => {
    const good = new URL(gateway.playUrls('cam.live', 60).wsFlv);
    const forged = new URL(good);
    forged.searchParams.set('sig', 'x'.repeat(43));
    const forgedResult = await collect(forged.toString(), 2000);
    expect(videoTags(forgedResult.bytes)).toBe(0);
    const expired = gateway.playUrls('cam.live', -10);
    expect(gateway.verifyPlay('/live/cam_2elive', Object.fromEntries(new URL(expired.wsFlv).searchParams))).toBe(false);
    expect(gateway.verifyPlay('/live/cam_2elive', Object.fromEntries(good.searchParams))).toBe(true);
    expect(gateway.verifyPlay('/live/other', Object.fromEntries(good.searchParams))).toBe(false);
  });

  it('cuts off a publisher without a valid signature: viewers of its stream get no video', async () => {
    const rtmpBase = new URL(gateway.publishUrl('cam.live')!);
    const intruder = spawn(resolveFfmpegPath(), ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=10', '-t', '8', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-f', 'flv', `rtmp://127.0.0.1:${rtmpBase.port}/live/intruder`], { stdio: 'ignore' });
    const exited = new Promise<number | null>((r) => intruder.once('exit', (code) => r(code)));
    try {
      await new Promise((r) => setTimeout(r, 1500));
      const { bytes } = await collect(gateway.playUrls('intruder', 60).wsFlv, 2500);
      expect(videoTags(bytes)).toBe(0);
      // its connection was destroyed: the publisher fails long before its 8 s of video
      const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running'), 5000))]);
      expect(code).not.toBe('still running');
      expect(code).not.toBe(0);
    } finally {
      intruder.kill('SIGKILL');
    }
  });

  it('refuses a guessable secret', () => {
    expect(() => createLiveGateway({ secret: 'short' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });

  it('stopping the gateway does not interrupt recording', async () => {
    const stoppedAt = Date.now();
    await gateway.stop();
    expect(gateway.running).toBe(false);
    await waitFor(() => log.filter((t) => t.signal.type === 'segment' && t.at > stoppedAt).length >= 3, 20_000, 'segments after the gateway stopped');
    expect(log.filter((t) => t.signal.type === 'disconnected' || t.signal.type === 'gap')).toEqual([]);
    const progressAfter = log.filter((t) => t.signal.type === 'progress' && t.at > stoppedAt);
    for (let i = 1; i < progressAfter.length; i++) expect(progressAfter[i]!.at - progressAfter[i - 1]!.at).toBeLessThan(1600);
  });
});
