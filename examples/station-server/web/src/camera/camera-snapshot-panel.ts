import { ApiError } from '../api.js';
import { h, showError } from '../dom.js';
import { t } from '../i18n.js';

/** The camera page's snapshot panel: the current picture (loaded now and on refresh); `destroy` frees the image. */
export function cameraSnapshotPanel(id: string): { element: HTMLElement; destroy: () => void } {
  const snapImg = h('img', { class: 'snapshot', alt: t('snapshot') });
  const snapMsg = h('div', {});
  const loadSnapshot = (): void => {
    snapMsg.textContent = '';
    fetch(`/api/cameras/${encodeURIComponent(id)}/snapshot`, { credentials: 'same-origin' })
      .then(async (r) => {
        if (!r.ok) throw await ApiError.of(r);
        const blob = await r.blob();
        if (snapImg.src) URL.revokeObjectURL(snapImg.src);
        snapImg.src = URL.createObjectURL(blob);
      })
      .catch((error: unknown) => showError(snapMsg, error));
  };
  loadSnapshot();
  const element = h('div', { class: 'panel' }, h('h3', {}, t('snapshot')), snapImg, h('button', { onclick: loadSnapshot }, t('refresh')), snapMsg);
  return {
    element,
    destroy: () => {
      if (snapImg.src) URL.revokeObjectURL(snapImg.src);
    },
  };
}
