import type { LiveGatewayLike as LiveGateway } from './live-gateway-like.js';
import type { LiveUrlProvider } from './live-url-provider.js';

/** Options of {@link createGatewayLiveUrls}. */
export interface GatewayLiveUrlsOptions {
  /** Validity of a play URL, ms. @default 300000 */
  ttlMs?: number;
  /** Host name browsers reach the relay at, replacing the gateway's bind host. */
  publicHost?: string;
}

/** Signed, expiring WS-FLV play URLs from the recorder's live gateway. */
export function createGatewayLiveUrls(gateway: LiveGateway, options: GatewayLiveUrlsOptions = {}): LiveUrlProvider {
  const ttlMs = options.ttlMs ?? 300_000;
  return {
    playUrl(cameraId) {
      const signed = gateway.playUrl(cameraId, { ttlMs, protocol: 'ws' });
      if (!signed) return undefined;
      const url = new URL(signed.url);
      if (options.publicHost) url.hostname = options.publicHost;
      return { url: url.toString(), type: 'flv', expiresAt: signed.expiresAt };
    },
  };
}
