import { Observable } from 'rxjs';
import { WardwatchError, toWardwatchError, type Clock, type Logger } from '@wardwatch/core';
import { normaliseNotification, type RawNotification, type TopicRule } from './event-topics.js';
import { referenceParameterHeaders } from './reference-parameters.js';
import { rebaseServiceUrl } from './service-url.js';
import type { SoapClient } from './soap-client.js';
import { xmlEscape } from './ws-username-token.js';
import { asArray, attr, child, path, text, type XmlNode } from './xml-tree.js';
import type { DriverEvent } from '@wardwatch/core';

/** Timing of the pull-point loop. */
export interface PullPointTiming {
  /** PullMessages long-poll timeout, ms. @default 5000 */
  pullTimeoutMs: number;
  /** Requested subscription lifetime, ms; renewed at half of it. @default 60000 */
  terminationMs: number;
  /** First resubscribe delay after a failure, doubling up to `retryMaxMs`, ms. @default 1000 */
  retryMinMs: number;
  /** Largest resubscribe delay, ms. @default 15000 */
  retryMaxMs: number;
  /** Resubscribe when no notification at all arrived for this long, ms. @default 600000 */
  silentResubscribeMs: number;
}

/** What the pull-point loop needs from its session. */
export interface PullPointContext {
  soap: SoapClient;
  eventsUrl: string;
  deviceUrl: string;
  clock: Clock;
  logger: Logger;
  /** Camera clock minus station clock, ms. */
  clockOffsetMs: () => number;
  /** The per-call SOAP deadline, ms (added to the long-poll timeout). */
  callTimeoutMs: number;
  timing: PullPointTiming;
  table: readonly TopicRule[];
  /** Registers background work (unsubscribes) that `close()` waits for. */
  track: (work: Promise<void>) => void;
}

const WSA = 'http://www.w3.org/2005/08/addressing';

