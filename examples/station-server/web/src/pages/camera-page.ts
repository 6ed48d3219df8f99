import { cameraHeader } from '../camera/camera-header.js';
import { cameraLivePanel } from '../camera/camera-live-panel.js';
import { cameraPtzPanel } from '../camera/camera-ptz-panel.js';
import { cameraRecordingsPanel } from '../camera/camera-recordings-panel.js';
import { cameraSnapshotPanel } from '../camera/camera-snapshot-panel.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { onCamerasChanged, store } from '../store.js';

/** One camera: live, snapshot, PTZ pad, a day timeline with gaps, and playback from a chosen time. */
export function renderCameraPage(root: HTMLElement, params: string[]): () => void {
  const id = decodeURIComponent(params[0]!);
  const camera = store.cameras.get(id);
  if (!camera) {
    root.replaceChildren(h('div', { class: 'error' }, `${t('camera')} ${id}: ?`), h('a', { href: '#/cameras' }, t('back')));
    return () => undefined;
  }
  const header = cameraHeader(id, camera);
  const live = cameraLivePanel(id);
  const snapshot = cameraSnapshotPanel(id);
  const ptz = cameraPtzPanel(id, camera.ptz);
  const recordings = cameraRecordingsPanel(id);

  root.replaceChildren(
    header.element,
    h('div', { class: 'columns' }, h('div', { class: 'col' }, live.element), h('div', { class: 'col narrow' }, snapshot.element, ptz)),
    recordings.element,
  );
  const off = onCamerasChanged(header.draw);
  return () => {
    off();
    live.destroy();
    recordings.destroy();
    snapshot.destroy();
  };
}
