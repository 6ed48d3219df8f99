import { api } from '../api.js';
import { fromLocalInput, h, showError, toLocalInput } from '../dom.js';
import { formatTime, label, t } from '../i18n.js';
import { can, store } from '../store.js';

interface Incident {
  id: string;
  title: string;
  description: string;
  category: string;
  status: string;
  station: string;
  occurredAt: number;
  ranges: Array<{ cameraId: string; from: number; to: number }>;
  outcome?: string;
  evidenceIds: string[];
  createdBy: string;
  createdAt: number;
  history: Array<{ at: number; by: string; status: string; note?: string }>;
}

interface Meta {
  categories: string[];
  outcomes: string[];
  statuses: string[];
}

const NEXT: Record<string, string[]> = { open: ['investigating', 'resolved', 'closed'], investigating: ['resolved', 'closed', 'open'], resolved: ['closed', 'investigating'], closed: [] };

/** Incidents: list, create, detail with workflow, linked ranges, outcome; and the incident report. */
export function renderIncidentsPage(root: HTMLElement): void {
  const listBox = h('div', { class: 'panel grow' });
  const detailBox = h('div', { class: 'panel' });
  const formBox = h('div', { class: 'panel' });
  const reportBox = h('div', { class: 'panel' });
  root.replaceChildren(h('div', { class: 'columns' }, h('div', { class: 'col' }, listBox, reportBox), h('div', { class: 'col' }, formBox, detailBox)));
  let meta: Meta = { categories: [], outcomes: [], statuses: [] };
  const cameraOptions = () => [...store.cameras.values()].map((c) => h('option', { value: c.id }, c.name));

  const loadList = (): void => {
    api<{ items: Incident[] }>('/incidents')
      .then(({ items }) => {
        listBox.replaceChildren(
          h('h2', {}, t('incidents')),
          h(
            'table',
            { class: 'table', 'data-testid': 'incidents' },
            h('thead', {}, h('tr', {}, ...[t('time'), t('title'), t('category'), t('status'), t('outcome'), t('cameras')].map((x) => h('th', {}, x)))),
            h(
              'tbody',
              {},
              ...items.map((i) =>
                h(
                  'tr',
                  { class: 'clickable', 'data-incident-id': i.id, onclick: () => showDetail(i.id) },
                  h('td', {}, formatTime(i.occurredAt)),
                  h('td', {}, i.title),
                  h('td', {}, label(i.category)),
                  h('td', {}, label(i.status)),
                  h('td', {}, i.outcome ? label(i.outcome) : '—'),
                  h('td', {}, String(new Set(i.ranges.map((r) => r.cameraId)).size)),
                ),
              ),
            ),
          ),
        );
      })
      .catch((error: unknown) => showError(listBox, error));
    if (can('reports.view')) {
      api<{ totals: { total: number; byCategory: Record<string, number>; byOutcome: Record<string, number>; clarifiedWithFootage: number }; rows: Array<{ key: string; total: number }> }>('/reports/incidents?period=month')
        .then((report) => {
          reportBox.replaceChildren(
            h('h2', {}, t('report')),
            h('p', {}, `${t('total')}: ${report.totals.total} · ${t('clarified')}: ${report.totals.clarifiedWithFootage}`),
            h('div', { class: 'muted' }, Object.entries(report.totals.byCategory).map(([k, v]) => `${label(k)}: ${v}`).join(' · ')),
            h('div', { class: 'muted' }, Object.entries(report.totals.byOutcome).map(([k, v]) => `${label(k)}: ${v}`).join(' · ')),
            h('div', { class: 'muted' }, report.rows.map((r) => `${r.key}: ${r.total}`).join(' · ')),
          );
        })
        .catch((error: unknown) => showError(reportBox, error));
    }
  };

  const showDetail = (id: string): void => {
    api<Incident>(`/incidents/${encodeURIComponent(id)}`)
      .then((i) => {
        const msg = h('div', {});
        const act = (path: string, body: unknown) => api(`/incidents/${encodeURIComponent(i.id)}${path}`, { body }).then(() => (showDetail(i.id), loadList())).catch((e: unknown) => showError(msg, e));
        const statusSel = h('select', {}, ...(NEXT[i.status] ?? []).map((s) => h('option', { value: s }, label(s))));
        const outcomeSel = h('select', {}, ...meta.outcomes.map((o) => h('option', { value: o, selected: o === i.outcome }, label(o))));
        const camSel = h('select', {}, ...cameraOptions());
        const from = h('input', { type: 'datetime-local', step: '1', value: toLocalInput(i.occurredAt - 5 * 60_000) });
        const to = h('input', { type: 'datetime-local', step: '1', value: toLocalInput(i.occurredAt + 5 * 60_000) });
        detailBox.replaceChildren(
          h('h2', {}, i.title),
          h('p', { class: 'muted' }, `${label(i.category)} · ${label(i.status)} · ${formatTime(i.occurredAt)} · ${i.createdBy}`),
          h('p', {}, i.description),
          h('h3', {}, t('cameras')),
          h('ul', {}, ...i.ranges.map((r) => h('li', {}, h('a', { href: `#/camera/${r.cameraId}` }, store.cameras.get(r.cameraId)?.name ?? r.cameraId), ` ${formatTime(r.from)} – ${formatTime(r.to)}`))),
          h('div', { class: 'toolbar' }, camSel, from, to, h('button', { onclick: () => act('/ranges', { cameraId: camSel.value, from: fromLocalInput(from.value), to: fromLocalInput(to.value) }) }, t('linkRange'))),
          NEXT[i.status]?.length ? h('div', { class: 'toolbar' }, statusSel, h('button', { 'data-action': 'set-status', onclick: () => act('/status', { status: statusSel.value }) }, t('setStatus'))) : '',
          h('div', { class: 'toolbar' }, outcomeSel, h('button', { 'data-action': 'set-outcome', onclick: () => act('/outcome', { outcome: outcomeSel.value }) }, t('setOutcome'))),
          h('h3', {}, t('history')),
          h('ul', {}, ...i.history.map((x) => h('li', {}, `${formatTime(x.at)} ${x.by}: ${label(x.status)}${x.note ? ` — ${x.note}` : ''}`))),
          i.evidenceIds.length ? h('p', {}, `Evidence: ${i.evidenceIds.join(', ')}`) : '',
          msg,
        );
      })
      .catch((error: unknown) => showError(detailBox, error));
  };

  api<Meta>('/incidents/meta')
    .then((m) => {
      meta = m;
      const msg = h('div', {});
      const form = h(
        'form',
        {
          class: 'stack',
          onsubmit: (event: Event) => {
            event.preventDefault();
            const data = new FormData(form);
            const occurredAt = fromLocalInput(String(data.get('occurredAt')));
            const cameraId = String(data.get('cameraId') ?? '');
            api<Incident>('/incidents', {
              body: {
                title: String(data.get('title')),
                category: String(data.get('category')),
                description: String(data.get('description') ?? ''),
                occurredAt,
                ranges: cameraId ? [{ cameraId, from: occurredAt - 5 * 60_000, to: occurredAt + 5 * 60_000 }] : [],
              },
            })
              .then((created) => {
                form.reset();
                msg.textContent = '✓';
                loadList();
                showDetail(created.id);
              })
              .catch((error: unknown) => showError(msg, error));
          },
        },
        h('label', {}, t('title'), h('input', { name: 'title', required: true })),
        h('label', {}, t('category'), h('select', { name: 'category' }, ...m.categories.map((c) => h('option', { value: c }, label(c))))),
        h('label', {}, t('occurredAt'), h('input', { name: 'occurredAt', type: 'datetime-local', step: '1', required: true, value: toLocalInput(Date.now()) })),
        h('label', {}, t('camera'), h('select', { name: 'cameraId' }, h('option', { value: '' }, '—'), ...cameraOptions())),
        h('label', {}, t('description'), h('textarea', { name: 'description', rows: 3 })),
        h('button', { type: 'submit' }, t('create')),
        msg,
      );
      formBox.replaceChildren(h('h2', {}, t('newIncident')), form);
    })
    .catch((error: unknown) => showError(formBox, error));
  loadList();
}
