/** What the station server needs of the recorder's live gateway (node-media-server relay). */
export interface LiveGatewayLike {
  /** The RTMP URL the recording process publishes a camera to. */
  publishUrl(cameraId: string): string | undefined;
  /** A signed, expiring play URL for a camera. */
  playUrl(cameraId: string, options?: { ttlMs?: number; protocol?: 'ws' | 'http' }): { url: string; expiresAt: number } | undefined;
  /** Stops the relay. */
  stop(): Promise<void>;
}
