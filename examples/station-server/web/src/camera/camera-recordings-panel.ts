import { h } from '../dom.js';
import { t } from '../i18n.js';
import { cameraPlayback } from './camera-playback.js';
import { cameraTimeline } from './camera-timeline.js';
import { dayStart } from './local-day.js';

/** The camera page's recordings panel: the day timeline with gaps, playback from a clicked or typed time; `destroy` unloads the video. */
export function cameraRecordingsPanel(id: string): { element: HTMLElement; destroy: () => void } {
  const playback = cameraPlayback(id);
  const { dayInput, spanSelect, timeline, timelineInfo, draw } = cameraTimeline(id, playback.play);
  const timeInput = h('input', { type: 'time', step: '1' });
  const element = h(
    'div',
    { class: 'panel' },
    h('h3', {}, t('recordings')),
    h('div', { class: 'toolbar' }, h('label', {}, `${t('day')} `, dayInput), spanSelect, h('button', { onclick: draw }, t('refresh')), timelineInfo),
    timeline,
    h(
      'div',
      { class: 'toolbar' },
      h('label', {}, `${t('playFrom')} `, timeInput),
      h('button', {
        'data-action': 'play',
        onclick: () => {
          const [hh = '0', mm = '0', ss = '0'] = (timeInput.value || '00:00:00').split(':');
          playback.play(dayStart(dayInput.value) + (Number(hh) * 3600 + Number(mm) * 60 + Number(ss)) * 1000);
        },
      }, t('play')),
      playback.message,
    ),
    playback.video,
  );
  return { element, destroy: playback.destroy };
}
