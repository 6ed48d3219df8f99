import type { H264Feed, StreamSettings, TimedAccessUnit } from './h264-feed.js';
import { RotatingFanOut } from './rotating-fan-out.js';

type Listener = (au: TimedAccessUnit) => void;

/**
 * One stream of one camera (main or sub). It forwards the frames of an {@link H264Feed}, and can be
 * re-attached to another feed (a shared encoder → a private one when a picture fault is applied): listeners
 * stay subscribed, and after a switch only frames from the new feed's next keyframe on are forwarded.
 */
export class CameraStream {
  private feed: H264Feed | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly listeners = new RotatingFanOut<TimedAccessUnit>();
  private gated = false;
  private paused = false;

  constructor(readonly name: 'main' | 'sub') {}

  /** The feed currently attached. */
  get current(): H264Feed | undefined {
    return this.feed;
  }

  /** Encoding settings of the attached feed. */
  get settings(): StreamSettings | undefined {
    return this.feed?.settings;
  }

  /** SPS of the attached feed. */
  get sps(): Buffer | undefined {
    return this.feed?.sps;
  }

  /** PPS of the attached feed. */
  get pps(): Buffer | undefined {
    return this.feed?.pps;
  }

  /** Attaches a feed (detaching the previous one). */
  attach(feed: H264Feed): void {
    if (feed === this.feed) return;
    this.unsubscribe?.();
    this.gated = this.feed !== undefined;
    this.feed = feed;
    this.unsubscribe = feed.subscribe((au) => this.forward(au));
  }

  /** Stops forwarding frames (stall) or starts again. */
  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  /** Adds a frame listener; returns its remover. */
  subscribe(listener: Listener): () => void {
    return this.listeners.add(listener);
  }

  /** Number of listeners (RTSP sessions playing this stream). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Detaches from the feed and forgets listeners. */
  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.listeners.clear();
  }

  private forward(au: TimedAccessUnit): void {
    if (this.gated) {
      if (!au.keyframe) return;
      this.gated = false;
    }
    if (this.paused) return;
    this.listeners.emit(au);
  }
}
