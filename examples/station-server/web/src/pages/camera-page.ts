import { ApiError, api } from '../api.js';
import { h, showError } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { attachLivePlayer } from '../live-player.js';
import { statusBadge } from '../status-badge.js';
import { can, onCamerasChanged, store } from '../store.js';

interface Recordings {
  segments: Array<{ start: number; end: number; bytes: number }>;
  gaps: Array<{ from: number; to: number }>;
  recordedMs: number;
}

interface PlaybackAnswer {
  segment: { start: number; end: number };
  url: string;
  offsetMs: number;
  next?: { start: number; end: number };
}

function dayStart(value: string): number {
  return new Date(`${value}T00:00:00`).getTime();
}

function todayInput(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** One camera: live, snapshot, PTZ pad, a day timeline with gaps, and playback from a chosen time. */
export function renderCameraPage(root: HTMLElement, params: string[]): () => void {
  const id = decodeURIComponent(params[0]!);
  const camera = store.cameras.get(id);
  if (!camera) {
    root.replaceChildren(h('div', { class: 'error' }, `${t('camera')} ${id}: ?`), h('a', { href: '#/cameras' }, t('back')));
    return () => undefined;
  }
  const header = h('div', { class: 'toolbar' });
  const drawHeader = (): void => {
    const c = store.cameras.get(id) ?? camera;
    header.replaceChildren(
      h('a', { href: '#/cameras' }, `← ${t('back')}`),
      h('h2', {}, c.name),
      statusBadge(c.status.state),
      h('span', { class: 'muted' }, `${t('since')} ${formatTime(c.status.since)}${c.status.cause ? ` — ${c.status.cause}` : ''}`),
      h('span', { class: 'muted' }, `${t(c.ownership)} · ${c.location.address ?? ''} · ${c.location.lat.toFixed(5)}, ${c.location.lon.toFixed(5)}`),
    );
  };
  drawHeader();

  // Live
  const liveVideo = h('video', { muted: true, autoplay: true, playsinline: true, class: 'live-video' });
  const liveNote = h('div', { class: 'tile-note' });
  const live = attachLivePlayer(liveVideo, id, (state, reason) => (liveNote.textContent = state === 'unavailable' || state === 'error' ? `${t('liveUnavailable')} ${reason ?? ''}` : ''));

  // Snapshot
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

  // PTZ
  const ptzMsg = h('div', {});
  const move = (pan: number, tilt: number, zoom: number) => ({
    onmousedown: () => void api(`/cameras/${encodeURIComponent(id)}/ptz`, { body: { action: 'move', pan, tilt, zoom, timeoutMs: 2000 } }).catch((e: unknown) => showError(ptzMsg, e)),
    onmouseup: () => void api(`/cameras/${encodeURIComponent(id)}/ptz`, { body: { action: 'stop' } }).catch((e: unknown) => showError(ptzMsg, e)),
  });
  const canPtz = can('ptz.control');
  const ptzPad = camera.ptz
    ? h(
        'div',
        { class: 'ptz-pad' },
        h('span', {}),
        h('button', { ...move(0, 0.5, 0), title: 'up' }, '▲'),
        h('span', {}),
        h('button', { ...move(-0.5, 0, 0), title: 'left' }, '◀'),
        h('button', { onclick: () => void api(`/cameras/${encodeURIComponent(id)}/ptz`, { body: { action: 'home' } }).catch((e: unknown) => showError(ptzMsg, e)), title: 'home' }, '⌂'),
        h('button', { ...move(0.5, 0, 0), title: 'right' }, '▶'),
        h('button', { ...move(0, 0, -0.5), title: 'zoom out' }, '−'),
        h('button', { ...move(0, -0.5, 0), title: 'down' }, '▼'),
        h('button', { ...move(0, 0, 0.5), title: 'zoom in' }, '+'),
      )
    : h('p', { class: 'muted' }, t('noPtz'));

  // Timeline and playback
  const dayInput = h('input', { type: 'date', value: todayInput() });
  const spanSelect = h(
    'select',
    { 'data-testid': 'timeline-span' },
    h('option', { value: String(24 * 3600_000) }, '24 h'),
    h('option', { value: String(3600_000), selected: true }, '1 h'),
    h('option', { value: String(10 * 60_000) }, '10 min'),
  );
  const timeline = h('div', { class: 'timeline', 'data-testid': 'timeline' });
  const timelineInfo = h('div', { class: 'muted' });
  const playVideo = h('video', { controls: true, class: 'playback-video', 'data-testid': 'playback' });
  const playMsg = h('div', {});
  const timeInput = h('input', { type: 'time', step: '1' });
  let nextSegment: number | undefined;

  const play = (at: number): void => {
    playMsg.textContent = formatTime(at);
    api<PlaybackAnswer>(`/cameras/${encodeURIComponent(id)}/playback?at=${Math.floor(at)}`)
      .then((answer) => {
        nextSegment = answer.next?.start;
        playVideo.src = answer.url;
        playVideo.addEventListener('loadedmetadata', () => (playVideo.currentTime = answer.offsetMs / 1000), { once: true });
        // a refused autoplay leaves the video paused with its controls: the user presses play
        void playVideo.play().catch((error: unknown) => console.debug('playback did not start by itself', error));
      })
      .catch((error: unknown) => showError(playMsg, error));
  };
  playVideo.addEventListener('ended', () => {
    if (nextSegment !== undefined) play(nextSegment);
  });

  const drawTimeline = (): void => {
    const day = dayStart(dayInput.value);
    const span = Number(spanSelect.value);
    // A window of `span` ending now (today) or at the end of the chosen day.
    const to = Math.min(day + 24 * 3600_000, span >= 24 * 3600_000 ? day + 24 * 3600_000 : Math.max(day + span, Date.now()));
    const from = Math.max(day, to - span);
    api<Recordings>(`/cameras/${encodeURIComponent(id)}/recordings?from=${from}&to=${to}`)
      .then((rec) => {
        const pct = (ms: number): string => `${(((ms - from) / (to - from)) * 100).toFixed(4)}%`;
        const width = (a: number, b: number): string => `${Math.max(0.05, ((b - a) / (to - from)) * 100).toFixed(4)}%`;
        const bars = [
          ...rec.segments.map((s) => h('div', { class: 'seg', style: `left:${pct(s.start)};width:${width(s.start, s.end)}`, title: `${formatTime(s.start)} – ${formatTime(s.end)}` })),
          ...rec.gaps
            .filter((g) => rec.segments.length > 0 && g.from >= rec.segments[0]!.start && g.to <= Math.min(Date.now(), rec.segments[rec.segments.length - 1]!.end))
            .map((g) => h('div', { class: 'gap', style: `left:${pct(g.from)};width:${width(g.from, g.to)}`, title: `${t('gap')} ${formatTime(g.from)} – ${formatTime(g.to)}` })),
          ...Array.from({ length: 13 }, (_, i) => {
            const at = from + ((to - from) * i) / 12;
            const d = new Date(at);
            const label = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
            return h('div', { class: 'tick', style: `left:${(i / 12) * 100}%` }, i % 2 === 0 && i < 12 ? label : '');
          }),
        ];
        timeline.replaceChildren(...bars);
        timeline.dataset['segments'] = String(rec.segments.length);
        timeline.dataset['gaps'] = String(rec.gaps.length);
        timelineInfo.textContent = rec.segments.length === 0 ? t('noRecording') : `${rec.segments.length} segments · ${(rec.recordedMs / 60000).toFixed(1)} min`;
        timeline.onclick = (event: MouseEvent) => {
          const rect = timeline.getBoundingClientRect();
          play(from + ((event.clientX - rect.left) / rect.width) * (to - from));
        };
      })
      .catch((error: unknown) => showError(timelineInfo, error));
  };
  dayInput.addEventListener('change', drawTimeline);
  spanSelect.addEventListener('change', drawTimeline);
  drawTimeline();

  root.replaceChildren(
    header,
    h(
      'div',
      { class: 'columns' },
      h('div', { class: 'col' }, h('div', { class: 'panel' }, h('h3', {}, t('live')), h('div', { class: 'live-box' }, liveVideo, liveNote))),
      h(
        'div',
        { class: 'col narrow' },
        h('div', { class: 'panel' }, h('h3', {}, t('snapshot')), snapImg, h('button', { onclick: loadSnapshot }, t('refresh')), snapMsg),
        h('div', { class: 'panel' }, h('h3', {}, t('ptz')), canPtz ? ptzPad : h('p', { class: 'muted' }, t('forbidden')), ptzMsg),
      ),
    ),
    h(
      'div',
      { class: 'panel' },
      h('h3', {}, t('recordings')),
      h('div', { class: 'toolbar' }, h('label', {}, `${t('day')} `, dayInput), spanSelect, h('button', { onclick: drawTimeline }, t('refresh')), timelineInfo),
      timeline,
      h(
        'div',
        { class: 'toolbar' },
        h('label', {}, `${t('playFrom')} `, timeInput),
        h('button', {
          'data-action': 'play',
          onclick: () => {
            const [hh = '0', mm = '0', ss = '0'] = (timeInput.value || '00:00:00').split(':');
            play(dayStart(dayInput.value) + (Number(hh) * 3600 + Number(mm) * 60 + Number(ss)) * 1000);
          },
        }, t('play')),
        playMsg,
      ),
      playVideo,
    ),
  );
  const off = onCamerasChanged(drawHeader);
  return () => {
    off();
    live.destroy();
    playVideo.removeAttribute('src');
    playVideo.load();
    if (snapImg.src) URL.revokeObjectURL(snapImg.src);
  };
}
