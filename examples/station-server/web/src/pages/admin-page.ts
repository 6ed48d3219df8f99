import { api } from '../api.js';
import { h, showError } from '../dom.js';
import { formatTime, t } from '../i18n.js';

interface User {
  username: string;
  role: string;
  owner?: string;
  createdAt: number;
}

interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  action: string;
  target?: string;
  details?: Record<string, unknown>;
}

/** Administration: users (create, remove) and the audit log with chain verification. */
export function renderAdminPage(root: HTMLElement): void {
  const usersBox = h('div', { class: 'panel' });
  const auditBox = h('div', { class: 'panel' });
  root.replaceChildren(h('div', { class: 'columns' }, h('div', { class: 'col narrow' }, usersBox), h('div', { class: 'col' }, auditBox)));

  const loadUsers = (): void => {
    api<{ items: User[] }>('/users')
      .then(({ items }) => {
        const msg = h('div', {});
        const form = h(
          'form',
          {
            class: 'stack',
            onsubmit: (event: Event) => {
              event.preventDefault();
              const data = new FormData(form);
              api('/users', {
                body: {
                  username: String(data.get('username')),
                  password: String(data.get('password')),
                  role: String(data.get('role')),
                  ...(String(data.get('owner') ?? '') ? { owner: String(data.get('owner')) } : {}),
                },
              })
                .then(loadUsers)
                .catch((error: unknown) => showError(msg, error));
            },
          },
          h('label', {}, t('username'), h('input', { name: 'username', required: true })),
          h('label', {}, t('password'), h('input', { name: 'password', type: 'password', required: true, minlength: '10' })),
          h('label', {}, t('role'), h('select', { name: 'role' }, ...['duty-officer', 'investigator', 'viewer', 'admin'].map((r) => h('option', { value: r }, r)))),
          h('label', {}, t('ownerRef'), h('input', { name: 'owner' })),
          h('button', { type: 'submit' }, t('add')),
          msg,
        );
        usersBox.replaceChildren(
          h('h2', {}, t('users')),
          h(
            'table',
            { class: 'table' },
            h('tbody', {}, ...items.map((u) => h('tr', {}, h('td', {}, u.username), h('td', {}, u.role), h('td', {}, u.owner ?? ''), h('td', {}, h('button', { onclick: () => void api(`/users/${encodeURIComponent(u.username)}`, { method: 'DELETE' }).then(loadUsers).catch((e: unknown) => showError(msg, e)) }, '✕'))))),
          ),
          form,
        );
      })
      .catch((error: unknown) => showError(usersBox, error));
  };

  const loadAudit = (): void => {
    const verdict = h('span', {});
    api<{ items: AuditEntry[] }>('/audit?limit=1000')
      .then(({ items }) => {
        auditBox.replaceChildren(
          h(
            'div',
            { class: 'toolbar' },
            h('h2', {}, t('audit')),
            h('button', {
              onclick: () =>
                void api<{ ok: boolean; entries: number; reason?: string }>('/audit/verify')
                  .then((v) => (verdict.textContent = v.ok ? `✓ ${v.entries}` : `✗ ${v.reason ?? ''}`))
                  .catch((e: unknown) => showError(verdict, e)),
            }, t('verify')),
            verdict,
          ),
          h(
            'table',
            { class: 'table' },
            h('thead', {}, h('tr', {}, ...['#', t('time'), t('username'), t('action'), t('details')].map((x) => h('th', {}, x)))),
            h('tbody', {}, ...items.slice(-300).reverse().map((e) => h('tr', {}, h('td', {}, e.seq), h('td', {}, formatTime(e.at)), h('td', {}, e.actor), h('td', {}, e.action), h('td', { class: 'small' }, `${e.target ?? ''} ${e.details ? JSON.stringify(e.details).slice(0, 160) : ''}`)))),
          ),
        );
      })
      .catch((error: unknown) => showError(auditBox, error));
  };
  loadUsers();
  loadAudit();
}
