import type { Clock, Logger } from '@wardwatch/core';
import type { TopicRule } from './event-topics.js';
import type { OnvifAuthScheme } from './soap-client.js';

/** Options of {@link createOnvifDriver}. */
export interface OnvifDriverOptions {
  /** Driver id that camera specs name in `driver`. @default 'onvif' */
  id?: string;
  /** Injected time source. @default systemClock */
  clock?: Clock;
  /** pino-compatible logger; credentials never reach it. @default silentLogger */
  logger?: Logger;
  /** Authentication scheme when the spec's `connection.options.auth` does not name one. @default 'auto' */
  auth?: OnvifAuthScheme;
  /** Deadline of each SOAP call, ms. @default 5000 */
  timeoutMs?: number;
  /** Largest accepted SOAP response, bytes. @default 2097152 (2 MiB) */
  maxResponseBytes?: number;
  /** Largest accepted snapshot, bytes. @default 8388608 (8 MiB) */
  maxSnapshotBytes?: number;
  /** Deadline of a health probe, ms. @default 3000 */
  probeTimeoutMs?: number;
  /**
   * Accept self-signed TLS certificates of `https:` cameras (most ship one). Per camera:
   * `connection.options.allowSelfSignedTls`. @default false
   */
  allowSelfSignedTls?: boolean;
  /** Answer an HTTP Basic challenge over plain `http:` (sends the password in clear). @default false */
  allowBasicOverHttp?: boolean;
  /** Event subscription settings. */
  events?: {
    /** Subscribe to device events at all. @default true */
    enabled?: boolean;
    /** PullMessages long-poll timeout, ms. @default 5000 */
    pullTimeoutMs?: number;
    /** Requested subscription lifetime, ms (renewed at half). @default 60000 */
    terminationMs?: number;
    /** First resubscribe delay after a failure, ms. @default 1000 */
    retryMinMs?: number;
    /** Largest resubscribe delay, ms. @default 15000 */
    retryMaxMs?: number;
    /** Resubscribe after this long without any notification, ms. @default 600000 */
    silentResubscribeMs?: number;
    /** Synthesise motion `end` this long after the last motion `start`, ms. @default 20000 */
    motionHoldMs?: number;
  };
  /** Topic normalisation table. @default EVENT_TOPIC_TABLE */
  topicTable?: readonly TopicRule[];
}
