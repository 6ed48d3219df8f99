import { api, type EventItem } from '../api.js';
import { h, showError } from '../dom.js';
import { formatTime, label, t } from '../i18n.js';
import { onEvent, store } from '../store.js';

function summary(e: EventItem): string {
  switch (e.type) {
    case 'camera.status': {
      const s = e['status'] as { state: string; cause?: string };
      return `${label(String(e['previous']))} → ${label(s.state)}${s.cause ? ` (${s.cause})` : ''}`;
    }
    case 'motion':
    case 'tamper':
      return `${String(e['phase'])}${e['kind'] ? ` ${String(e['kind'])}` : ''} · ${String(e['source'])}`;
    case 'plate':
      return `${String(e['plate'])} (${Math.round(Number(e['confidence']) * 100)} %)`;
    case 'recording.gap':
      return `${formatTime(Number(e['from']))} – ${formatTime(Number(e['to']))}: ${String(e['cause'])}`;
    case 'segment.closed':
      return 'segment';
    case 'evidence.exported':
      return `${String(e['evidenceId'])}: ${formatTime(Number(e['from']))} – ${formatTime(Number(e['to']))} · ${String(e['operator'])}`;
    case 'hold.created':
      return `${String(e['holdId'])}: ${formatTime(Number(e['from']))} – ${formatTime(Number(e['to']))}`;
    case 'hold.released':
      return String(e['holdId']);
    case 'incident.created':
    case 'incident.updated':
      return `${String(e['incidentId'])} ${String(e['status'] ?? e['category'] ?? '')}`;
    default:
      return Object.entries(e)
        .filter(([k]) => !['type', 'at', 'cameraId', 'id'].includes(k))
        .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join(', ')
        .slice(0, 200);
  }
}

/** The live events feed: stored history plus events as they happen. */
export function renderEventsPage(root: HTMLElement): () => void {
  let filter = '';
  const select = h(
    'select',
    { onchange: () => ((filter = select.value), draw()) },
    h('option', { value: '' }, t('all')),
    ...['camera.status', 'motion', 'tamper', 'plate', 'face', 'recording.gap', 'incident.created', 'incident.updated', 'evidence.exported', 'storage.low'].map((x) => h('option', { value: x }, label(x))),
  );
  const msg = h('div', {});
  const body = h('tbody', {});
  let events: EventItem[] = [];
  const row = (e: EventItem): HTMLElement => {
    const cam = e.cameraId ? store.cameras.get(e.cameraId) : undefined;
    return h(
      'tr',
      { 'data-type': e.type },
      h('td', {}, formatTime(e.at)),
      h('td', {}, label(e.type)),
      h('td', {}, e.cameraId ? h('a', { href: `#/camera/${e.cameraId}` }, cam?.name ?? e.cameraId) : ''),
      h('td', {}, summary(e)),
    );
  };
  const draw = (): void => {
    body.replaceChildren(...events.filter((e) => e.type !== 'segment.closed' && (!filter || e.type === filter)).slice(0, 300).map(row));
  };
  root.replaceChildren(
    h('div', { class: 'toolbar' }, h('h2', {}, t('events')), h('label', {}, `${t('type')} `, select), msg),
    h('table', { class: 'table', 'data-testid': 'events' }, h('thead', {}, h('tr', {}, h('th', {}, t('time')), h('th', {}, t('type')), h('th', {}, t('camera')), h('th', {}, t('details')))), body),
  );
  api<{ items: EventItem[] }>('/events?limit=300')
    .then(({ items }) => {
      const seen = new Set(events.map((e) => `${e.type}|${e.at}|${e.cameraId ?? ''}`));
      events = [...events, ...items.filter((e) => !seen.has(`${e.type}|${e.at}|${e.cameraId ?? ''}`))].sort((a, b) => b.at - a.at);
      draw();
    })
    .catch((error: unknown) => showError(msg, error));
  return onEvent((event) => {
    events.unshift(event);
    if (events.length > 1000) events.length = 1000;
    if (event.type !== 'segment.closed' && (!filter || event.type === filter)) body.prepend(row(event));
  });
}
