/** A live-view URL handed to the browser: signed by the relay and valid until `expiresAt`. */
export interface LivePlayUrl {
  /** WS-FLV (or HTTP-FLV) URL the browser opens with mpegts.js. */
  url: string;
  /** `flv` for mpegts.js. */
  type: 'flv';
  /** UTC ms after which the relay refuses the URL. */
  expiresAt: number;
}

/** Gives signed, expiring live URLs per camera (implemented over the recorder's live gateway). */
export interface LiveUrlProvider {
  /** A play URL for a camera; `undefined` when the relay has no stream for it. */
  playUrl(cameraId: string, options?: { ttlMs?: number }): LivePlayUrl | undefined | Promise<LivePlayUrl | undefined>;
}
