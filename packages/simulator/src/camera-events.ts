import { randomUUID } from 'node:crypto';

/** One ONVIF notification message. */
export interface CameraEventMessage {
  /** Topic, e.g. `tns1:VideoSource/MotionAlarm`. */
  topic: string;
  /** Camera-clock time of the event. */
  time: Date;
  /** `Initialized` (state at subscription), `Changed` or `Deleted`. */
  operation: 'Initialized' | 'Changed' | 'Deleted';
  /** Source simple items, e.g. `{ Source: 'VideoSource_1' }`. */
  source: Record<string, string>;
  /** Data simple items, e.g. `{ State: 'true' }`. */
  data: Record<string, string>;
}

/** A pull-point subscription: queued messages, waiting pullers and a termination time. */
export class PullPointSubscription {
  readonly id = randomUUID();
  private readonly queue: CameraEventMessage[] = [];
  private waiter: { limit: number; resolve: (m: CameraEventMessage[]) => void; timer: NodeJS.Timeout } | undefined;

  constructor(public terminationTime: number) {}

  /** Queues a message (bounded: the oldest are dropped beyond 1000) and wakes a waiting pull. */
  push(message: CameraEventMessage): void {
    this.queue.push(message);
    if (this.queue.length > 1000) this.queue.shift();
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      clearTimeout(w.timer);
      // Give messages raised together a moment to arrive in the same answer.
      setTimeout(() => w.resolve(this.take(w.limit)), 20);
    }
  }

  /** Returns up to `limit` messages, waiting up to `timeoutMs` when none is queued. */
  pull(limit: number, timeoutMs: number): Promise<CameraEventMessage[]> {
    if (this.queue.length > 0 || timeoutMs <= 0) return Promise.resolve(this.take(limit));
    this.cancel();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(this.take(limit));
      }, timeoutMs);
      this.waiter = { limit, resolve, timer };
    });
  }

  /** Answers a waiting pull with nothing (on unsubscribe or shutdown). */
  cancel(): void {
    if (!this.waiter) return;
    const w = this.waiter;
    this.waiter = undefined;
    clearTimeout(w.timer);
    w.resolve([]);
  }

  private take(limit: number): CameraEventMessage[] {
    return this.queue.splice(0, Math.max(1, limit));
  }
}

/** The event source of a camera: current property states and its pull-point subscriptions. */
export class CameraEvents {
  private readonly states = new Map<string, CameraEventMessage>();
  /** Live subscriptions by id. */
  readonly subscriptions = new Map<string, PullPointSubscription>();

  constructor(private readonly now: () => number) {
    const t = new Date(now());
    for (const topic of ['tns1:VideoSource/MotionAlarm', 'tns1:RuleEngine/CellMotionDetector/Motion', 'tns1:RuleEngine/TamperDetector/Tamper', 'tns1:VideoSource/GlobalSceneChange/ImagingService', 'tns1:VideoSource/ImageTooDark/ImagingService', 'tns1:VideoSource/ImageTooBlurry/ImagingService']) {
      this.states.set(topic, { topic, time: t, operation: 'Initialized', source: sourceFor(topic), data: dataFor(topic, false) });
    }
  }

  /** Creates a subscription that first receives the current states (`Initialized`). */
  subscribe(terminationTime: number): PullPointSubscription {
    this.expire();
    const sub = new PullPointSubscription(terminationTime);
    this.subscriptions.set(sub.id, sub);
    for (const s of this.states.values()) sub.push({ ...s, operation: 'Initialized', time: new Date(this.now()) });
    return sub;
  }

  /** Removes a subscription. */
  unsubscribe(id: string): boolean {
    const sub = this.subscriptions.get(id);
    if (!sub) return false;
    sub.cancel();
    this.subscriptions.delete(id);
    return true;
  }

  /** Sets a boolean property state (`State`/`IsMotion`/...) of `channel` (1-based) and notifies every subscription. */
  setState(topic: string, value: boolean, channel = 1): void {
    const message: CameraEventMessage = { topic, time: new Date(this.now()), operation: 'Changed', source: sourceFor(topic, channel), data: dataFor(topic, value) };
    this.states.set(channel === 1 ? topic : `${topic}#${channel}`, message);
    this.expire();
    for (const sub of this.subscriptions.values()) sub.push(message);
  }

  /** Drops subscriptions whose termination time passed. */
  expire(): void {
    const now = this.now();
    for (const [id, sub] of this.subscriptions) {
      if (sub.terminationTime <= now) {
        sub.cancel();
        this.subscriptions.delete(id);
      }
    }
  }

  /** Ends every subscription (reboot, stop). */
  clear(): void {
    for (const sub of this.subscriptions.values()) sub.cancel();
    this.subscriptions.clear();
  }
}

function sourceFor(topic: string, channel = 1): Record<string, string> {
  if (topic.startsWith('tns1:RuleEngine/')) {
    const rule = topic.includes('Tamper') ? 'MyTamperDetectorRule' : 'MyMotionDetectorRule';
    return { VideoSourceConfigurationToken: `VideoSourceConfig_${channel}`, VideoAnalyticsConfigurationToken: `VideoAnalyticsConfig_${channel}`, Rule: rule };
  }
  return { Source: `VideoSource_${channel}` };
}

function dataFor(topic: string, value: boolean): Record<string, string> {
  if (topic === 'tns1:RuleEngine/CellMotionDetector/Motion') return { IsMotion: String(value) };
  if (topic === 'tns1:RuleEngine/TamperDetector/Tamper') return { IsTamper: String(value) };
  return { State: String(value) };
}
