import { api } from '../api.js';
import { h, showError } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { dayStart, todayInput } from './local-day.js';

interface Recordings {
  segments: Array<{ start: number; end: number; bytes: number }>;
  gaps: Array<{ from: number; to: number }>;
  recordedMs: number;
}

/** The controls and bars of a camera's timeline. */
export interface CameraTimeline {
  /** The chosen day. */
  dayInput: HTMLInputElement;
  /** The width of the window (24 h, 1 h, 10 min). */
  spanSelect: HTMLSelectElement;
  /** Segments, gaps and hour ticks; a click plays from that time. */
  timeline: HTMLElement;
  /** Segment count and recorded minutes, or why there is nothing. */
  timelineInfo: HTMLElement;
  /** Loads the recordings of the window and redraws the bars. */
  draw: () => void;
}

/** A camera's recordings on a day as a timeline with gaps (redrawn when the day or span changes); a click calls `play`. */
export function cameraTimeline(id: string, play: (at: number) => void): CameraTimeline {
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

  const draw = (): void => {
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
  dayInput.addEventListener('change', draw);
  spanSelect.addEventListener('change', draw);
  draw();
  return { dayInput, spanSelect, timeline, timelineInfo, draw };
}
