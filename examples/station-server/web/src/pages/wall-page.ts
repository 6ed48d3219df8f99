import type { CameraView } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { attachLivePlayer, type LivePlayer } from '../live-player.js';
import { statusBadge } from '../status-badge.js';
import { onCamerasChanged, store } from '../store.js';

const LAYOUTS = [1, 4, 9, 16] as const;

interface Tile {
  camera: CameraView;
  el: HTMLElement;
  video: HTMLVideoElement;
  badge: HTMLElement;
  note: HTMLElement;
  player: LivePlayer;
  state: string;
}

/** The video wall: 1/4/9/16 live tiles with a status overlay. */
export function renderWallPage(root: HTMLElement): () => void {
  let layout = Number(localStorage.getItem('ww-layout') ?? 9) as (typeof LAYOUTS)[number];
  if (!LAYOUTS.includes(layout)) layout = 9;
  let page = 0;
  let tiles: Tile[] = [];
  const grid = h('div', { class: 'wall' });
  const pager = h('span', { class: 'pager' });
  const toolbar = h(
    'div',
    { class: 'toolbar' },
    h('span', {}, `${t('layout')}: `),
    ...LAYOUTS.map((n) =>
      h(
        'button',
        { 'data-layout': n, class: n === layout ? 'active' : '', onclick: () => ((layout = n), localStorage.setItem('ww-layout', String(n)), (page = 0), build()) },
        n === 1 ? '1×1' : `${Math.sqrt(n)}×${Math.sqrt(n)}`,
      ),
    ),
    pager,
  );
  root.replaceChildren(toolbar, grid);

  const destroyTiles = (): void => {
    for (const tile of tiles) tile.player.destroy();
    tiles = [];
  };

  const setNote = (tile: Tile, live: string, reason?: string): void => {
    tile.el.dataset['live'] = live;
    tile.note.textContent = live === 'unavailable' ? `${t('liveUnavailable')}${reason ? ` (${reason})` : ''}` : live === 'error' ? `${t('liveUnavailable')}` : '';
  };

  const build = (): void => {
    destroyTiles();
    toolbar.querySelectorAll('button').forEach((b) => b.classList.toggle('active', Number(b.dataset['layout']) === layout));
    const cameras = [...store.cameras.values()].sort((a, b) => a.id.localeCompare(b.id));
    const pages = Math.max(1, Math.ceil(cameras.length / layout));
    page = Math.min(page, pages - 1);
    pager.replaceChildren(
      pages > 1 ? h('button', { onclick: () => ((page = (page + pages - 1) % pages), build()) }, '◀') : '',
      pages > 1 ? ` ${page + 1}/${pages} ` : '',
      pages > 1 ? h('button', { onclick: () => ((page = (page + 1) % pages), build()) }, '▶') : '',
    );
    const cols = Math.sqrt(layout);
    grid.style.gridTemplateColumns = `repeat(${cols}, 1fr)`;
    grid.style.gridTemplateRows = `repeat(${cols}, 1fr)`;
    grid.replaceChildren();
    for (const camera of cameras.slice(page * layout, page * layout + layout)) {
      const video = h('video', { muted: true, autoplay: true, playsinline: true, 'data-camera-id': camera.id });
      video.muted = true;
      const badge = statusBadge(camera.status.state);
      const note = h('div', { class: 'tile-note' });
      const el = h(
        'div',
        { class: `tile state-${camera.status.state}`, 'data-camera-id': camera.id, 'data-state': camera.status.state, ondblclick: () => (location.hash = `#/camera/${camera.id}`) },
        video,
        h('div', { class: 'tile-top' }, h('a', { href: `#/camera/${camera.id}` }, camera.name), badge),
        h('div', { class: 'tile-offline' }, t('offline')),
        note,
      );
      grid.append(el);
      const tile: Tile = { camera, el, video, badge, note, state: camera.status.state, player: undefined as unknown as LivePlayer };
      tile.player = attachLivePlayer(video, camera.id, (live, reason) => setNote(tile, live, reason));
      tiles.push(tile);
    }
  };

  const update = (): void => {
    for (const tile of tiles) {
      const camera = store.cameras.get(tile.camera.id);
      if (!camera) continue;
      const state = camera.status.state;
      if (state === tile.state) continue;
      const wasDown = tile.state === 'offline' || tile.state === 'connecting';
      tile.state = state;
      tile.el.dataset['state'] = state;
      tile.el.className = `tile state-${state}`;
      tile.badge.replaceWith((tile.badge = statusBadge(state)));
      if (wasDown && (state === 'online' || state === 'degraded')) tile.player.restart();
    }
  };

  build();
  const off = onCamerasChanged(() => {
    const ids = [...store.cameras.keys()].sort().join(',');
    if (ids !== tiles.map((t) => t.camera.id).sort().join(',') && tiles.length < layout) build();
    else update();
  });
  return () => {
    off();
    destroyTiles();
  };
}
