import { api } from '../api.js';
import { fromLocalInput, h, showError, toLocalInput } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { store } from '../store.js';

interface EvidenceJob {
  id: string;
  cameraId: string;
  from: number;
  to: number;
  reason: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  phase?: string;
  ratio: number;
  evidenceId?: string;
  error?: { message: string };
}

interface Job {
  id: string;
  cameraId: string;
  from: number;
  to: number;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  progress: number;
  bytes: number;
  createdBy: string;
  result?: { sha256: string; bytes: number; actual: { from: number; to: number }; gaps: Array<{ from: number; to: number }> };
  error?: { message: string };
}

/** Clip export: pick a camera and range, watch the progress bar, download the MP4. */
export function renderExportsPage(root: HTMLElement): () => void {
  const list = h('tbody', {});
  const msg = h('div', {});
  const canCreate = store.me?.role === 'admin' || store.me?.role === 'investigator';
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
          showError(msg, new Error(t('reasonRequired')));
          return;
        }
        (asEvidence
          ? api<EvidenceJob>('/evidence', { body: { ...common, reason, ...(String(data.get('caseId') ?? '').trim() ? { caseId: String(data.get('caseId')).trim() } : {}) } })
          : api<Job>('/exports', { body: { ...common, reason: reason || undefined } }))
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
  const row = (j: Job): HTMLElement =>
    h(
      'tr',
      { 'data-export-id': j.id, 'data-state': j.state },
      h('td', {}, store.cameras.get(j.cameraId)?.name ?? j.cameraId),
      h('td', {}, `${formatTime(j.from)} – ${formatTime(j.to)}`),
      h('td', {}, h('progress', { max: 1, value: j.progress, 'data-testid': 'export-progress' }), ` ${Math.round(j.progress * 100)} %`),
      h('td', {}, t(j.state), j.error ? h('div', { class: 'muted small' }, j.error.message) : '', j.result?.gaps.length ? h('div', { class: 'muted small' }, `${j.result.gaps.length} ${t('gap')}`) : ''),
      h('td', {}, j.result ? `${(j.result.bytes / 1e6).toFixed(2)} MB` : ''),
      h(
        'td',
        {},
        j.state === 'done' ? h('a', { href: `/api/exports/${j.id}/download`, download: '', 'data-action': 'download' }, t('download')) : '',
        j.state === 'running' && canCreate ? h('button', { onclick: () => void api(`/exports/${j.id}`, { method: 'DELETE' }).then(refresh) }, t('cancel')) : '',
      ),
    );
  const evidenceList = h('tbody', {});
  const evidenceRow = (j: EvidenceJob): HTMLElement =>
    h(
      'tr',
      { 'data-evidence-job': j.id, 'data-state': j.state },
      h('td', {}, store.cameras.get(j.cameraId)?.name ?? j.cameraId),
      h('td', {}, `${formatTime(j.from)} – ${formatTime(j.to)}`),
      h('td', {}, j.reason),
      h('td', {}, h('progress', { max: 1, value: j.ratio }), ` ${Math.round(j.ratio * 100)} % ${j.phase && j.state === 'running' ? j.phase : ''}`),
      h('td', {}, t(j.state), j.error ? h('div', { class: 'muted small' }, j.error.message) : ''),
      h('td', {}, j.state === 'done' && j.evidenceId ? h('a', { href: `/api/evidence/${encodeURIComponent(j.evidenceId)}/download`, download: '' }, `${t('download')} (.zip)`) : ''),
    );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = async (): Promise<void> => {
    if (timer) clearTimeout(timer);
    try {
      const [{ items }, evidence] = await Promise.all([
        api<{ items: Job[] }>('/exports'),
        api<{ items: EvidenceJob[] }>('/evidence/jobs').catch(() => ({ items: [] as EvidenceJob[] })),
      ]);
      list.replaceChildren(...items.map(row));
      evidenceList.replaceChildren(...evidence.items.map(evidenceRow));
      if (items.some((j) => j.state === 'running') || evidence.items.some((j) => j.state === 'running')) timer = setTimeout(() => void refresh(), 500);
    } catch (error) {
      showError(msg, error);
    }
  };
  root.replaceChildren(
    h('div', { class: 'panel' }, h('h2', {}, t('newExport')), canCreate ? form : h('p', { class: 'muted' }, t('forbidden')), msg),
    h(
      'div',
      { class: 'panel' },
      h('h3', {}, t('clips')),
      h('table', { class: 'table', 'data-testid': 'exports' }, h('thead', {}, h('tr', {}, ...[t('camera'), t('time'), t('progress'), t('status'), '', ''].map((x) => h('th', {}, x)))), list),
      h('h3', {}, t('evidencePackages')),
      h('table', { class: 'table', 'data-testid': 'evidence-jobs' }, h('thead', {}, h('tr', {}, ...[t('camera'), t('time'), t('reason'), t('progress'), t('status'), ''].map((x) => h('th', {}, x)))), evidenceList),
    ),
  );
  void refresh();
  return () => {
    if (timer) clearTimeout(timer);
  };
}
