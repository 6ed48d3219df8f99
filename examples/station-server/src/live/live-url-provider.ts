/** A live-view URL handed to the browser: signed by the relay and valid until `expiresAt` to start playing. */
export interface LivePlayUrl {
  /** WS-FLV (or HTTP-FLV) URL the browser opens with mpegts.js. */
  url: string;
  /** `flv` for mpegts.js. */
  type: 'flv';
  /** UTC ms after which the relay refuses to start playing the URL. */
  expiresAt: number;
}

/** One open viewer of the relay: the stream and the query of the URL it opened. */
export interface LiveViewerInfo {
  streamPath: string;
  query: Readonly<Record<string, unknown>>;
}

/** Gives signed, expiring live URLs per camera and lets the server cut viewers that lost their right. */
export interface LiveUrlProvider {
  /** A play URL for a camera carrying `grant` (checked by the play policy), or `undefined` when the relay has no stream. */
  playUrl(cameraId: string, options: { grant: string }): LivePlayUrl | undefined | Promise<LivePlayUrl | undefined>;
  /** The check every play must pass (the viewer's grant is still valid), or none. */
  setPlayPolicy(policy: ((viewer: LiveViewerInfo) => boolean) | undefined): void;
  /** Cuts open viewers matching `match`; the number cut. */
  dropViewers(match: (viewer: LiveViewerInfo) => boolean): number;
}
