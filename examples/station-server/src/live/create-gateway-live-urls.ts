import type { LiveGateway } from '@wardwatch/recorder';
import type { LiveUrlProvider } from './live-url-provider.js';

/** Options of {@link createGatewayLiveUrls}. */
export interface GatewayLiveUrlsOptions {
  /** How long a play URL may be used to start playing, ms (an open view lasts while its session keeps the right). @default 60000 */
  ttlMs?: number;
  /**
   * The relay's public base URL when a TLS proxy sits in front of it, e.g. `wss://station.example/live`: play URLs
   * then use it instead of `ws://<host>:<port>` (browsers refuse `ws:` from an `https:` page). @default the relay's own address
   */
  publicUrl?: string;
}

/** Signed, short-lived WS-FLV play URLs from the recorder's live gateway (undefined while it is stopped). */
export function createGatewayLiveUrls(gateway: LiveGateway, options: GatewayLiveUrlsOptions = {}): LiveUrlProvider {
  const ttlSeconds = Math.max(10, Math.round((options.ttlMs ?? 60_000) / 1000));
  const base = options.publicUrl?.replace(/\/+$/, '');
  return {
    playUrl(cameraId, { grant }) {
      if (!gateway.running) return undefined;
      const urls = gateway.playUrls(cameraId, ttlSeconds, { g: grant });
      const own = new URL(urls.wsFlv);
      return { url: base ? `${base}${own.pathname}${own.search}` : urls.wsFlv, type: 'flv', expiresAt: urls.expiresAt };
    },
    setPlayPolicy: (policy) => gateway.setPlayPolicy(policy),
    dropViewers: (match) => gateway.dropViewers(match),
  };
}
