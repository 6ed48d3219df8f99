import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { WardwatchError, silentLogger, type DriverEvent } from '@wardwatch/core';
import { EVENT_TOPIC_TABLE } from '../src/event-topics.js';
import { pullPointEvents, type PullPointContext } from '../src/pull-point-events.js';
import type { SoapClient, SoapResult } from '../src/soap-client.js';
import { parseXml, path, type XmlNode } from '../src/xml-tree.js';

const body = (inner: string): SoapResult => {
  const xml = `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:tev="http://www.onvif.org/ver10/events/wsdl" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:tt="http://www.onvif.org/ver10/schema"><env:Body>${inner}</env:Body></env:Envelope>`;
  return { xml, body: path(parseXml(xml), 'Envelope', 'Body') as XmlNode };
};

const created = (n: number) =>
  body(`<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa:Address>http://192.168.1.64/onvif/subscription/${n}</wsa:Address></tev:SubscriptionReference></tev:CreatePullPointSubscriptionResponse>`);
const pulled = (messages: string) => body(`<tev:PullMessagesResponse>${messages}</tev:PullMessagesResponse>`);
const motion = (utc: string, state: boolean) =>
  `<wsnt:NotificationMessage><wsnt:Topic Dialect="x">tns1:VideoSource/MotionAlarm</wsnt:Topic><wsnt:Message><tt:Message UtcTime="${utc}" PropertyOperation="Changed"><tt:Source><tt:SimpleItem Name="Source" Value="VideoSource_1"/></tt:Source><tt:Data><tt:SimpleItem Name="State" Value="${state}"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`;

/** A pull-point context for a scripted camera on virtual time (settings overridable). */
function loopContext(soap: SoapClient, scheduler: VirtualTimeScheduler, overrides: Partial<PullPointContext> = {}): PullPointContext {
  return {
    soap,
    eventsUrl: 'http://127.0.0.1:8080/onvif/events',
    deviceUrl: 'http://127.0.0.1:8080/onvif/device_service',
    clock: scheduler,
    logger: silentLogger,
    clockOffsetMs: () => 0,
    callTimeoutMs: 1000,
    table: EVENT_TOPIC_TABLE,
    track: () => undefined,
    timing: { pullTimeoutMs: 5000, terminationMs: 60_000, retryMinMs: 1000, retryMaxMs: 15_000, silentResubscribeMs: 600_000 },
    ...overrides,
  };
}

