import type { CameraView } from '../api.js';
import { h } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { statusBadge } from '../status-badge.js';
import { store } from '../store.js';

/** The camera page's header: back link, name, status badge and since when, ownership and location; `draw` redraws it from the store. */
export function cameraHeader(id: string, camera: CameraView): { element: HTMLElement; draw: () => void } {
  const element = h('div', { class: 'toolbar' });
  const draw = (): void => {
    const c = store.cameras.get(id) ?? camera;
    element.replaceChildren(
      h('a', { href: '#/cameras' }, `← ${t('back')}`),
      h('h2', {}, c.name),
      statusBadge(c.status.state),
      h('span', { class: 'muted' }, `${t('since')} ${formatTime(c.status.since)}${c.status.cause ? ` — ${c.status.cause}` : ''}`),
      h('span', { class: 'muted' }, `${t(c.ownership)} · ${c.location.address ?? ''} · ${c.location.lat.toFixed(5)}, ${c.location.lon.toFixed(5)}`),
    );
  };
  draw();
  return { element, draw };
}
