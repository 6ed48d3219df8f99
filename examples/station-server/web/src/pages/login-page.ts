import { api, ApiError, type MeAnswer } from '../api.js';
import { h } from '../dom.js';
import { currentLang, setLang, t } from '../i18n.js';
import { store } from '../store.js';

/** The login form. */
export function renderLoginPage(root: HTMLElement, _params: string[], onLogin: (me: MeAnswer) => void | Promise<void>): void {
  const message = h('div', { class: 'login-message', role: 'alert' });
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h(
    'form',
    {
      class: 'login',
      onsubmit: (event: Event) => {
        event.preventDefault();
        message.textContent = '';
        void api<MeAnswer>('/auth/login', { body: { username: username.value.trim(), password: password.value } })
          .then((me) => onLogin(me))
          .catch((error: unknown) => {
            message.textContent = error instanceof ApiError && error.code === 'UNAUTHENTICATED' ? t('loginFailed') : (error as Error).message;
          });
      },
    },
    h('h1', {}, 'WardWatch'),
    h('h2', {}, t('appTitle')),
    h('p', { class: 'muted' }, store.info.stationName, store.info.demo ? ` — ${t('demoMode')}` : ''),
    h('label', {}, t('username'), username),
    h('label', {}, t('password'), password),
    h('button', { type: 'submit' }, t('login')),
    message,
    h('button', { type: 'button', class: 'link', onclick: () => (setLang(currentLang() === 'vi' ? 'en' : 'vi'), renderLoginPage(root, [], onLogin)) }, currentLang() === 'vi' ? 'English' : 'Tiếng Việt'),
  );
  root.replaceChildren(h('div', { class: 'login-wrap' }, form));
}