describe('pullPointEvents loop (virtual time, scripted camera)', () => {
  it('backs off after failures, resubscribes, releases old pull points, renews at half-life and maps notifications', async () => {
    const scheduler = new VirtualTimeScheduler();
    const calls: { operation: string; url: string; at: number }[] = [];
    let pulls = 0;
    const soap = {
      async call(url: string, _envelope: string, operation: string): Promise<SoapResult> {
        calls.push({ operation, url, at: scheduler.now() });
        switch (operation) {
          case 'CreatePullPointSubscription':
            return created(calls.filter((c) => c.operation === operation).length);
          case 'PullMessages':
            pulls += 1;
            if (pulls <= 2) throw new WardwatchError('CAMERA_UNREACHABLE', 'connection refused', { details: { address: url, operation } });
            if (pulls === 3) return pulled(motion(new Date(scheduler.now() + 2000).toISOString(), true));
            return pulled('');
          default:
            return body(`<wsnt:${operation}Response/>`);
        }
      },
    } as unknown as SoapClient;
    const work: Promise<void>[] = [];
    const events: DriverEvent[] = [];
    const subscription = pullPointEvents(loopContext(soap, scheduler, { clockOffsetMs: () => 2000, track: (p) => work.push(p) })).subscribe((e) => events.push(e));

    for (let step = 0; step < 200 && !calls.some((c) => c.operation === 'Renew'); step++) {
      await new Promise((r) => setImmediate(r));
      scheduler.flush();
    }
    subscription.unsubscribe();
    await new Promise((r) => setImmediate(r));
    await Promise.all(work);

    const creates = calls.filter((c) => c.operation === 'CreatePullPointSubscription');
    // retry delays: 1000 then 2000 (doubling)
    expect(creates.map((c) => c.at)).toEqual([0, 1000, 3000]);
    // the subscription address is rebased from the camera's LAN address to the one we reached
    expect(calls.find((c) => c.operation === 'PullMessages')!.url).toBe('http://127.0.0.1:8080/onvif/subscription/1');
    // each failed pull point is released before the next is created, and the last one on unsubscribe
    expect(calls.filter((c) => c.operation === 'Unsubscribe').map((c) => c.url)).toEqual([
      'http://127.0.0.1:8080/onvif/subscription/1',
      'http://127.0.0.1:8080/onvif/subscription/2',
      'http://127.0.0.1:8080/onvif/subscription/3',
    ]);
    const renew = calls.find((c) => c.operation === 'Renew')!;
    expect(renew.url).toBe('http://127.0.0.1:8080/onvif/subscription/3');
    expect(renew.at).toBeGreaterThanOrEqual(3000 + 30_000);
    expect(renew.at).toBeLessThan(3000 + 31_000);
    // camera UtcTime (2 s ahead) corrected by the 2 s clock offset
    expect(events).toEqual([{ type: 'motion', phase: 'start', at: 3000, topic: 'tns1:VideoSource/MotionAlarm', source: 'VideoSource_1' }]);
  });
});

describe('pullPointEvents pacing (virtual time)', () => {
  async function pullsIn(windowMs: number, answer: (n: number) => SoapResult): Promise<number[]> {
    const scheduler = new VirtualTimeScheduler(undefined, windowMs);
    const pulls: number[] = [];
    const soap = {
      async call(_url: string, _envelope: string, operation: string): Promise<SoapResult> {
        if (operation === 'CreatePullPointSubscription') return created(1);
        if (operation !== 'PullMessages') return body(`<wsnt:${operation}Response/>`);
        pulls.push(scheduler.now());
        // Answers at once, ignoring the long-poll timeout.
        return answer(pulls.length);
      },
    } as unknown as SoapClient;
    const subscription = pullPointEvents(
      loopContext(soap, scheduler, { timing: { pullTimeoutMs: 5000, terminationMs: 600_000, retryMinMs: 1000, retryMaxMs: 15_000, silentResubscribeMs: 6_000_000 } }),
    ).subscribe();
    for (let step = 0; step < 500 && scheduler.now() < windowMs; step++) {
      await new Promise((r) => setImmediate(r));
      scheduler.flush();
    }
    subscription.unsubscribe();
    return pulls.filter((t) => t < windowMs);
  }

  it('backs off when every pull returns at once and empty: 7 pulls in 20 s, not 40 (issue 25.14)', async () => {
    const pulls = await pullsIn(20_000, () => pulled(''));
    // pauses 0.5, 1, 2, 4, then 5 s (the pull timeout) each
    expect(pulls).toEqual([0, 500, 1500, 3500, 7500, 12_500, 17_500]);
  });

  it('backs off on the same messages answered again and again, and resets on new content', async () => {
    const same = pulled(motion('2026-01-01T00:00:00Z', true));
    const pulls = await pullsIn(8000, (n) => (n === 4 ? pulled(motion('2026-01-01T00:00:05Z', false)) : same));
    // 1st answer is new (no pause); the 2nd and 3rd repeat it (pause 0.5 s, then 1 s); the 4th is new (no pause,
    // pace reset); the 5th differs from the 4th (no pause); the 6th repeats the 5th (0.5 s) …
    expect(pulls.slice(0, 6)).toEqual([0, 0, 500, 1500, 1500, 1500]);
    expect(pulls.length).toBeLessThan(12);
  });
});
