import mpegts from 'mpegts.js';
import { api } from './api.js';

/** A live tile's player: fetches a signed URL, plays WS-FLV with mpegts.js, retries on errors. */
export interface LivePlayer {
  /** Stops playback and releases the player. */
  destroy(): void;
  /** Re-opens the stream with a fresh signed URL (e.g. after the camera recovers). */
  restart(): void;
}

/** Attaches a live player for `cameraId` to `video`; `onState` reports `playing`, `unavailable` (with reason) or `error`. */
export function attachLivePlayer(
  video: HTMLVideoElement,
  cameraId: string,
  onState: (state: 'loading' | 'playing' | 'unavailable' | 'error', reason?: string) => void,
): LivePlayer {
  let player: mpegts.Player | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;
  let generation = 0;

  const teardown = (): void => {
    if (retry) clearTimeout(retry);
    retry = undefined;
    if (player) {
      try {
        player.pause();
        player.unload();
        player.detachMediaElement();
        player.destroy();
      } catch (error) {
        // the player may already be torn down by its own error path; nothing is left to release then
        console.debug('live player teardown', cameraId, error);
      }
      player = undefined;
    }
  };

  const scheduleRetry = (ms: number): void => {
    if (destroyed) return;
    if (retry) clearTimeout(retry);
    retry = setTimeout(() => void open(), ms);
  };

  const open = async (): Promise<void> => {
    teardown();
    const mine = ++generation;
    onState('loading');
    let answer: { available: boolean; url?: string; reason?: string };
    try {
      answer = await api(`/cameras/${encodeURIComponent(cameraId)}/live`);
    } catch (error) {
      onState('error', (error as Error).message);
      scheduleRetry(5000);
      return;
    }
    if (destroyed || mine !== generation) return;
    if (!answer.available || !answer.url || !mpegts.isSupported()) {
      onState('unavailable', answer.reason ?? 'MSE not supported');
      scheduleRetry(15000);
      return;
    }
    const p = mpegts.createPlayer(
      { type: 'flv', isLive: true, url: answer.url, hasAudio: false },
      { enableWorker: false, enableStashBuffer: false, stashInitialSize: 128, liveBufferLatencyChasing: true, liveBufferLatencyMaxLatency: 2, liveBufferLatencyMinRemain: 0.3, lazyLoad: false, autoCleanupSourceBuffer: true },
    );
    player = p;
    p.attachMediaElement(video);
    p.on(mpegts.Events.ERROR, (type: string, detail: string) => {
      if (mine !== generation) return;
      onState('error', `${type}: ${detail}`);
      scheduleRetry(3000);
    });
    p.load();
    const played = p.play();
    // a refused autoplay is retried by the error path; it is not an error of the stream
    if (played && typeof (played as Promise<void>).catch === 'function') (played as Promise<void>).catch((error: unknown) => console.debug('live autoplay refused', cameraId, error));
    const onPlaying = (): void => {
      if (mine === generation) onState('playing');
    };
    video.addEventListener('playing', onPlaying, { once: true });
  };

  void open();
  return {
    destroy() {
      destroyed = true;
      generation++;
      teardown();
    },
    restart() {
      void open();
    },
  };
}
