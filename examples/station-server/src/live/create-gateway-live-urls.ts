import type { LiveGateway } from '@wardwatch/recorder';
import type { LiveUrlProvider } from './live-url-provider.js';

/** Options of {@link createGatewayLiveUrls}. */
export interface GatewayLiveUrlsOptions {
  /** Validity of a play URL, ms. @default 300000 */
  ttlMs?: number;
}

/** Signed, expiring WS-FLV play URLs from the recorder's live gateway (undefined while it is stopped). */
export function createGatewayLiveUrls(gateway: LiveGateway, options: GatewayLiveUrlsOptions = {}): LiveUrlProvider {
  const ttlSeconds = Math.max(10, Math.round((options.ttlMs ?? 300_000) / 1000));
  return {
    playUrl(cameraId) {
      if (!gateway.running) return undefined;
      const urls = gateway.playUrls(cameraId, ttlSeconds);
      return { url: urls.wsFlv, type: 'flv', expiresAt: urls.expiresAt };
    },
  };
}