function envelope(to: string, action: string, body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="${WSA}">` +
    `<s:Header><a:Action s:mustUnderstand="1">${xmlEscape(action)}</a:Action><a:To s:mustUnderstand="1">${xmlEscape(to)}</a:To></s:Header>` +
    `<s:Body>${body}</s:Body></s:Envelope>`
  );
}

/** First pause after an instant empty or repeated pull, ms (doubles up to the pull timeout). */
const INSTANT_PULL_PAUSE_MS = 500;

/** The notifications of a pull, as a comparable text (topic, source, data and time of each). */
function pulledSignature(body: XmlNode): string {
  return JSON.stringify(child(body, 'PullMessagesResponse')?.NotificationMessage ?? null);
}

const isoDuration = (ms: number): string => `PT${Math.max(1, Math.round(ms / 1000))}S`;

function simpleItems(node: XmlNode | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of asArray<XmlNode>(node?.SimpleItem)) {
    const name = attr(item, 'Name');
    if (name !== undefined) out[name] = attr(item, 'Value') ?? '';
  }
  return out;
}

/** Extracts the notifications of a PullMessagesResponse body. */
export function parseNotifications(body: XmlNode, toStationTime: (cameraMs: number | undefined) => number): RawNotification[] {
  const response = child(body, 'PullMessagesResponse');
  return asArray<XmlNode>(response?.NotificationMessage).flatMap((message) => {
    const topic = text(message, 'Topic');
    const inner = path(message, 'Message', 'Message');
    if (!topic || !inner) return [];
    const utc = attr(inner, 'UtcTime');
    const parsed = utc ? Date.parse(utc) : NaN;
    return [
      {
        topic,
        data: simpleItems(child(inner, 'Data')),
        source: simpleItems(child(inner, 'Source')),
        at: toStationTime(Number.isFinite(parsed) ? parsed : undefined),
      },
    ];
  });
}

/**
 * Device events through an ONVIF pull-point subscription: created on subscribe, renewed before it
 * terminates, and re-created (with backoff) after a fault, a dropped connection, a reboot or a
 * silent period. Errors never end the stream; it completes only when unsubscribed.
 */
export function pullPointEvents(ctx: PullPointContext): Observable<DriverEvent> {
  return new Observable<DriverEvent>((subscriber) => {
    const abort = new AbortController();
    const { signal } = abort;
    const log = ctx.logger.child({ component: 'onvif-events' });
    const sleep = (ms: number): Promise<void> =>
      new Promise((resolve) => {
        const task = ctx.clock.schedule(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        const onAbort = (): void => {
          task.unsubscribe();
          resolve();
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
    const toStationTime = (cameraMs: number | undefined): number => {
      const now = ctx.clock.now();
      if (cameraMs === undefined) return now;
      const station = cameraMs - ctx.clockOffsetMs();
      return Math.abs(station - now) < 60_000 ? Math.round(station) : now;
    };

    const run = async (): Promise<void> => {
      let backoff = ctx.timing.retryMinMs;
      while (!signal.aborted) {
        let address: string | undefined;
        let referenceHeaders: string[] = [];
        try {
          const created = await ctx.soap.call(
            ctx.eventsUrl,
            envelope(
              ctx.eventsUrl,
              'http://www.onvif.org/ver10/events/wsdl/EventPortType/CreatePullPointSubscriptionRequest',
              `<CreatePullPointSubscription xmlns="http://www.onvif.org/ver10/events/wsdl"><InitialTerminationTime>${isoDuration(ctx.timing.terminationMs)}</InitialTerminationTime></CreatePullPointSubscription>`,
            ),
            'CreatePullPointSubscription',
            { signal, action: 'http://www.onvif.org/ver10/events/wsdl/EventPortType/CreatePullPointSubscriptionRequest' },
          );
          const reference = text(path(created.body, 'CreatePullPointSubscriptionResponse', 'SubscriptionReference'), 'Address');
          if (!reference) {
            throw new WardwatchError('CAMERA_PROTOCOL_ERROR', 'CreatePullPointSubscriptionResponse has no SubscriptionReference/Address', {
              details: { address: ctx.eventsUrl, operation: 'CreatePullPointSubscription' },
            });
          }
          // Repaired (a port written twice) and rebased to the address we reached; never the device URL instead.
          const subscription = rebaseServiceUrl(reference, ctx.deviceUrl);
          if (subscription === undefined) {
            throw new WardwatchError('CAMERA_PROTOCOL_ERROR', 'CreatePullPointSubscriptionResponse has an unreadable SubscriptionReference/Address', {
              details: { address: ctx.eventsUrl, operation: 'CreatePullPointSubscription' },
            });
          }
          address = subscription;
          // Devices that identify the pull point by reference parameters (Axis: SubscriptionId) need them echoed.
          const headers = referenceParameterHeaders(created.xml);
          referenceHeaders = headers;
          log.debug({ address: new URL(subscription).pathname, referenceParameters: headers.length }, 'pull-point subscription created');
          let pace = INSTANT_PULL_PAUSE_MS;
          let previous = '';
          let renewAt = ctx.clock.now() + ctx.timing.terminationMs / 2;
          let lastMessageAt = ctx.clock.now();
          while (!signal.aborted) {
            if (ctx.clock.now() >= renewAt) {
              await ctx.soap.call(
                subscription,
                envelope(
                  subscription,
                  'http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewRequest',
                  `<Renew xmlns="http://docs.oasis-open.org/wsn/b-2"><TerminationTime>${isoDuration(ctx.timing.terminationMs)}</TerminationTime></Renew>`,
                ),
                'Renew',
                { signal, headers, action: 'http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewRequest' },
              );
              renewAt = ctx.clock.now() + ctx.timing.terminationMs / 2;
            }
            const started = ctx.clock.now();
            const pulled = await ctx.soap.call(
              subscription,
              envelope(
                subscription,
                'http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/PullMessagesRequest',
                `<PullMessages xmlns="http://www.onvif.org/ver10/events/wsdl"><Timeout>${isoDuration(ctx.timing.pullTimeoutMs)}</Timeout><MessageLimit>64</MessageLimit></PullMessages>`,
              ),
              'PullMessages',
              {
                signal,
                headers,
                timeoutMs: ctx.timing.pullTimeoutMs + ctx.callTimeoutMs,
                action: 'http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/PullMessagesRequest',
              },
            );
            // Only a working pull proves the subscription healthy: reset the backoff here, not after Create.
            backoff = ctx.timing.retryMinMs;
            const notifications = parseNotifications(pulled.body, toStationTime);
            if (notifications.length > 0) lastMessageAt = ctx.clock.now();
            for (const notification of notifications) {
              const event = normaliseNotification(notification, ctx.table);
              if (event) subscriber.next(event);
            }
            if (ctx.clock.now() - lastMessageAt > ctx.timing.silentResubscribeMs) {
              throw new WardwatchError('CAMERA_TIMEOUT', `No event for ${ctx.timing.silentResubscribeMs} ms; resubscribing`, {
                details: { address: ctx.eventsUrl, operation: 'PullMessages' },
              });
            }
            // A camera that answers at once (ignoring the long-poll timeout) with nothing, or with the same
            // messages again, must not make us spin: pause, doubling up to the pull timeout.
            const signature = pulledSignature(pulled.body);
            const instant = ctx.clock.now() - started < Math.min(1000, ctx.timing.pullTimeoutMs / 2);
            const repeated = notifications.length > 0 && signature === previous;
            previous = signature;
            if (instant && (notifications.length === 0 || repeated)) {
              // Never past the renewal time: the pause must not let the subscription lapse.
              await sleep(Math.max(0, Math.min(pace, renewAt - ctx.clock.now())));
              pace = Math.min(pace * 2, ctx.timing.pullTimeoutMs);
            } else pace = INSTANT_PULL_PAUSE_MS;
          }
        } catch (error) {
          if (signal.aborted) break;
          const coded = toWardwatchError(error, 'CAMERA_PROTOCOL_ERROR', { address: ctx.eventsUrl, operation: 'events' });
          log.warn({ code: coded.code, operation: coded.details.operation, retryInMs: backoff }, `event subscription lost: ${coded.message}`);
          await sleep(backoff);
          backoff = Math.min(backoff * 2, ctx.timing.retryMaxMs);
        } finally {
          // Release the old pull point (cameras allow only a few) on close and before resubscribing.
          if (address !== undefined) {
            const target = address;
            const headers = referenceHeaders;
            ctx.track(
              ctx.soap
                .call(
                  target,
                  envelope(target, 'http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeRequest', '<Unsubscribe xmlns="http://docs.oasis-open.org/wsn/b-2"/>'),
                  'Unsubscribe',
                  { timeoutMs: 2000, headers, action: 'http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeRequest' },
                )
                .then(
                  () => undefined,
                  (error: unknown) => log.debug({ code: toWardwatchError(error).code }, 'unsubscribe failed (the pull point may be gone already)'),
                ),
            );
          }
        }
      }
    };
    run().then(
      () => subscriber.complete(),
      (error: unknown) => subscriber.error(toWardwatchError(error)),
    );
    return () => abort.abort();
  });
}
