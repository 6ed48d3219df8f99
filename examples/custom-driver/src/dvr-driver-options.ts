import type { Logger } from '@wardwatch/core';

/** Options of {@link createRtspDvrDriver}. */
export interface DvrDriverOptions {
  /** Driver id that camera specs name in `driver`. @default 'rtsp-dvr' */
  id?: string;
  /** Deadline of each RTSP OPTIONS / HTTP snapshot request, ms. @default 3000 */
  timeoutMs?: number;
  /** pino-compatible logger. @default silentLogger */
  logger?: Logger;
}

/**
 * What a camera spec may put in `connection.options` for this driver (all optional):
 * `brand` (`hikvision` | `dahua`, default `hikvision`), `channel` (default 1),
 * `httpPort` (snapshot port, default 80), and `mainPath` / `subPath` / `snapshotPath` overrides.
 * `connection.port` is the RTSP port (default 554).
 */
export interface DvrConnectionOptions {
  brand: 'hikvision' | 'dahua';
  channel: number;
  httpPort: number;
  mainPath?: string;
  subPath?: string;
  snapshotPath?: string;
}
