import { api, type ExportJobView, type ItemsAnswer } from '../api.js';
import { fromLocalInput, h, showError, toLocalInput } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { can, store } from '../store.js';

/** Exports: pick a camera and range (and, for a signed evidence package, a reason), watch the progress, download. */
export function renderExportsPage(root: HTMLElement): () => void {
  const list = h('tbody', {});
  const msg = h('div', {});
  const canCreate = can('exports.create');
  const now = Date.now();
  const form = h(
    'form',
    {
      class: 'inline-form',
      'data-testid': 'export-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const data = new FormData(form);
        const common = { cameraId: String(data.get('cameraId')), from: fromLocalInput(String(data.get('from'))), to: fromLocalInput(String(data.get('to'))) };
        const reason = String(data.get('reason') ?? '').trim();
        const asEvidence = data.get('evidence') === 'on';
        if (asEvidence && !reason) {
          showError(msg, t('reasonRequired'));
          return;
        }
        const caseId = String(data.get('caseId') ?? '').trim();
        api<ExportJobView>('/exports', { body: { ...common, kind: asEvidence ? 'evidence' : 'clip', ...(reason ? { reason } : {}), ...(asEvidence && caseId ? { caseId } : {}) } })
          .then(() => {
            msg.textContent = '';
            void refresh();
          })
          .catch((error: unknown) => showError(msg, error));
      },
    },
    h('label', {}, t('camera'), h('select', { name: 'cameraId' }, ...[...store.cameras.values()].map((c) => h('option', { value: c.id }, c.name)))),
    h('label', {}, t('from'), h('input', { name: 'from', type: 'datetime-local', step: '1', value: toLocalInput(now - 60_000) })),
    h('label', {}, t('to'), h('input', { name: 'to', type: 'datetime-local', step: '1', value: toLocalInput(now - 10_000) })),
    h('label', {}, t('reason'), h('input', { name: 'reason', size: 30 })),
    h('label', {}, t('caseId'), h('input', { name: 'caseId', size: 12 })),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'evidence', 'data-testid': 'as-evidence' }), t('asEvidence')),
    h('button', { type: 'submit' }, t('start')),
  );
  const row = (j: ExportJobView): HTMLElement =>
    h(
      'tr',
      { 'data-export-id': j.id, 'data-kind': j.kind, 'data-state': j.state },
      h('td', {}, j.kind === 'evidence' ? t('evidencePackages') : t('clips')),
      h('td', {}, store.cameras.get(j.cameraId)?.name ?? j.cameraId),
      h('td', {}, `${formatTime(j.from)} – ${formatTime(j.to)}`),
      h('td', {}, j.reason ?? ''),
      h('td', {}, h('progress', { max: 1, value: j.progress, 'data-testid': 'export-progress' }), ` ${Math.round(j.progress * 100)} % ${j.phase && j.state === 'running' ? j.phase : ''}`),
      h('td', {}, t(j.state), j.error ? h('div', { class: 'muted small' }, j.error.message) : '', j.result?.gaps.length ? h('div', { class: 'muted small' }, `${j.result.gaps.length} ${t('gap')}`) : ''),
      h('td', {}, j.result ? `${(j.result.bytes / 1e6).toFixed(2)} MB` : ''),
      h(
        'td',
        {},
        j.state === 'done' && j.downloadUrl ? h('a', { href: j.downloadUrl, download: '', 'data-action': 'download' }, j.kind === 'evidence' ? `${t('download')} (.zip)` : t('download')) : '',
        j.state === 'running' && canCreate ? h('button', { onclick: () => void api(`/exports/${j.id}`, { method: 'DELETE' }).then(refresh, (error: unknown) => showError(msg, error)) }, t('cancel')) : '',
      ),
    );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = async (): Promise<void> => {
    if (timer) clearTimeout(timer);
    try {
      const { items } = await api<ItemsAnswer<ExportJobView>>('/exports');
      list.replaceChildren(...items.map(row));
      if (items.some((j) => j.state === 'running')) timer = setTimeout(() => void refresh(), 500);
    } catch (error) {
      showError(msg, error);
    }
  };
  root.replaceChildren(
    h('div', { class: 'panel' }, h('h2', {}, t('newExport')), canCreate ? form : h('p', { class: 'muted' }, t('forbidden')), msg),
    h(
      'div',
      { class: 'panel' },
      h('table', { class: 'table', 'data-testid': 'exports' }, h('thead', {}, h('tr', {}, ...[t('type'), t('camera'), t('time'), t('reason'), t('progress'), t('status'), '', ''].map((x) => h('th', {}, x)))), list),
    ),
  );
  void refresh();
  return () => {
    if (timer) clearTimeout(timer);
  };
}
