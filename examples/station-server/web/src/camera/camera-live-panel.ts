import { h } from '../dom.js';
import { t } from '../i18n.js';
import { attachLivePlayer } from '../live-player.js';

/** The camera page's live panel: the live relay in a video, with a note when it is unavailable; `destroy` stops it. */
export function cameraLivePanel(id: string): { element: HTMLElement; destroy: () => void } {
  const liveVideo = h('video', { muted: true, autoplay: true, playsinline: true, class: 'live-video' });
  const liveNote = h('div', { class: 'tile-note' });
  const live = attachLivePlayer(liveVideo, id, (state, reason) => (liveNote.textContent = state === 'unavailable' || state === 'error' ? `${t('liveUnavailable')} ${reason ?? ''}` : ''));
  const element = h('div', { class: 'panel' }, h('h3', {}, t('live')), h('div', { class: 'live-box' }, liveVideo, liveNote));
  return { element, destroy: () => live.destroy() };
}
