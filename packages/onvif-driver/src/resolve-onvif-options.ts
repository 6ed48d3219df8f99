import { silentLogger, systemClock, type Clock, type Logger } from '@wardwatch/core';
import { EVENT_TOPIC_TABLE, type TopicRule } from './event-topics.js';
import type { OnvifDriverOptions } from './onvif-driver-options.js';
import type { OnvifAuthScheme } from './soap-client.js';

/** {@link OnvifDriverOptions} with every default applied: the one place the driver's defaults live. */
export interface ResolvedOnvifOptions {
  id: string;
  clock: Clock;
  logger: Logger;
  auth: OnvifAuthScheme;
  timeoutMs: number;
  maxResponseBytes: number;
  maxSnapshotBytes: number;
  probeTimeoutMs: number;
  allowSelfSignedTls: boolean;
  allowBasicOverHttp: boolean;
  events: {
    enabled: boolean;
    pullTimeoutMs: number;
    terminationMs: number;
    retryMinMs: number;
    retryMaxMs: number;
    silentResubscribeMs: number;
    motionHoldMs: number;
  };
  topicTable: readonly TopicRule[];
}

/** Applies the documented defaults of {@link OnvifDriverOptions} once. */
export function resolveOnvifOptions(options: OnvifDriverOptions = {}): ResolvedOnvifOptions {
  const events = options.events ?? {};
  return {
    id: options.id ?? 'onvif',
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    auth: options.auth ?? 'auto',
    timeoutMs: options.timeoutMs ?? 5000,
    maxResponseBytes: options.maxResponseBytes ?? 2 * 1024 * 1024,
    maxSnapshotBytes: options.maxSnapshotBytes ?? 8 * 1024 * 1024,
    probeTimeoutMs: options.probeTimeoutMs ?? 3000,
    allowSelfSignedTls: options.allowSelfSignedTls ?? false,
    allowBasicOverHttp: options.allowBasicOverHttp ?? false,
    events: {
      enabled: events.enabled ?? true,
      pullTimeoutMs: events.pullTimeoutMs ?? 5000,
      terminationMs: events.terminationMs ?? 60_000,
      retryMinMs: events.retryMinMs ?? 1000,
      retryMaxMs: events.retryMaxMs ?? 15_000,
      silentResubscribeMs: events.silentResubscribeMs ?? 600_000,
      motionHoldMs: events.motionHoldMs ?? 20_000,
    },
    topicTable: options.topicTable ?? EVENT_TOPIC_TABLE,
  };
}
