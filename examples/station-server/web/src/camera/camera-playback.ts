import { api } from '../api.js';
import { h, showError } from '../dom.js';
import { formatTime } from '../i18n.js';

interface PlaybackAnswer {
  segment: { start: number; end: number };
  url: string;
  offsetMs: number;
  next?: { start: number; end: number };
}

/** Recorded playback of a camera: `play(at)` plays from a time, going on with the next segment when one ends; `destroy` unloads it. */
export function cameraPlayback(id: string): { video: HTMLVideoElement; message: HTMLElement; play: (at: number) => void; destroy: () => void } {
  const playVideo = h('video', { controls: true, class: 'playback-video', 'data-testid': 'playback' });
  const playMsg = h('div', {});
  let nextSegment: number | undefined;

  const play = (at: number): void => {
    playMsg.textContent = formatTime(at);
    api<PlaybackAnswer>(`/cameras/${encodeURIComponent(id)}/playback?at=${Math.floor(at)}`)
      .then((answer) => {
        nextSegment = answer.next?.start;
        playVideo.src = answer.url;
        playVideo.addEventListener('loadedmetadata', () => (playVideo.currentTime = answer.offsetMs / 1000), { once: true });
        // a refused autoplay leaves the video paused with its controls: the user presses play
        void playVideo.play().catch((error: unknown) => console.debug('playback did not start by itself', error));
      })
      .catch((error: unknown) => showError(playMsg, error));
  };
  playVideo.addEventListener('ended', () => {
    if (nextSegment !== undefined) play(nextSegment);
  });
  return {
    video: playVideo,
    message: playMsg,
    play,
    destroy: () => {
      playVideo.removeAttribute('src');
      playVideo.load();
    },
  };
}
