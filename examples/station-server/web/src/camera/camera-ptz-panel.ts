import { api } from '../api.js';
import { h, showError } from '../dom.js';
import { t } from '../i18n.js';
import { can } from '../store.js';

/** The camera page's PTZ panel: a pad (hold to move, release to stop, home), "no PTZ", or "forbidden" without the right. */
export function cameraPtzPanel(id: string, hasPtz: boolean): HTMLElement {
  const ptzMsg = h('div', {});
  const ptz = (body: Record<string, unknown>): void => void api(`/cameras/${encodeURIComponent(id)}/ptz`, { body }).catch((e: unknown) => showError(ptzMsg, e));
  const move = (pan: number, tilt: number, zoom: number) => ({
    onmousedown: () => ptz({ action: 'move', pan, tilt, zoom, timeoutMs: 2000 }),
    onmouseup: () => ptz({ action: 'stop' }),
  });
  const ptzPad = hasPtz
    ? h(
        'div',
        { class: 'ptz-pad' },
        h('span', {}),
        h('button', { ...move(0, 0.5, 0), title: 'up' }, '▲'),
        h('span', {}),
        h('button', { ...move(-0.5, 0, 0), title: 'left' }, '◀'),
        h('button', { onclick: () => ptz({ action: 'home' }), title: 'home' }, '⌂'),
        h('button', { ...move(0.5, 0, 0), title: 'right' }, '▶'),
        h('button', { ...move(0, 0, -0.5), title: 'zoom out' }, '−'),
        h('button', { ...move(0, -0.5, 0), title: 'down' }, '▼'),
        h('button', { ...move(0, 0, 0.5), title: 'zoom in' }, '+'),
      )
    : h('p', { class: 'muted' }, t('noPtz'));
  return h('div', { class: 'panel' }, h('h3', {}, t('ptz')), can('ptz.control') ? ptzPad : h('p', { class: 'muted' }, t('forbidden')), ptzMsg);
}
