import type { LiveGateway } from '@wardwatch/recorder';
import { describe, expect, it } from 'vitest';
import { createGatewayLiveUrls } from '../src/live/create-gateway-live-urls.js';

/** A stand-in gateway recording what it was asked for. */
function fakeGateway(): LiveGateway & { asked: Array<{ cameraId: string; ttl?: number; extra?: Readonly<Record<string, string>> }> } {
  const asked: Array<{ cameraId: string; ttl?: number; extra?: Readonly<Record<string, string>> }> = [];
  return {
    asked,
    running: true,
    start: async () => ({ rtmpPort: 1, httpPort: 8000 }),
    stop: async () => undefined,
    publishUrl: () => undefined,
    playUrls(cameraId, ttl, extra) {
      asked.push({ cameraId, ...(ttl === undefined ? {} : { ttl }), ...(extra ? { extra } : {}) });
      return { wsFlv: `ws://127.0.0.1:8000/live/${cameraId}.flv?exp=1&sig=s&g=${extra?.['g']}`, httpFlv: '', expiresAt: 1000 };
    },
    verifyPlay: () => true,
    setPlayPolicy: () => undefined,
    dropViewers: () => 0,
  };
}

describe('gateway live URLs (issue 24, items 8 and 12)', () => {
  it('asks for short-lived URLs carrying the grant', () => {
    const gateway = fakeGateway();
    const url = createGatewayLiveUrls(gateway).playUrl('cam-a', { grant: 'G1' });
    expect(gateway.asked).toEqual([{ cameraId: 'cam-a', ttl: 60, extra: { g: 'G1' } }]);
    expect(url).toMatchObject({ url: 'ws://127.0.0.1:8000/live/cam-a.flv?exp=1&sig=s&g=G1', type: 'flv' });
  });

  it('hands out wss: URLs of the public relay address behind a TLS proxy', () => {
    const url = createGatewayLiveUrls(fakeGateway(), { publicUrl: 'wss://station.example/relay/' }).playUrl('cam-a', { grant: 'G1' });
    expect(url).toMatchObject({ url: 'wss://station.example/relay/live/cam-a.flv?exp=1&sig=s&g=G1' });
  });
});
