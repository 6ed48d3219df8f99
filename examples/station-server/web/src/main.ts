import { ApiError, api, type MeAnswer, type Permission, type StationInfo } from './api.js';
import { h } from './dom.js';
import { currentLang, setLang, t } from './i18n.js';
import { renderAdminPage } from './pages/admin-page.js';
import { renderCameraPage } from './pages/camera-page.js';
import { renderCamerasPage } from './pages/cameras-page.js';
import { renderEventsPage } from './pages/events-page.js';
import { renderExportsPage } from './pages/exports-page.js';
import { renderIncidentsPage } from './pages/incidents-page.js';
import { renderLoginPage } from './pages/login-page.js';
import { renderWallPage } from './pages/wall-page.js';
import { can, connectEvents, disconnectEvents, loadCameras, store } from './store.js';

/** A page renders into `root` and returns its cleanup. */
export type Page = (root: HTMLElement, params: string[]) => (() => void) | void;

/** The pages, each shown to users holding its permission (the server's roles decide: `GET /auth/me`). */
const routes: Array<{ path: string; page: Page; label: Parameters<typeof t>[0]; permission: Permission }> = [
  { path: 'wall', page: renderWallPage, label: 'wall', permission: 'live.view' },
  { path: 'cameras', page: renderCamerasPage, label: 'cameras', permission: 'cameras.view' },
  { path: 'events', page: renderEventsPage, label: 'events', permission: 'events.view' },
  { path: 'incidents', page: renderIncidentsPage, label: 'incidents', permission: 'incidents.view' },
  { path: 'exports', page: renderExportsPage, label: 'exports', permission: 'exports.view' },
  { path: 'admin', page: renderAdminPage, label: 'admin', permission: 'users.manage' },
];

const app = document.getElementById('app')!;
let cleanup: (() => void) | void;

function shell(): { main: HTMLElement } {
  const me = store.me!.user;
  const current = location.hash.replace(/^#\/?/, '').split('/')[0] || 'wall';
  const nav = h(
    'nav',
    { class: 'nav' },
    h('span', { class: 'brand' }, `WardWatch · ${store.info.stationName}`),
    ...routes
      .filter((r) => can(r.permission))
      .map((r) => h('a', { href: `#/${r.path}`, class: current === r.path ? 'active' : '', 'data-nav': r.path }, t(r.label))),
    h('span', { class: 'spacer' }),
    store.info.demo ? h('span', { class: 'badge demo' }, t('demoMode')) : null,
    h('span', { class: 'who' }, `${me.displayName ?? me.username} (${me.role})`),
    h('button', { class: 'lang', onclick: () => (setLang(currentLang() === 'vi' ? 'en' : 'vi'), render()) }, currentLang() === 'vi' ? 'EN' : 'VI'),
    h('button', { 'data-action': 'logout', onclick: () => void logout() }, t('logout')),
  );
  const main = h('main', { class: 'content' });
  app.replaceChildren(nav, main);
  return { main };
}

async function logout(): Promise<void> {
  await api('/auth/logout', { method: 'POST', body: {} }).catch((error: unknown) => console.error('logout failed', error));
  store.me = undefined;
  disconnectEvents();
  location.hash = '#/login';
  render();
}

function render(): void {
  if (typeof cleanup === 'function') cleanup();
  cleanup = undefined;
  document.title = `WardWatch — ${t('appTitle')}`;
  if (!store.me) {
    cleanup = renderLoginPage(app, [], async (me) => {
      store.me = me;
      await start();
    });
    return;
  }
  const [path = 'wall', ...params] = location.hash.replace(/^#\/?/, '').split('/');
  const { main } = shell();
  if (path === 'camera' && params[0]) {
    cleanup = renderCameraPage(main, params);
    return;
  }
  const route = routes.find((r) => r.path === path) ?? routes[0]!;
  if (!can(route.permission)) {
    main.append(h('div', { class: 'error' }, t('forbidden')));
    return;
  }
  cleanup = route.page(main, params);
}

async function start(): Promise<void> {
  await loadCameras();
  connectEvents();
  if (!location.hash || location.hash === '#/login') location.hash = '#/wall';
  render();
}

window.addEventListener('hashchange', render);
window.addEventListener('ww-unauthenticated', () => {
  if (!store.me) return;
  store.me = undefined;
  disconnectEvents();
  render();
});

async function boot(): Promise<void> {
  setLang(currentLang());
  store.info = await api<StationInfo>('/info');
  // Not logged in (401) shows the login page; any other failure is shown too, then the login page.
  store.me = await api<MeAnswer>('/auth/me').catch((error: unknown) => {
    if (!(error instanceof ApiError && error.status === 401)) console.error('GET /auth/me failed', error);
    return undefined;
  });
  if (store.me) await start();
  else render();
}

void boot();
